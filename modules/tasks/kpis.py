"""Task KPIs per unit or per person over a period: one function, used by GraphQL,
the admin dashboard and the status board, so all three show the same numbers.

A task belongs to the period when it was assigned in it (its source date, else
its creation date). Its outcome is read as it stood at the end of the period:
- completed on time / late: completed by the end, on or before / after the deadline;
- overdue: not completed by the end and its deadline already passed;
- in progress within the deadline: not completed by the end, deadline not passed (or none).
Cancelled tasks are counted apart. The on-time rate is completed on time over the
tasks whose outcome is decided by the end (completed, or overdue). Key tasks (nhiệm vụ
trọng tâm, `is_key`) are counted again apart (`key_*`), as the Government Office reports
them (domain.md §3: 1,173 key tasks of 9,831). A task refused by its implementer or
reported done and awaiting confirmation is not completed: it counts as in progress or
overdue by its deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate

from modules.engine import access, registry
from modules.engine.errors import FieldProblem, InvalidInput


@dataclass
class KpiRow:
    key: int | None
    label: str
    assigned: int
    completed_on_time: int
    completed_late: int
    in_progress_on_time: int
    overdue: int
    cancelled: int
    # key tasks (nhiệm vụ trọng tâm), counted apart as VPCP reports them (domain.md §3)
    key_assigned: int = 0
    key_completed_on_time: int = 0
    key_completed_late: int = 0
    key_in_progress_on_time: int = 0
    key_overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        decided = self.completed_on_time + self.completed_late + self.overdue
        return round(100 * self.completed_on_time / decided, 1) if decided else None

    @property
    def key_on_time_rate(self) -> float | None:
        decided = self.key_completed_on_time + self.key_completed_late + self.key_overdue
        return round(100 * self.key_completed_on_time / decided, 1) if decided else None


def unit_path(unit_id: Any) -> str | None:
    """The tree path of a unit given by id (None if there is none); a malformed id is refused."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise InvalidInput(
            [FieldProblem("unit", "INVALID", "Mã đơn vị không hợp lệ. / Invalid unit id.")]
        ) from None
    return registry.model_for("org.Unit").objects.filter(pk=pk).values_list("path", flat=True).first()


def in_unit(rows: Any, unit_id: Any) -> Any:
    """Rows owned by the unit or one of its sub-units."""
    if unit_id is None:
        return rows
    path = unit_path(unit_id)
    return rows.filter(owner_unit__path__startswith=path) if path else rows.none()


def period_queryset(user: Any, start: dt.date, end: dt.date, unit_id: Any = None) -> Any:
    """The tasks the user may see, assigned in [start, end], of a unit and its sub-units."""
    entity = registry.entity_by_label("tasks.Task")
    rows = access.scoped_queryset(user, entity, "view").annotate(
        assigned_on=Coalesce("source_date", TruncDate("created_at"))
    )
    return in_unit(rows.filter(assigned_on__gte=start, assigned_on__lte=end), unit_id)


def compute(
    user: Any, start: dt.date, end: dt.date, *, unit_id: Any = None, by: str = "unit"
) -> list[KpiRow]:
    """KPIs grouped `by` "unit" (the lead unit) or "person" (the responsible person); one query."""
    done_by_end = Q(state="done", completed_on__lte=end)
    cancelled = Q(state="cancelled")
    open_at_end = ~done_by_end & ~cancelled
    aggregates = {
        "assigned": Count("id"),
        "completed_on_time": Count(
            "id", filter=done_by_end & (Q(deadline__isnull=True) | Q(completed_on__lte=F("deadline")))
        ),
        "completed_late": Count("id", filter=done_by_end & Q(completed_on__gt=F("deadline"))),
        "overdue": Count("id", filter=open_at_end & Q(deadline__lt=end)),
        "in_progress_on_time": Count(
            "id", filter=open_at_end & (Q(deadline__isnull=True) | Q(deadline__gte=end))
        ),
        "cancelled": Count("id", filter=cancelled),
    }
    key_task = Q(is_key=True)
    aggregates |= {
        f"key_{name}": Count("id", filter=key_task & (aggregates[name].filter or Q()))
        for name in ("assigned", "completed_on_time", "completed_late", "in_progress_on_time", "overdue")
    }
    key = "assignee_id" if by == "person" else "owner_unit_id"
    rows = list(period_queryset(user, start, end, unit_id).order_by().values(key).annotate(**aggregates))
    keys = [row[key] for row in rows]
    labels = person_names(keys) if by == "person" else unit_names(keys)
    result = [
        KpiRow(key=row[key], label=labels.get(row[key], "—"), **{name: row[name] for name in aggregates})
        for row in rows
    ]
    return sorted(result, key=lambda r: (-r.assigned, r.label))


def person_names(user_ids: list[Any]) -> dict[Any, str]:
    """Full names of people by their user id (one query)."""
    people = registry.model_for("org.Person").objects.filter(user_id__in=user_ids)
    return dict(people.values_list("user_id", "full_name"))


def unit_names(unit_ids: list[Any]) -> dict[Any, str]:
    return dict(registry.model_for("org.Unit").objects.filter(pk__in=unit_ids).values_list("id", "name"))


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last six calendar months, this one included: the dashboard's and the board's period."""
    month = today.month - 5
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), today
