"""S&T task KPIs per managing unit (a province's Department, a Ministry unit) and per year: one
function, read by GraphQL (`stmKpis`), the admin dashboard and the live board, so all three
show the same numbers, always through the reader's `scoped_queryset`.

A task is a signed contract (a draft is not counted); it belongs to the year its contract
starts (the year's cohort), backfilled tasks included. For each unit and year:
- by stage: in progress, in acceptance, accepted, not accepted, terminated (the contract's state);
- acceptance on time: of the tasks whose acceptance dossier fell due (30 days after the
  contract's end, TT 11/2014/TT-BKHCN, domain.md §7 "Acceptance") or was filed, those filed by
  the due date. A backfilled task's filing date is not in its spreadsheet: it is counted apart
  (`acceptance_unknown`), never guessed on time or late;
- ratings: Xuất sắc, Đạt, Không đạt;
- budget committed (state budget, other sources) and disbursed so far, in whole đồng.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear

from modules.engine import access, registry, workdays

from .acceptance_rules import EXCELLENT, FAIL, PASS

STAGES = ("active", "in_acceptance", "completed", "failed", "terminated")


@dataclass
class KpiRow:
    unit_id: int
    unit: str
    year: int
    tasks: int
    active: int
    in_acceptance: int
    completed: int
    failed: int
    terminated: int
    acceptance_due: int
    acceptance_on_time: int
    acceptance_unknown: int
    excellent: int
    passed: int
    not_passed: int
    state_budget: int
    other_budget: int
    disbursed: int

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.acceptance_on_time / self.acceptance_due, 1) if self.acceptance_due else None


def contracts(user: Any) -> Any:
    return access.scoped_queryset(user, registry.entity_by_label("stm.Contract")).exclude(state="draft")


def compute(
    user: Any, *, year: int | None = None, unit_id: Any = None, today: dt.date | None = None
) -> list[KpiRow]:
    """One row per (owning unit, start year) the user may see; one SQL query."""
    today = today or workdays.today()
    dossiers = registry.model_for("stm.AcceptanceDossier").objects.filter(
        contract=OuterRef("pk"), received_at__isnull=False
    )
    rows = contracts(user).annotate(
        year=ExtractYear("start_on"),
        filed=Exists(dossiers),
        filed_on_time=Exists(dossiers.filter(late=False)),
    )
    if year is not None:
        rows = rows.filter(start_on__year=year)
    if unit_id not in (None, ""):
        path = (
            registry.model_for("org.Unit")
            .objects.filter(pk=int(unit_id))
            .values_list("path", flat=True)
            .first()
        )
        rows = rows.filter(owner_unit__path__startswith=path) if path else rows.none()
    system = Q(backfilled=False)
    due = system & (Q(filed=True) | Q(acceptance_due__lt=today))
    aggregates = {
        "tasks": Count("id"),
        **{stage: Count("id", filter=Q(state=stage)) for stage in STAGES},
        "acceptance_due": Count("id", filter=due),
        "acceptance_on_time": Count("id", filter=due & Q(filed_on_time=True)),
        "acceptance_unknown": Count("id", filter=Q(backfilled=True, state__in=("completed", "failed"))),
        "excellent": Count("id", filter=Q(rating=EXCELLENT)),
        "passed": Count("id", filter=Q(rating=PASS)),
        "not_passed": Count("id", filter=Q(rating=FAIL)),
        "state_budget": Sum("state_budget"),
        "other_budget": Sum("other_budget"),
        "disbursed": Sum("disbursed"),
    }
    # aliases apart from the fields' names (an alias "acceptance_due" would shadow the field)
    grouped = list(
        rows.order_by()
        .values("owner_unit_id", "year")
        .annotate(**{f"k_{k}": v for k, v in aggregates.items()})
    )
    names = dict(
        registry.model_for("org.Unit")
        .objects.filter(pk__in={g["owner_unit_id"] for g in grouped})
        .values_list("id", "name")
    )
    money = ("state_budget", "other_budget", "disbursed")
    result = [
        KpiRow(
            unit_id=g["owner_unit_id"],
            unit=names.get(g["owner_unit_id"], "—"),
            year=g["year"],
            **{k: int(g[f"k_{k}"] or 0) if k in money else g[f"k_{k}"] for k in aggregates},
        )
        for g in grouped
    ]
    return sorted(result, key=lambda r: (-r.year, r.unit))
