"""A task's status, after the Government Office's classification (domain.md §3).

Not completed: within the deadline (on track, or near it) / overdue.
Completed: on time (early included) / late. Plus: no deadline, paused, cancelled, and
the implementer's extras: refused (waiting to be handed again) and reported done,
awaiting the leader's confirmation (not completed until confirmed; the completion date
is the report's).
The status is stored so that lists, filters and KPIs are plain SQL; it is
recomputed on every save and, for the passing of time, by the scheduler's tick
(`refresh_statuses`), so a task turns overdue without anyone saving it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from modules.engine import workdays

ON_TRACK = "on_track"
NEAR_DEADLINE = "near_deadline"
OVERDUE = "overdue"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
NO_DEADLINE = "no_deadline"
PAUSED = "paused"
CANCELLED = "cancelled"
REFUSED = "refused"
AWAITING_CONFIRMATION = "awaiting_confirmation"

STATUSES = (
    (ON_TRACK, "Chưa hoàn thành, trong hạn", "Not completed, within the deadline"),
    (NEAR_DEADLINE, "Sắp đến hạn", "Near the deadline"),
    (OVERDUE, "Chưa hoàn thành, quá hạn", "Not completed, overdue"),
    (DONE_ON_TIME, "Hoàn thành đúng hạn", "Completed on time"),
    (DONE_LATE, "Hoàn thành quá hạn", "Completed late"),
    (NO_DEADLINE, "Không có thời hạn", "No deadline"),
    (PAUSED, "Tạm dừng", "Paused"),
    (CANCELLED, "Đã huỷ", "Cancelled"),
    (REFUSED, "Người thực hiện từ chối, chờ giao lại", "Refused by the implementer"),
    (AWAITING_CONFIRMATION, "Báo cáo hoàn thành, chờ xác nhận", "Reported done, awaiting confirmation"),
)
OPEN = (ON_TRACK, NEAR_DEADLINE, OVERDUE, NO_DEADLINE)
# Statuses a frontend watching deadlines is told about when a task enters them.
DEADLINE_EVENTS = (NEAR_DEADLINE, OVERDUE, DONE_ON_TIME, DONE_LATE)


def near_days() -> int:
    """Working days before the deadline that count as "near" (TASK_NEAR_DAYS, default 3)."""
    return int(getattr(settings, "TASK_NEAR_DAYS", 3))


def classify(state: str, deadline: dt.date | None, completed_on: dt.date | None, today: dt.date) -> str:
    if state == "cancelled":
        return CANCELLED
    if state == "paused":
        return PAUSED
    if state == "refused":
        return REFUSED
    if state == "awaiting_confirmation":
        return AWAITING_CONFIRMATION
    if state == "done":
        if deadline is None or (completed_on or today) <= deadline:
            return DONE_ON_TIME
        return DONE_LATE
    if deadline is None:
        return NO_DEADLINE
    if today > deadline:
        return OVERDUE
    if workdays.working_days_between(today, deadline) <= near_days():
        return NEAR_DEADLINE
    return ON_TRACK


def status_of(task: Any, today: dt.date | None = None) -> str:
    return classify(task.state, task.deadline, task.completed_on, today or workdays.today())
