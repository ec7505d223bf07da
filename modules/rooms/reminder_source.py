"""Room bookings as a reminder source: the people of a meeting hear of it before it starts
(a rule in the reminders module says when, e.g. one working day before, or on the day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from modules.engine import registry
from modules.reminders.sources import Message, ReminderSource

from . import availability


def coming() -> Any:
    """Holding bookings that have not started yet."""
    model = registry.model_for("rooms.RoomBooking")
    return (
        model.objects.filter(starts_at__gt=timezone.now(), state__in=availability.rule().states)
        .select_related("room", "created_by")
        .prefetch_related("participants")
        .order_by("starts_at")
    )


def recipients(booking: Any, kind: str) -> list[Any]:
    """The participants and whoever booked ("responsible"); other kinds: nobody."""
    if kind != "responsible":
        return []
    people = {u.pk: u for u in booking.participants.all() if u.is_active}
    if booking.created_by_id and booking.created_by.is_active:
        people.setdefault(booking.created_by_id, booking.created_by)
    return list(people.values())


def message(booking: Any, trigger: str, today: dt.date) -> Message:
    start = timezone.localtime(booking.starts_at)
    end = timezone.localtime(booking.ends_at)
    when = f"{start:%H:%M}–{end:%H:%M} {start:%d/%m/%Y}"
    return Message(
        title=f"Lịch họp / Meeting: {booking.title} ({when})",
        body=f"{booking.room.name}, {when}.\n{booking.online_link}".strip(),
        url=f"/admin/rooms/roombooking/{booking.pk}/change/",
    )


BOOKING_SOURCE = ReminderSource(
    key="rooms.RoomBooking",
    label_vi="Lịch họp",
    label_en="Meetings",
    open_items=coming,
    deadline_of=lambda booking: timezone.localtime(booking.starts_at).date(),
    priority_of=lambda booking: "normal",
    is_key=lambda booking: False,
    recipients=recipients,
    message=message,
)
