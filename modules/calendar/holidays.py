"""The holiday table as a `WorkCalendar`, kept in the shared cache until it is edited."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from modules.engine import registry
from modules.engine.authcache import now_and_after_commit
from modules.engine.workdays import WorkCalendar

CACHE_KEY = "onemst:calendar"


def load() -> WorkCalendar:
    calendar = cache.get(CACHE_KEY)
    if calendar is None:
        days = registry.model_for("calendar.CalendarDay").objects
        rows = days.filter(in_force=True).values_list("day", "kind")  # a day switched off counts as usual
        calendar = WorkCalendar(
            days_off=frozenset(day for day, kind in rows if kind != "working"),
            extra_working=frozenset(day for day, kind in rows if kind == "working"),
        )
        cache.set(CACHE_KEY, calendar, 3600)
    return calendar


def forget(*_args: Any, **_kwargs: Any) -> None:
    """A day was edited: every process reads the table again (now, and after commit)."""
    now_and_after_commit(lambda: cache.delete(CACHE_KEY))
