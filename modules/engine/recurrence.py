"""Repeating events: an RFC 5545 RRULE, expanded with python-dateutil, minus the days off.

A module stores the rule as text (`FREQ=WEEKLY;BYDAY=TU`, `FREQ=MONTHLY;BYDAY=1MO`) and asks
`occurrences(rule, first_start, until)` for the start times. The rule is read by dateutil's
`rrulestr` (no hand-written parser), in local wall-clock time (Asia/Ho_Chi_Minh), so a
weekly 08:00 stays 08:00. Days that are not working days of the calendar module's table
(`engine/workdays.py`: a public holiday, Tết, a compensating day off) are skipped; a
swapped working day (a Saturday worked, "ngày làm bù") is worked, so a rule whose dates
include it keeps it. "Every working day" is `FREQ=DAILY` with the days off skipped: it
runs Monday to Friday and on swapped Saturdays, and stops over Tết.
"""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import DAILY, rrulestr
from django.utils import timezone

from . import workdays
from .errors import FieldProblem, InvalidInput

MAX_OCCURRENCES = 400  # a year of working days and some: a longer series is a typo
MAX_SPAN_DAYS = 731  # two years
EVERY_WORKING_DAY = "FREQ=DAILY"

INVALID_RULE = "Quy tắc lặp không hợp lệ (RFC 5545 RRULE). / Invalid repeat rule (RFC 5545 RRULE)."
TOO_MANY = (
    f"Chuỗi lặp quá {MAX_OCCURRENCES} lần; hãy rút ngắn thời gian. / "
    f"The series repeats more than {MAX_OCCURRENCES} times; shorten it."
)


def _naive_local(moment: dt.datetime) -> dt.datetime:
    return timezone.make_naive(moment) if timezone.is_aware(moment) else moment


def occurrences(
    rule: str,
    first_start: dt.datetime,
    until: dt.date,
    *,
    skip_days_off: bool = True,
    field: str = "rrule",
) -> list[dt.datetime]:
    """The aware start times of the series from `first_start` to `until` (inclusive), in order.

    `rule` is the RRULE value (with or without the `RRULE:` prefix); an UNTIL or COUNT in it
    also applies. Raises `InvalidInput` on `field` for a rule dateutil cannot read or a
    series longer than `MAX_OCCURRENCES`."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text:
        raise InvalidInput([FieldProblem(field, "INVALID_RULE", INVALID_RULE)])
    start = _naive_local(first_start)
    try:
        parsed = rrulestr(text, dtstart=start, ignoretz=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # dateutil's ways of saying "no"
        raise InvalidInput([FieldProblem(field, "INVALID_RULE", f"{INVALID_RULE} ({exc})")]) from exc
    if getattr(parsed, "_freq", DAILY) > DAILY:  # hourly and finer: not a meeting's rhythm
        raise InvalidInput([FieldProblem(field, "INVALID_RULE", INVALID_RULE)])
    end = dt.datetime.combine(until, dt.time.max)
    if until > start.date() + dt.timedelta(days=MAX_SPAN_DAYS):
        raise InvalidInput([FieldProblem(field, "TOO_MANY", TOO_MANY)])
    calendar = workdays.current()
    found: list[dt.datetime] = []
    for moment in parsed.between(start, end, inc=True):
        if skip_days_off and not calendar.is_working_day(moment.date()):
            continue
        found.append(timezone.make_aware(moment))
        if len(found) > MAX_OCCURRENCES:
            raise InvalidInput([FieldProblem(field, "TOO_MANY", TOO_MANY)])
    return found
