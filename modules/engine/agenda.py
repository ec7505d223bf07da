"""Who is busy when, across modules, and the earliest times that suit people and a resource.

Modules register a busy source (`register_busy_source`): given user ids and a window, the
(user id, start, end) of what already holds them (a meeting they sit in, a room they booked,
an item of a weekly schedule). `find_slots` then walks the window in steps, on working days
(`engine/workdays.py`) and within the day's hours, and keeps the first start at which nobody
is busy and at least one resource (a room) is free for the whole duration. Times only: no
source says why someone is busy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from . import workdays

Interval = tuple[dt.datetime, dt.datetime]
BusySource = Callable[[list[int], dt.datetime, dt.datetime], Iterable[tuple[int, dt.datetime, dt.datetime]]]

_SOURCES: dict[str, BusySource] = {}


def register_busy_source(key: str, source: BusySource) -> None:
    _SOURCES[key] = source


def people_busy(user_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """Every interval in [start, end) at which one of the people is held, from every source."""
    found: list[Interval] = []
    if not user_ids:
        return found
    for source in _SOURCES.values():
        found.extend((a, b) for _user, a, b in source(list(user_ids), start, end))
    return merge(found)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _clashes(busy: list[Interval], start: dt.datetime, end: dt.datetime) -> bool:
    return any(a < end and b > start for a, b in busy)


@dataclass
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    resources: list[Any] = field(default_factory=list)  # the keys of the free resources


def find_slots(
    *,
    start: dt.datetime,
    end: dt.datetime,
    duration: dt.timedelta,
    people: list[Interval],
    resources: dict[Any, list[Interval]],
    count: int = 5,
    step: dt.timedelta = dt.timedelta(minutes=30),
    day_start: dt.time = dt.time(8, 0),
    day_end: dt.time = dt.time(17, 0),
) -> list[Slot]:
    """The first `count` starts (on the `step` grid of each day, from `day_start`) with every
    person free and at least one resource free, ending by `day_end` on a working day."""
    calendar = workdays.current()
    slots: list[Slot] = []
    day = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    while day <= last and len(slots) < count:
        if calendar.is_working_day(day):
            moment = timezone.make_aware(dt.datetime.combine(day, day_start))
            closing = timezone.make_aware(dt.datetime.combine(day, day_end))
            while moment + duration <= closing and len(slots) < count:
                finish = moment + duration
                if moment >= start and finish <= end and not _clashes(people, moment, finish):
                    free = [key for key, busy in resources.items() if not _clashes(busy, moment, finish)]
                    if free:
                        slots.append(Slot(moment, finish, free))
                moment += step
        day += dt.timedelta(days=1)
    return slots
