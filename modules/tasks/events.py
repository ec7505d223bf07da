"""Deadline events: a task entered "near deadline" or "overdue", or was completed.

Published after commit on one channel-layer group; `taskDeadlines` listens to it
and keeps, for each subscriber, the events of rows they may see.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from realtime.bus import publish

from .status import DEADLINE_EVENTS

GROUP = "tasks.deadlines"
EVENT_TYPE = "task.deadline"


def announce_status_change(task: Any, previous: str | None) -> None:
    if task.status not in DEADLINE_EVENTS:
        return
    transaction.on_commit(partial(_send, task, previous))


def _send(task: Any, previous: str | None) -> None:
    publish(
        GROUP,
        {
            "type": EVENT_TYPE,
            "id": task.pk,
            "number": task.number,
            "title": task.title,
            "status": task.status,
            "previous": previous,
            "deadline": task.deadline.isoformat() if task.deadline else None,
            "owner_unit_id": task.owner_unit_id,
            "created_by_id": task.created_by_id,
            "is_shared": False,
            "version": task.version,
        },
    )
