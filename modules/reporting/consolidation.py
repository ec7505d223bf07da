"""The Ministry's view: one indicator across units and periods, from accepted reports only.

GraphQL (`reportConsolidation`, `reportSeries`), the admin chart and the XLSX export
all call these functions, so they cannot disagree. Rows come through the engine's
permission filter: a provincial officer sees every province's *accepted* reports
(shared data) and never another province's draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Sum

from modules.engine import access, registry

ACCEPTED = "accepted"


@dataclass(frozen=True)
class UnitValue:
    unit_id: int
    unit_code: str
    unit_name: str
    province_code: str
    value: Decimal


@dataclass(frozen=True)
class Consolidation:
    code: str
    total: Decimal | None
    average: Decimal | None
    count: int
    units: list[UnitValue]


@dataclass(frozen=True)
class SeriesPoint:
    period_id: int
    label: str
    year: int
    index: int
    total: Decimal | None
    average: Decimal | None
    count: int


def accepted_submissions(user: Any) -> Any:
    entity = registry.entity_by_label("reporting.Submission")
    return access.scoped_queryset(user, entity, "view").filter(state=ACCEPTED)


def _values(user: Any) -> Any:
    model = registry.model_for("reporting.Submission").values.rel.related_model
    return model.objects.filter(parent__in=accepted_submissions(user).values("pk"), number__isnull=False)


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


def consolidate(user: Any, period_id: Any, code: str) -> Consolidation:
    rows = (
        _values(user)
        .filter(parent__period_id=period_id, code=code)
        .select_related("parent__owner_unit")
        .order_by("parent__owner_unit__code")
    )
    units = [
        UnitValue(
            unit_id=row.parent.owner_unit_id,
            unit_code=row.parent.owner_unit.code,
            unit_name=row.parent.owner_unit.name,
            province_code=row.parent.owner_unit.province_code or "",
            value=row.number,
        )
        for row in rows
    ]
    total = sum((u.value for u in units), Decimal(0)) if units else None
    average = total / len(units) if units else None
    return Consolidation(
        code=code, total=_rounded(total), average=_rounded(average), count=len(units), units=units
    )


def series(user: Any, regime_id: Any, code: str, last: int = 12) -> list[SeriesPoint]:
    """Total and average per period, the `last` periods of the regime, oldest first."""
    grouped = (
        _values(user)
        .filter(parent__period__regime_id=regime_id, code=code)
        .values("parent__period_id", "parent__period__label", "parent__period__year", "parent__period__index")
        .annotate(total=Sum("number"), average=Avg("number"), count=Count("id"))
        .order_by("-parent__period__cutoff_to")[: max(1, min(last, 120))]
    )
    points = [
        SeriesPoint(
            period_id=row["parent__period_id"],
            label=row["parent__period__label"],
            year=row["parent__period__year"],
            index=row["parent__period__index"],
            total=_rounded(row["total"]),
            average=_rounded(row["average"]),
            count=row["count"],
        )
        for row in grouped
    ]
    return list(reversed(points))


def status_counts(user: Any, period_id: Any) -> dict[str, int]:
    """Submissions of a period per state and timeliness, among those the user may see."""
    entity = registry.entity_by_label("reporting.Submission")
    rows = access.scoped_queryset(user, entity, "view").filter(period_id=period_id)
    counts: dict[str, int] = {}
    for row in rows.values("state", "timeliness").annotate(n=Count("id")):
        counts[row["state"]] = counts.get(row["state"], 0) + row["n"]
        counts[row["timeliness"]] = counts.get(row["timeliness"], 0) + row["n"]
    return counts
