"""The periodic status refresh: a task turns near-deadline or overdue without a save.

Only tasks whose status can have changed with the date are read: those in
progress with a deadline inside the "near" horizon, or already marked near or
overdue. Each change is saved through the engine (history, version, events).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from modules.engine import registry, services, workdays

from . import status


def refresh_statuses(today: dt.date | None = None) -> str:
    today = today or workdays.today()
    entity = registry.entity_by_label("tasks.Task")
    model = registry.model_for(entity)
    horizon = workdays.add_working_days(today, status.near_days())
    candidates = model.objects.filter(state="in_progress", deadline__isnull=False).filter(
        Q(deadline__lte=horizon) | Q(status__in=(status.NEAR_DEADLINE, status.OVERDUE))
    )
    changed = 0
    for task in candidates.order_by("id"):
        if status.status_of(task, today) == task.status:
            continue
        changed += _save_status(entity, model, task.pk, today)
    return f"{changed} changed"


def _save_status(entity: object, model: type, pk: int, today: dt.date) -> int:
    """Re-read under lock (another tick or a user may have saved it), then save if still stale."""
    from django.db import transaction

    with transaction.atomic():
        task = model.objects.select_for_update().get(pk=pk)
        if status.status_of(task, today) == task.status:
            return 0
        task._status_today = today
        services.save_record(
            entity, None, task, created=False, expected_version=task.version, reason="status"
        )
        return 1
