"""Periodic jobs: modules register them; django-q2 runs them on a schedule.

`tick()` runs every registered job once, by `order` (e.g. the tasks module
refreshes statuses before reminders are computed from them). A django-q2
schedule calls it every minute (`sync_schedules` keeps the schedule row), and
`manage.py tick` runs it by hand. Jobs must be safe to run twice at once, from
two processes: exactly-once effects are enforced by the database, not by the
scheduler.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

TICK = "modules.engine.jobs.tick"
SCHEDULE_NAME = "onemst-tick"


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[dt.date | None], Any]  # (today or None for the real today) -> a summary
    order: int = 50  # lower runs first: derived state before what reads it


_JOBS: list[Job] = []


def register(name: str, run: Callable[[dt.date | None], Any], order: int = 50) -> None:
    if any(job.name == name for job in _JOBS):
        return
    _JOBS.append(Job(name, run, order))
    _JOBS.sort(key=lambda job: job.order)


def registered() -> list[Job]:
    return list(_JOBS)


def tick(today: str | dt.date | None = None) -> dict[str, str]:
    """Run every job once; one failing job does not stop the others. Returns each job's summary."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    results: dict[str, str] = {}
    for job in _JOBS:
        try:
            results[job.name] = str(job.run(today))
        except Exception:
            log.exception("periodic job %s failed", job.name)
            results[job.name] = "failed"
    return results


def sync_schedules(minutes: int = 1) -> None:
    """Keep one django-q2 schedule that calls `tick` every `minutes` (idempotent)."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": TICK, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1},
    )
