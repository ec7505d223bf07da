from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "modules.reminders"
    label = "reminders"
    verbose_name = "Nhắc việc"

    def ready(self) -> None:
        from modules.engine import jobs

        from .scheduler import run_reminders

        jobs.register("reminders", run_reminders, order=50)
