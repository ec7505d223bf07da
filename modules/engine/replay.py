"""Replaying the past, for demo data: the platform's own code runs as if it were then.

Demo records are made through the real write paths and transitions, so that codes,
timelines, hand-over verdicts, history and outbox events come out as a clerk's would.
`at(moment)` makes every clock Python reads (`timezone.now()`, `date.today()`) say
`moment` while the block runs. It moves the whole process's clock, so it is for seeding
commands only, never for a server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine
from django.utils import timezone

from . import registry, services, workdays


@contextmanager
def at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Run the block at `moment` (an aware time, never later than the real now)."""
    moment = min(moment, timezone.now())
    with time_machine.travel(moment, tick=False):
        yield moment


def on(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware local time on `day`, for `at`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def after(moment: dt.datetime, working_days: int, hour: int, minute: int = 0) -> dt.datetime:
    """`working_days` after `moment`, at `hour`: never before `moment` (plus a few minutes),
    so that the steps of a replayed life keep their order."""
    day = workdays.add_working_days(timezone.localtime(moment).date(), working_days)
    return max(on(day, hour, minute), moment + dt.timedelta(minutes=20))


def fire_at(moment: dt.datetime, label: str, user: Any, pk: Any, name: str, comment: str = "") -> Any:
    """Fire a workflow transition at `moment`, on the record's version as it is then."""
    with at(moment):
        entity = registry.entity_by_label(label)
        version = registry.model_for(entity).objects.values_list("version", flat=True).get(pk=pk)
        return services.fire_transition(entity, user, pk, name, version, comment)
