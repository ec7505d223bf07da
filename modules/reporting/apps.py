from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "modules.reporting"
    label = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from modules.engine import jobs
        from modules.reminders import sources

        from .periods import open_due_periods
        from .reminder_source import REPORT_SOURCE
        from .submissions import refresh_timeliness

        sources.register(REPORT_SOURCE)
        jobs.register("reporting.open_periods", open_due_periods, order=20)
        jobs.register("reporting.timeliness", refresh_timeliness, order=21)
