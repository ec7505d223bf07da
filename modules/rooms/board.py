"""What a room's tablet and the wall screen show: a day's holding bookings per room, each with
its purpose only when the viewer may see that booking (`scoped_queryset`); others read
"Bận / Busy". Two queries for any number of rooms, plus one for what the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from modules.engine import registry
from modules.engine.access import scoped_queryset

from . import availability


@dataclass
class BoardSlot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str | None  # None: another unit's booking


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return start, start + dt.timedelta(days=1)


def day_slots(user: Any, room_ids: list[int], day: dt.date) -> dict[int, list[BoardSlot]]:
    start, end = day_bounds(day)
    holding = availability.rule()
    rows = list(
        registry.model_for("rooms.RoomBooking")
        .objects.filter(
            room_id__in=room_ids,
            starts_at__gt=start - holding.longest,
            starts_at__lt=end,
            ends_at__gt=start,
            state__in=holding.states,
        )
        .order_by("starts_at")
        .values_list("pk", "room_id", "starts_at", "ends_at", "title")
    )
    entity = registry.entity_by_label("rooms.RoomBooking")
    visible = set(
        scoped_queryset(user, entity, "view").filter(pk__in=[r[0] for r in rows]).values_list("pk", flat=True)
    )
    found: dict[int, list[BoardSlot]] = {pk: [] for pk in room_ids}
    for pk, room_id, starts_at, ends_at, title in rows:
        found[room_id].append(BoardSlot(starts_at, ends_at, title if pk in visible else None))
    return found
