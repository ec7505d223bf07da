"""Dossier KPIs per processing unit and period, and the counter board's figures.

One function feeds `dossierKpis` in GraphQL, the admin dashboard and the board, over the
dossiers the viewer may see. A dossier belongs to the unit of its procedure's first
step (the unit answerable for it); the period is the receipt date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from modules.engine import access, registry
from modules.engine import figures as counting

from . import figures, outbox, rules

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

    @property
    def on_time_rate(self) -> float | None:
        decided = self.on_time + self.late
        return round(100 * self.on_time / decided, 1) if decided else None


def dossiers(user: Any) -> Any:
    return access.scoped_queryset(user, registry.entity_by_label("onestop.Dossier"), "view")


def compute(user: Any, start: dt.date, end: dt.date) -> list[KpiRow]:
    """Per processing unit, dossiers received in [start, end] (one grouped query)."""
    steps = registry.model_for("onestop.Procedure").steps.rel.related_model
    first_unit = (
        steps.objects.filter(parent=OuterRef("procedure")).order_by("position", "id").values("unit")[:1]
    )
    rows = (
        dossiers(user)
        .filter(receipt_date__gte=start, receipt_date__lte=end)
        .exclude(state="new")
        .annotate(unit_id=Subquery(first_unit))
        .values("unit_id")
        .annotate(
            received=Count("id"),
            on_time=Count("id", filter=Q(classification=rules.DONE_ON_TIME)),
            late=Count("id", filter=Q(classification__in=(rules.DONE_LATE, rules.IN_PROGRESS_OVERDUE))),
            in_progress=Count("id", filter=Q(classification=rules.IN_PROGRESS_ON_TIME)),
            waiting=Count("id", filter=Q(classification=rules.WAITING_SUPPLEMENT)),
            withdrawn=Count("id", filter=Q(classification=rules.WITHDRAWN)),
        )
        .order_by("-received")
    )
    rows = list(rows)
    names = dict(
        registry.model_for("org.Unit")
        .objects.filter(pk__in=[r["unit_id"] for r in rows])
        .values_list("pk", "name")
    )
    return [
        KpiRow(
            unit_id=r["unit_id"],
            unit=names.get(r["unit_id"], "—"),
            received=r["received"],
            on_time=r["on_time"],
            late=r["late"],
            in_progress=r["in_progress"],
            waiting_supplement=r["waiting"],
            withdrawn=r["withdrawn"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CounterBoard:
    received_today: int
    processing: int
    overdue: int
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
