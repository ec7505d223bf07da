"""The counter board's tiles, declared once as admin-list filters (issue 12.6).

The board (`kpis.counter_board`, `dossierBoard`), the admin dashboard and the admin list
each tile links to count these same filters through `engine.figures`, so "Quá hạn" on the
wall screen is the number the clerk finds behind the dashboard figure and the list filter.
"""

from __future__ import annotations

import datetime as dt

from modules.engine import registry
from modules.engine.dashboard import Figure

from . import rules

DOSSIER = "onestop.Dossier"
IN_PROGRESS_STATES = ("accepted", "processing", "payment")

IN_PROGRESS = Figure(
    key="onestop.in_progress",
    label_vi="Đang giải quyết",
    label_en="In progress",
    entity=DOSSIER,
    where={"state__in": ",".join(IN_PROGRESS_STATES)},
)

OVERDUE = Figure(
    key="onestop.overdue",
    label_vi="Quá hạn",
    label_en="Overdue",
    entity=DOSSIER,
    where={"classification__exact": rules.IN_PROGRESS_OVERDUE},
    tone="bad",
    help_vi="Đang giải quyết, đã quá ngày hẹn trả",
    help_en="In progress, past the promised date",
)

TRANSFER_LATE = Figure(
    key="onestop.transfer_late",
    label_vi="Chuyển xử lý muộn",
    label_en="Transferred late",
    entity=DOSSIER,
    where={"transfer_late__exact": "1", "state__in": ",".join((*IN_PROGRESS_STATES, "supplement"))},
    tone="bad",
    help_vi="Đang giải quyết, chuyển cho đơn vị xử lý sau hạn (quy tắc 15 giờ, NĐ 61/2018 Điều 18)",
    help_en="In progress, passed to the processing unit after the 15:00-rule deadline",
)

WAITING = Figure(
    key="onestop.waiting",
    label_vi="Chờ bổ sung",
    label_en="Waiting for documents",
    entity=DOSSIER,
    where={"state__exact": "supplement"},
    tone="warn",
)


def received_on(day: dt.date) -> Figure:
    """Dossiers received at the counter that day (an unconfirmed online submission is not)."""
    workflow = registry.entity_by_label(DOSSIER).workflow
    states = [s.code for s in workflow.states if s.code != "new"] if workflow else []
    return Figure(
        key="onestop.received_today",
        label_vi="Tiếp nhận hôm nay",
        label_en="Received today",
        entity=DOSSIER,
        where={"receipt_date__exact": day.isoformat(), "state__in": ",".join(states)},
    )


def returned_on(day: dt.date) -> Figure:
    return Figure(
        key="onestop.returned_today",
        label_vi="Trả kết quả hôm nay",
        label_en="Returned today",
        entity=DOSSIER,
        where={"state__exact": "returned", "finished_at__date": day.isoformat()},
        tone="good",
    )


def board_tiles(today: dt.date) -> dict[str, Figure]:
    """The board's counted tiles by their GraphQL field (the portal backlog is no dossier filter)."""
    return {
        "received_today": received_on(today),
        "processing": IN_PROGRESS,
        "overdue": OVERDUE,
        "transfer_late": TRANSFER_LATE,
        "waiting_supplement": WAITING,
        "returned_today": returned_on(today),
    }
