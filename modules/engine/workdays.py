"""Working days: the one calendar every module counts deadlines with.

Civil Code 2015 Art. 147-148: the first day of a period is not counted, and a
deadline that falls on a day off moves to the next working day. Monday to
Friday are working days, except the public holidays (and their compensating
days off) of the year's table; a swapped Saturday (ngày làm bù) is worked.

The table lives in a module (settings.ONEMST_CALENDAR, `modules.calendar`),
edited in the admin; the counting lives here so that tasks, dossiers and
reports all count the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Weekends plus exceptions: `days_off` are weekdays not worked, `extra_working` weekend days worked."""

    days_off: frozenset[dt.date] = frozenset()
    extra_working: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_working:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is worked, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date `count` working days after `start` (which is not counted)."""
        if count < 0:
            raise ValueError("count must be zero or more")
        day = start
        while count:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return self.next_working_day(day)

    def subtract_working_days(self, end: dt.date, count: int) -> dt.date:
        """The working day `count` working days before `end` (e.g. "3 days before the deadline")."""
        if count < 0:
            raise ValueError("count must be zero or more")
        day = end
        while count:
            day -= ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


@cache
def _source() -> Any:
    return import_module(settings.ONEMST_CALENDAR)


def current() -> WorkCalendar:
    """The calendar in force (the holiday table, as edited in the admin)."""
    return _source().load()


def is_working_day(day: dt.date) -> bool:
    return current().is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    return current().next_working_day(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    return current().add_working_days(start, count)


def subtract_working_days(end: dt.date, count: int) -> dt.date:
    return current().subtract_working_days(end, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return current().working_days_between(start, end)


def today() -> dt.date:
    """Today in the platform's time zone (Asia/Ho_Chi_Minh), not the server's."""
    from django.utils import timezone

    return timezone.localdate()
