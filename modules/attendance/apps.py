from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "modules.attendance"
    label = "attendance"
    verbose_name = "Chấm công khuôn mặt"

    def ready(self) -> None:
        from modules.reminders import sources

        from .hooks import connect_signals
        from .reminder import UNIT_OVERDUE_SOURCE

        sources.register(UNIT_OVERDUE_SOURCE)
        connect_signals()
