from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "modules.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        from modules.engine import registry
        from modules.engine.authcache import invalidate_when_saved

        from .holidays import forget

        invalidate_when_saved(registry.model_for("calendar.CalendarDay"), receiver=forget)
