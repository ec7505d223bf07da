"""Values that follow the calendar: a task turns overdue, a report goes missing, a dossier
runs late, on the day its date passes, with nobody saving the record.

Such a value is stored (so lists filter and count it in SQL) and derived in the entity's
`before_save` hook from the record and a day. A module's periodic job asks
`refresh_dated` to re-save, through the engine's write path (version, history, events),
each candidate whose stored value is stale on that day. The hook reads the day with
`as_of(record)`: the job's day during a refresh, else today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from . import registry, services, workdays

_AS_OF = "_dated_as_of"


def as_of(record: models.Model) -> dt.date:
    """The day a date-derived value is computed for: the refresh's day, or today."""
    return getattr(record, _AS_OF, None) or workdays.today()


def refresh_dated(
    label: str,
    candidates: models.QuerySet,
    is_stale: Callable[[Any, dt.date], bool],
    today: dt.date | None = None,
    reason: str = "calendar",
) -> str:
    """Re-save every candidate that `is_stale(record, today)`; returns "N changed".

    Each record is re-read under lock, since a user or a second worker may have saved it
    meanwhile: the job is safe to run twice at once."""
    today = today or workdays.today()
    entity = registry.entity_by_label(label)
    model = registry.model_for(entity)
    changed = 0
    for pk in candidates.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            record = model.objects.select_for_update().get(pk=pk)
            if not is_stale(record, today):
                continue
            setattr(record, _AS_OF, today)
            services.save_record(
                entity, None, record, created=False, expected_version=record.version, reason=reason
            )
            changed += 1
    return f"{changed} changed"
