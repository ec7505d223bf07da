from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "modules.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from modules.engine import registry

        from .holidays import forget

        model = registry.model_for("calendar.CalendarDay")
        post_save.connect(forget, sender=model, dispatch_uid="onemst.calendar.saved")
        post_delete.connect(forget, sender=model, dispatch_uid="onemst.calendar.deleted")
