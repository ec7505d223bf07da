from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "modules.onestop"
    label = "onestop"
    verbose_name = "Một cửa"

    def ready(self) -> None:
        from modules.engine import jobs

        from . import outbox
        from .jobs import flag_late_transfers, refresh_classifications

        jobs.register("onestop.classification", refresh_classifications, order=22)
        jobs.register("onestop.transfer", flag_late_transfers, order=23)
        jobs.register("onestop.portal", lambda today: outbox.deliver(), order=40)
