"""The check-in reminder: greet the person at the kiosk with what is theirs to do, and alert leaders.

It is a rule over the person's tasks (overdue, due today, due soon), not a model: the name
says so on the kiosk too. Only the face match itself uses a model (dlib's).

- At a recognised check-in: the person's tasks that are overdue, due today, or due
  within 3 working days, read through the tasks module with that person's own rights.
- Leaders: a unit whose overdue tasks reach ATTENDANCE_ALERT_OVERDUE (5 by default) is a
  reminder source ("tasks.UnitOverdue"), so the alert goes to the same inbox, email and
  `myReminders` subscription as every reminder, once per unit and working day while it
  stays over the threshold (an "every working day while overdue" rule, by migration).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q

from modules.engine import access, registry, workdays
from modules.reminders.sources import Message, ReminderSource

SOON_DAYS = 3
# how a task shown at check-in stands (`kind` of each `tasks_for` row; the API's enum)
DUE_KINDS = (
    ("overdue", "Quá hạn", "Overdue"),
    ("today", "Đến hạn hôm nay", "Due today"),
    ("soon", "Sắp đến hạn", "Due soon"),
)


def greeting(person: Any, local: dt.datetime) -> str:
    part = "buổi sáng" if local.hour < 11 else ("buổi trưa" if local.hour < 13 else "buổi chiều")
    return f"Xin chào {person.full_name}, chúc {part} làm việc hiệu quả! / Hello, {person.full_name}."


def tasks_for(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """The person's open tasks that need them now, most urgent first (with their rights)."""
    if user is None:
        return []
    entity = registry.entity_by_label("tasks.Task")
    horizon = workdays.add_working_days(today, SOON_DAYS)
    rows = (
        access.scoped_queryset(user, entity, "view")
        .filter(assignee=user, state="in_progress", deadline__isnull=False, deadline__lte=horizon)
        .order_by("deadline", "id")[:10]
    )
    result = []
    for task in rows:
        if task.deadline < today:
            when, kind = f"quá hạn từ {task.deadline:%d/%m}", "overdue"
        elif task.deadline == today:
            when, kind = "đến hạn hôm nay", "today"
        else:
            when, kind = f"hạn {task.deadline:%d/%m}", "soon"
        result.append(
            {
                "number": task.number,
                "title": task.title,
                "deadline": task.deadline,
                "when": when,
                "kind": kind,
            }
        )
    return result


def threshold() -> int:
    return int(getattr(settings, "ATTENDANCE_ALERT_OVERDUE", 5))


def units_over_threshold() -> list[Any]:
    tasks = registry.model_for("tasks.Task")
    counts = (
        tasks.objects.filter(state="in_progress", status="overdue")
        .values("owner_unit_id")
        .annotate(n=Count("id"), oldest=Min("deadline"))
        .filter(n__gte=threshold())
    )
    by_unit = {row["owner_unit_id"]: row for row in counts}
    units = list(registry.model_for("org.Unit").objects.filter(pk__in=by_unit))
    for unit in units:
        unit.overdue_count, unit.oldest_overdue = by_unit[unit.pk]["n"], by_unit[unit.pk]["oldest"]
    return units


def _heads(unit: Any, kind: str) -> list[Any]:
    from modules.tasks.reminder_source import unit_heads

    heads = unit_heads(unit.pk)
    if kind == "assigning_leader":
        from django.contrib.auth import get_user_model

        from modules.org.roles import MINISTRY_LEADER

        return list(get_user_model().objects.filter(groups__name=MINISTRY_LEADER, is_active=True))
    return heads


def _message(unit: Any, trigger: str, today: dt.date) -> Message:
    count = getattr(unit, "overdue_count", None)
    if count is None:
        count = (
            registry.model_for("tasks.Task")
            .objects.filter(Q(owner_unit=unit), state="in_progress", status="overdue")
            .count()
        )
    return Message(
        title=f"{unit.name}: {count} nhiệm vụ quá hạn, cần đôn đốc",
        body=f"{unit.name} có {count} nhiệm vụ quá hạn (ngưỡng {threshold()}). / {count} overdue tasks.",
        url=f"/board/tasks/?unit={unit.pk}",
    )


UNIT_OVERDUE_SOURCE = ReminderSource(
    key="tasks.UnitOverdue",
    label_vi="Đơn vị có nhiều nhiệm vụ quá hạn",
    label_en="Units with many overdue tasks",
    open_items=units_over_threshold,
    deadline_of=lambda unit: unit.oldest_overdue,  # an "overdue daily" rule: every working day while over
    priority_of=lambda unit: "high",
    is_key=lambda unit: True,
    recipients=_heads,
    message=_message,
)
