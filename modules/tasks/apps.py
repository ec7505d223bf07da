from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "modules.tasks"
    label = "tasks"
    verbose_name = "Theo dõi nhiệm vụ"

    def ready(self) -> None:
        from modules.engine import jobs
        from modules.reminders import sources

        from .jobs import refresh_statuses
        from .reminder_source import TASK_SOURCE

        sources.register(TASK_SOURCE)
        jobs.register("tasks.statuses", refresh_statuses, order=10)
