from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Thời gian thực"

    def ready(self) -> None:
        from modules.engine.events import record_committed

        from .bus import forward_record_event

        record_committed.connect(forward_record_event, dispatch_uid="onemst.realtime.forward")
