"""Finding a time and a room: the earliest slots at which the participants are free (their
bookings, the weekly schedules: `engine/agenda.py` sources) and a room that seats everyone is
free. Reads times only, whoever owns the rows: the answer says when, never why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from modules.engine import agenda, holds, registry

from . import availability


def bookings_busy(user_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[tuple[int, Any, Any]]:
    """Holding bookings in the window that people sit in or booked for themselves: one query.

    A booking kept for a schedule item (`engine/holds.py`) does not hold its requester (the
    Office's clerk books the room for the leaders): the item's own chair and participants are
    busy by the schedule's source."""
    holding = availability.rule()
    booked_for_self = Q(created_by__in=user_ids) & ~holds.held_for_another("rooms.RoomBooking")
    rows = (
        registry.model_for("rooms.RoomBooking")
        .objects.filter(
            Q(participants__in=user_ids) | booked_for_self,
            starts_at__gt=start - holding.longest,
            starts_at__lt=end,
            ends_at__gt=start,
            state__in=holding.states,
        )
        .values_list("created_by_id", "starts_at", "ends_at")
        .distinct()
    )
    return [(user, a, b) for user, a, b in rows]


def suggest(
    user_ids: list[int],
    duration: dt.timedelta,
    attendees: int,
    start: dt.datetime,
    end: dt.datetime,
    *,
    equipment: tuple[str, ...] = (),
    count: int = 5,
) -> list[agenda.Slot]:
    """The earliest `count` slots, each with the rooms free for it (keys: room objects)."""
    rooms = availability.rooms(attendees, equipment)
    busy = availability.busy_by_room([r.pk for r in rooms], start, end)
    by_room = {room: busy[room.pk] for room in rooms}
    people = agenda.people_busy(user_ids, start, end)
    return agenda.find_slots(
        start=start, end=end, duration=duration, people=people, resources=by_room, count=count
    )
