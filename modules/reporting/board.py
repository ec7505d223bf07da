"""The live reporting board (`/board/reports/`): the 34 provinces of a period, coloured by status.

The page is a shell; the grid comes from the `reportBoard` query and is fetched again
whenever `reportStatus(period)` reports a change, so a submission or an acceptance
shows within a second, without a reload. Cells of reports the viewer may not see
(another province's draft, for a provincial officer) stay blank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from modules.engine import access, registry
from modules.engine.boards import page_viewer
from modules.engine.display import display_name

from . import periods, submissions

# (key, label_vi, label_en, colour): what a cell shows, from state and timeliness
CELL_STATUSES = (
    ("pending", "Chưa gửi, còn hạn", "Not sent, not yet due", "#475569"),
    ("missing", "Quá hạn chưa gửi", "Missing", "#dc2626"),
    ("submitted", "Đã gửi, chờ duyệt", "Submitted", "#2563eb"),
    ("returned", "Trả lại chỉnh sửa", "Returned", "#d97706"),
    ("resubmitted", "Đã gửi lại", "Resubmitted", "#7c3aed"),
    ("accepted", "Đã tiếp nhận đúng hạn", "Accepted on time", "#16a34a"),
    ("accepted_late", "Đã tiếp nhận, gửi trễ", "Accepted, sent late", "#65a30d"),
    ("hidden", "Không được xem", "Not visible to you", "#1e293b"),
)


@dataclass
class BoardCell:
    unit_id: int
    unit_code: str
    unit_name: str
    province_code: str
    status: str
    submission_id: int | None
    number: str
    submitted_at: dt.datetime | None


@dataclass
class ReportBoard:
    period_id: int
    period_label: str
    regime_name: str
    deadline: dt.date
    cells: list[BoardCell]
    counts: dict[str, int]


def cell_status(state: str, timeliness: str) -> str:
    if state == "draft":
        return "missing" if timeliness == submissions.MISSING else "pending"
    if state == "accepted":
        return "accepted_late" if timeliness == submissions.LATE else "accepted"
    return state


def default_period(user: Any) -> Any | None:
    """The latest period whose deadline has come or is nearest, of any active regime."""
    entity = registry.entity_by_label("reporting.ReportPeriod")
    return access.scoped_queryset(user, entity, "view").order_by("-deadline", "-id").first()


def build(user: Any, period_id: Any) -> ReportBoard | None:
    entity = registry.entity_by_label("reporting.ReportPeriod")
    period = (
        access.scoped_queryset(user, entity, "view").select_related("regime").filter(pk=period_id).first()
        if str(period_id).isdigit()
        else None
    )
    if period is None:
        return None
    visible = {
        row.owner_unit_id: row
        for row in access.scoped_queryset(user, submissions.submission_entity(), "view").filter(period=period)
    }
    units = {u.pk: u for u in periods.reporting_units(period.regime)}
    submission_units = registry.model_for("reporting.Submission").objects.filter(period=period)
    for unit in registry.model_for("org.Unit").objects.filter(
        pk__in=submission_units.values("owner_unit_id")
    ):
        units.setdefault(unit.pk, unit)
    cells = []
    for unit in sorted(units.values(), key=lambda u: (u.province_code or "", u.code)):
        row = visible.get(unit.pk)
        cells.append(
            BoardCell(
                unit_id=unit.pk,
                unit_code=unit.code,
                unit_name=unit.short_name or unit.name,
                province_code=unit.province_code or "",
                status=cell_status(row.state, row.timeliness) if row else "hidden",
                submission_id=row.pk if row else None,
                number=row.number if row else "",
                submitted_at=row.submitted_at if row else None,
            )
        )
    counts: dict[str, int] = {key: 0 for key, *_ in CELL_STATUSES}
    for cell in cells:
        counts[cell.status] += 1
    return ReportBoard(
        period_id=period.pk,
        period_label=period.label,
        regime_name=period.regime.name,
        deadline=period.deadline,
        cells=cells,
        counts=counts,
    )


def board_view(request: HttpRequest) -> HttpResponse:
    viewer = page_viewer(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    user, client = viewer  # client: how the page's script reaches GraphQL (never a token)
    entity = registry.entity_by_label("reporting.ReportPeriod")
    choices = (
        access.scoped_queryset(user, entity, "view").select_related("regime").order_by("-deadline", "regime")
    )
    chosen = request.GET.get("period") or ""
    if not chosen:
        latest = default_period(user)
        chosen = str(latest.pk) if latest else ""
    return render(
        request,
        "reporting/board.html",
        {
            "board_config": {
                **client,
                "period": chosen or None,
                "statuses": {key: [vi, en, colour] for key, vi, en, colour in CELL_STATUSES},
            },
            "periods": [{"id": p.pk, "label": f"{p.regime.code} · {p.label}"} for p in choices[:60]],
            "selected": chosen,
            "viewer": display_name(user),
        },
    )
