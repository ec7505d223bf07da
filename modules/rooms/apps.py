from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "modules.rooms"
    label = "rooms"
    verbose_name = "Phòng họp"

    def ready(self) -> None:
        from modules.engine import agenda, icalfeed
        from modules.reminders import sources

        from .feeds import my_bookings_feed, room_feed
        from .reminder_source import BOOKING_SOURCE
        from .slots import bookings_busy

        agenda.register_busy_source("rooms.RoomBooking", bookings_busy)
        icalfeed.register_feed("room", room_feed)
        icalfeed.register_feed("my-bookings", my_bookings_feed)
        sources.register(BOOKING_SOURCE)
