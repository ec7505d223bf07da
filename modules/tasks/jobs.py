"""The periodic status refresh: a task turns near-deadline or overdue without a save.

Only tasks whose status can have changed with the date are read: those in
progress with a deadline inside the "near" horizon, or already marked near or
overdue. Each change is saved through the engine (history, version, events).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from modules.engine import registry, workdays
from modules.engine.dated import refresh_dated

from . import status


def refresh_statuses(today: dt.date | None = None) -> str:
    today = today or workdays.today()
    model = registry.model_for("tasks.Task")
    horizon = workdays.add_working_days(today, status.near_days())
    candidates = model.objects.filter(state="in_progress", deadline__isnull=False).filter(
        Q(deadline__lte=horizon) | Q(status__in=(status.NEAR_DEADLINE, status.OVERDUE))
    )
    return refresh_dated(
        "tasks.Task",
        candidates,
        lambda task, day: status.status_of(task, day) != task.status,
        today,
        "status",
    )
