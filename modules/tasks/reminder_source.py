"""Tasks as a reminder source: who is responsible, who leads, who assigned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from modules.engine import registry
from modules.org.roles import UNIT_HEAD
from modules.reminders.sources import Message, ReminderSource, deadline_phrase


def open_tasks() -> Any:
    """Tasks still being worked on that have a deadline (paused tasks are not chased)."""
    model = registry.model_for("tasks.Task")
    return model.objects.filter(state="in_progress", deadline__isnull=False).order_by("id")


def unit_heads(unit_id: int) -> list[Any]:
    people = registry.model_for("org.Person").objects.filter(owner_unit_id=unit_id, roles__name=UNIT_HEAD)
    return list(get_user_model().objects.filter(pk__in=people.values("user_id"), is_active=True))


def recipients(task: Any, kind: str) -> list[Any]:
    if kind == "responsible":
        return (
            [task.assignee]
            if task.assignee_id and task.assignee.is_active
            else unit_heads(task.owner_unit_id)
        )
    if kind == "unit_head":
        return unit_heads(task.owner_unit_id)
    if kind == "assigning_leader":
        return [task.assigned_by] if task.assigned_by.is_active else []
    return []


def message(task: Any, trigger: str, today: dt.date) -> Message:
    when_vi, when_en = deadline_phrase(today, task.deadline)
    key = " [trọng tâm]" if task.is_key else ""
    return Message(
        title=f"{task.number}{key}: {when_vi}",
        body=f"{task.title}\n{when_vi} / {when_en}. Tiến độ / progress: {task.progress or 0}%.",
        url=f"/admin/tasks/task/{task.pk}/change/",
    )


TASK_SOURCE = ReminderSource(
    key="tasks.Task",
    label_vi="Nhiệm vụ",
    label_en="Tasks",
    open_items=lambda: open_tasks().select_related("assignee", "assigned_by"),
    deadline_of=lambda task: task.deadline,
    priority_of=lambda task: task.priority,
    is_key=lambda task: bool(task.is_key),
    recipients=recipients,
    message=message,
)
