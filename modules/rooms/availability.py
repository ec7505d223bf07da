"""When rooms are busy: every unit sees every room's busy times, never whose or why.

Two SQL queries for any number of rooms and any window: the rooms that fit, and the holding
bookings (`HOLDING` states) in the window, read unscoped but only as (room, start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from modules.engine import registry
from modules.engine.timeranges import NoOverlap

EQUIPMENT = ("has_projector", "has_video", "has_sound")


@dataclass
class RoomDay:
    room: Any
    busy: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)


def rule() -> NoOverlap:
    return registry.entity_by_label("rooms.RoomBooking").no_overlap[0]


def rooms(min_capacity: int = 0, equipment: tuple[str, ...] = ()) -> list[Any]:
    """The rooms in use that seat `min_capacity` and have each of `equipment` (field names)."""
    filters: dict[str, Any] = {"is_active": True, "capacity__gte": min_capacity}
    filters.update({name: True for name in equipment if name in EQUIPMENT})
    return list(registry.model_for("rooms.Room").objects.filter(**filters).order_by("code"))


def busy_by_room(
    room_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Holding bookings meeting [start, end), per room, in order: one query."""
    holding = rule()
    rows = (
        registry.model_for("rooms.RoomBooking")
        .objects.filter(
            room_id__in=room_ids,
            starts_at__gt=start - holding.longest,
            starts_at__lt=end,
            ends_at__gt=start,
            state__in=holding.states,
        )
        .order_by("room_id", "starts_at")
        .values_list("room_id", "starts_at", "ends_at")
    )
    found: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {pk: [] for pk in room_ids}
    for room_id, starts_at, ends_at in rows:
        found[room_id].append((starts_at, ends_at))
    return found


def availability(
    start: dt.datetime, end: dt.datetime, *, min_capacity: int = 0, equipment: tuple[str, ...] = ()
) -> list[RoomDay]:
    chosen = rooms(min_capacity, equipment)
    busy = busy_by_room([r.pk for r in chosen], start, end)
    return [RoomDay(room=r, busy=busy[r.pk]) for r in chosen]
