"""What can be reminded about: each module registers a source (tasks, reports, dossiers...).

The reminders module knows rules, occurrences, the inbox and delivery; a source
knows its own rows: which are open, their deadline, priority, who the people are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

RECIPIENT_KINDS = (
    ("responsible", "Người chịu trách nhiệm", "Responsible person"),
    ("unit_head", "Lãnh đạo đơn vị chủ trì", "Head of the lead unit"),
    ("assigning_leader", "Lãnh đạo giao việc", "Assigning leader"),
)


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str


@dataclass(frozen=True, kw_only=True)
class ReminderSource:
    key: str  # the entity label, e.g. "tasks.Task"
    label_vi: str
    label_en: str
    open_items: Callable[[], Iterable[Any]]  # open rows that have a deadline
    deadline_of: Callable[[Any], dt.date | None]
    priority_of: Callable[[Any], str]
    is_key: Callable[[Any], bool]
    recipients: Callable[[Any, str], list[Any]]  # (row, recipient kind) -> users
    message: Callable[[Any, str, dt.date], Message]  # (row, trigger, today)


def deadline_phrase(today: dt.date, deadline: dt.date) -> tuple[str, str]:
    """How far a deadline is, in working days, as (Vietnamese, English) for a reminder's text."""
    from modules.engine import workdays

    left = workdays.working_days_between(today, deadline)
    due = deadline.strftime("%d/%m/%Y")
    if left > 0:
        return f"còn {left} ngày làm việc (hạn {due})", f"{left} working day(s) left (due {due})"
    if left == 0:
        return f"đến hạn hôm nay ({due})", f"due today ({due})"
    return f"quá hạn {-left} ngày làm việc (hạn {due})", f"overdue by {-left} working day(s)"


_SOURCES: dict[str, ReminderSource] = {}


def register(source: ReminderSource) -> None:
    _SOURCES[source.key] = source


def get(key: str) -> ReminderSource | None:
    return _SOURCES.get(key)


def all_sources() -> list[ReminderSource]:
    return list(_SOURCES.values())
