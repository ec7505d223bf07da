"""When the weekly schedules hold people: as chair or participant of an item (an item with no
end holds an hour). Times only, for the slot finder (`engine/agenda.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from modules.engine import registry

DEFAULT_LENGTH = dt.timedelta(hours=1)
LONGEST = dt.timedelta(days=1)


def items_busy(user_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[tuple[int, Any, Any]]:
    rows = (
        registry.model_for("schedule.ScheduleItem")
        .objects.filter(
            Q(chair__in=user_ids) | Q(participants__in=user_ids),
            starts_at__gt=start - LONGEST,
            starts_at__lt=end,
            cancelled=False,
        )
        .values_list("chair_id", "starts_at", "ends_at")
        .distinct()
    )
    found = []
    for user, a, b in rows:
        b = b or a + DEFAULT_LENGTH
        if b > start:
            found.append((user, a, b))
    return found
