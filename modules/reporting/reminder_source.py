"""Submissions as a reminder source: the unit's officers and head are chased before and after the deadline.

The reminder rules (days before, on the day, every working day while overdue) are the
same admin-configured rules the tasks use, with the module "reporting.Submission".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from modules.engine import registry
from modules.org.roles import PROVINCIAL_OFFICER, UNIT_HEAD
from modules.reminders.sources import Message, ReminderSource, deadline_phrase

from .submissions import EDITABLE_STATES


def open_submissions() -> Any:
    """Reports still to send: drafts and returned ones (a returned report is due again)."""
    model = registry.model_for("reporting.Submission")
    return model.objects.filter(state__in=EDITABLE_STATES, deadline__isnull=False).select_related(
        "period", "owner_unit"
    )


def _people(unit_id: int, role: str) -> list[Any]:
    people = registry.model_for("org.Person").objects.filter(owner_unit_id=unit_id, roles__name=role)
    return list(get_user_model().objects.filter(pk__in=people.values("user_id"), is_active=True))


def recipients(submission: Any, kind: str) -> list[Any]:
    if kind == "responsible":
        return _people(submission.owner_unit_id, PROVINCIAL_OFFICER) or _people(
            submission.owner_unit_id, UNIT_HEAD
        )
    if kind in ("unit_head", "assigning_leader"):  # the leader answerable for a report is the unit's head
        return _people(submission.owner_unit_id, UNIT_HEAD)
    return []


def message(submission: Any, trigger: str, today: dt.date) -> Message:
    when_vi, when_en = deadline_phrase(today, submission.deadline)
    returned = " (bị trả lại)" if submission.state == "returned" else ""
    return Message(
        title=f"Báo cáo {submission.period.label}{returned}: {when_vi}",
        body=f"{submission.title}\n{when_vi} / {when_en}.",
        url=f"/reporting/submissions/{submission.pk}/",
    )


REPORT_SOURCE = ReminderSource(
    key="reporting.Submission",
    label_vi="Báo cáo định kỳ",
    label_en="Periodic reports",
    open_items=open_submissions,
    deadline_of=lambda submission: submission.deadline,
    priority_of=lambda submission: "normal",
    is_key=lambda submission: False,
    recipients=recipients,
    message=message,
)
