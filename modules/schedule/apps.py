from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "modules.schedule"
    label = "schedule"
    verbose_name = "Lịch công tác"

    def ready(self) -> None:
        from modules.engine import agenda, icalfeed

        from .busy import items_busy
        from .feeds import leaders_feed, my_schedule_feed, unit_feed

        agenda.register_busy_source("schedule.ScheduleItem", items_busy)
        icalfeed.register_feed("leaders", leaders_feed)
        icalfeed.register_feed("unit", unit_feed)
        icalfeed.register_feed("my-schedule", my_schedule_feed)
