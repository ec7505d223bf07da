"""Dossier KPIs per processing unit and period, and the counter board's figures.

One function feeds `dossierKpis` in GraphQL, the admin dashboard and the board, over the
dossiers the viewer may see. A dossier belongs to the unit of its procedure's first
step (the unit answerable for it); the period is the receipt date.

A period's figures are measured at its end, as the task KPIs are (`modules/tasks/kpis.py`)
and as the national index counts unfinished dossiers (766/QĐ-TTg, domain.md §1.5), so a
past period's numbers do not move when its dossiers finish later. The state at the end is
read from the dossier's timeline (every state change, with its time):
- completed on time / late: finished (processed, returned, stopped) by the end, on or
  before / after the promised date (more than one supplement request is late);
- overdue: still open at the end and its promised date already passed;
- refused at intake (Mẫu 03): in no on-time bucket, counted apart, like withdrawals;
- transferred late: passed to the processing unit after its 15:00-rule deadline (NĐ
  61/2018 Art. 18(1)), that deadline being gone by the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from modules.engine import access, registry
from modules.engine import figures as counting

from . import figures, outbox

LATEST = 12  # rows of the board's "latest" list; its header links to the full admin list


@dataclass(frozen=True)
class KpiRow:
    unit_id: int | None
    unit: str
    received: int
    on_time: int  # completed early or on time
    late: int  # completed late, or still open past the promised date
    in_progress: int
    waiting_supplement: int
    withdrawn: int
    refused: int = 0  # refused at intake: neither on time nor late
    transfer_late: int = 0  # passed to the processing unit after the 15:00-rule deadline

    @property
    def on_time_rate(self) -> float | None:
        decided = self.on_time + self.late
        return round(100 * self.on_time / decided, 1) if decided else None


def dossiers(user: Any) -> Any:
    return access.scoped_queryset(user, registry.entity_by_label("onestop.Dossier"), "view")


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the platform's time zone: "by the end of the period"."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone())


def at_period_end(user: Any, start: dt.date, end: dt.date) -> Any:
    """Dossiers received in [start, end], each with `end_state`: its state at the period's end."""
    dossier = registry.model_for("onestop.Dossier")
    timeline = dossier.timeline.rel.related_model
    state_then = (
        timeline.objects.filter(parent=OuterRef("pk"), at__lt=end_of(end))
        .order_by("-at", "-position", "-id")
        .values("status")[:1]
    )
    return (
        dossiers(user)
        .filter(receipt_date__gte=start, receipt_date__lte=end)
        .annotate(end_state=Subquery(state_then), finished_on=TruncDate("finished_at"))
        .filter(end_state__isnull=False)
        .exclude(end_state="new")  # an online submission not taken in by the end
    )


def outcomes(end: dt.date) -> dict[str, Any]:
    """The aggregates of one period, as things stood at its end (see the module docstring)."""
    finished = Q(end_state__in=("processed", "returned", "stopped"))
    in_time = (Q(promised_date__isnull=True) | Q(finished_on__lte=F("promised_date"))) & Q(
        supplement_count__lte=1
    )
    open_ = Q(end_state__in=("accepted", "processing", "payment"))
    overdue = open_ & Q(promised_date__lt=end)
    return {
        "received": Count("id"),
        "on_time": Count("id", filter=finished & in_time),
        "late": Count("id", filter=(finished & ~in_time) | overdue),
        "in_progress": Count("id", filter=open_ & ~Q(promised_date__lt=end)),
        "waiting": Count("id", filter=Q(end_state="supplement")),
        "withdrawn": Count("id", filter=Q(end_state="withdrawn")),
        "refused": Count("id", filter=Q(end_state="refused")),
        "transfer_late": Count("id", filter=Q(transfer_late=True, transfer_deadline__lt=end_of(end))),
    }


def totals(user: Any, start: dt.date, end: dt.date) -> KpiRow:
    """Every unit together (the dashboard's trend): one aggregate query."""
    row = at_period_end(user, start, end).aggregate(**outcomes(end))
    return KpiRow(unit_id=None, unit="", **_counts(row))


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {
        "received": row["received"],
        "on_time": row["on_time"],
        "late": row["late"],
        "in_progress": row["in_progress"],
        "waiting_supplement": row["waiting"],
        "withdrawn": row["withdrawn"],
        "refused": row["refused"],
        "transfer_late": row["transfer_late"],
    }


def compute(user: Any, start: dt.date, end: dt.date) -> list[KpiRow]:
    """Per processing unit, dossiers received in [start, end], measured at `end` (one grouped query)."""
    steps = registry.model_for("onestop.Procedure").steps.rel.related_model
    first_unit = (
        steps.objects.filter(parent=OuterRef("procedure")).order_by("position", "id").values("unit")[:1]
    )
    rows = (
        at_period_end(user, start, end)
        .annotate(unit_id=Subquery(first_unit))
        .values("unit_id")
        .annotate(**outcomes(end))
        .order_by("-received")
    )
    rows = list(rows)
    names = dict(
        registry.model_for("org.Unit")
        .objects.filter(pk__in=[r["unit_id"] for r in rows])
        .values_list("pk", "name")
    )
    return [KpiRow(unit_id=r["unit_id"], unit=names.get(r["unit_id"], "—"), **_counts(r)) for r in rows]


@dataclass(frozen=True)
class CounterBoard:
    received_today: int
    processing: int
    overdue: int
    transfer_late: int
    waiting_supplement: int
    returned_today: int
    portal_backlog: int
    latest: list[dict[str, Any]]
    urls: dict[str, str]  # each tile's admin list, with the filter that counted it
    latest_url: str = ""


def counter_board(user: Any, today: dt.date) -> CounterBoard:
    """The tiles are `figures.board_tiles`, counted as the dashboard and the admin list count them."""
    counted = {key: counting.count(user, figure) for key, figure in figures.board_tiles(today).items()}
    rows = dossiers(user)
    latest = [
        {"code": r.number, "procedure": r.procedure.name, "state": r.state, "promised": r.promised_date}
        for r in rows.exclude(state="new").select_related("procedure").order_by("-updated_at", "-id")[:LATEST]
    ]
    entity = registry.entity_by_label("onestop.Dossier")
    return CounterBoard(
        **{key: c.count for key, c in counted.items()},
        portal_backlog=outbox.backlog(),
        urls={key: c.url for key, c in counted.items()},
        latest_url=counting.changelist_url(entity, {}),
        latest=latest,
    )
