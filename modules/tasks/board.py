"""The live status board (`/board/tasks/`): a wall screen or a leader's tablet.

The page is a shell; its figures come from the `taskBoard` GraphQL query and are
fetched again whenever the `taskChanged` or `taskDeadlines` subscription reports
a change, so counts move within a second of a mutation without a reload. Open it
signed in, or with a read-only API token (`?token=`), made in the admin and traded
at once for a board session (modules/engine/boards.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from modules.engine import figures as counting
from modules.engine import registry, workdays
from modules.engine.boards import page_viewer
from modules.engine.dashboard import Figure
from modules.engine.display import display_name

from . import figures, kpis, status

LIST_LIMIT = 30  # rows a list shows; its header says "30 / N" and links to the full admin list


@dataclass
class BoardTaskRow:
    id: int
    number: str
    title: str
    unit: str
    assignee: str
    deadline: dt.date | None
    status: str
    progress: float
    is_key: bool


@dataclass
class BoardList:
    """A tile and its list: `total` is the figure's count, `rows` at most LIST_LIMIT of them."""

    total: int
    rows: list[BoardTaskRow]
    url: str  # the admin list with the figure's filter: every row, not just the first ones

    @property
    def capped(self) -> bool:
        return len(self.rows) < self.total


@dataclass
class Board:
    period_from: dt.date
    period_to: dt.date
    units: list[kpis.KpiRow]
    overdue: BoardList
    near_deadline: BoardList


def build(user: Any, unit_id: Any = None, today: dt.date | None = None) -> Board:
    """Everything the board shows, for the rows `user` may see (one KPI query, two list queries)."""
    today = today or workdays.today()
    start, end = kpis.default_period(today)
    return Board(
        period_from=start,
        period_to=end,
        units=kpis.compute(user, start, end, unit_id=unit_id),
        overdue=_tasks(user, unit_id, figures.OVERDUE),
        near_deadline=_tasks(user, unit_id, figures.NEAR_DEADLINE),
    )


def _tasks(user: Any, unit_id: Any, figure: Figure) -> BoardList:
    """The figure's count and its first rows, from the one counting place (`engine.figures`)."""
    counted = counting.count(user, figure, unit_id)
    rows = list(counted.rows.select_related("owner_unit", "assignee").order_by("deadline", "id")[:LIST_LIMIT])
    people = kpis.person_names([r.assignee_id for r in rows if r.assignee_id])
    return BoardList(
        total=counted.count,
        url=counted.url,
        rows=[
            BoardTaskRow(
                id=r.pk,
                number=r.number,
                title=r.title,
                unit=r.owner_unit.short_name or r.owner_unit.name,
                assignee=people.get(r.assignee_id) or (display_name(r.assignee) if r.assignee else "—"),
                deadline=r.deadline,
                status=r.status,
                progress=float(r.progress or 0),
                is_key=bool(r.is_key),
            )
            for r in rows
        ],
    )


def board_view(request: HttpRequest) -> HttpResponse:
    viewer = page_viewer(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    user, client = viewer  # client: how the page's script reaches GraphQL (never a token)
    units = registry.model_for("org.Unit").objects.order_by("path").values("id", "name", "short_name", "path")
    unit = request.GET.get("unit") or ""
    return render(
        request,
        "tasks/board.html",
        {
            "board_config": {
                **client,
                "unit": unit or None,
                "statuses": {code: [vi, en] for code, vi, en in status.STATUSES},
            },
            "units": [
                {"id": u["id"], "label": u["short_name"] or u["name"], "depth": u["path"].count("/") - 2}
                for u in units
            ],
            "selected_unit": unit,
            "viewer": display_name(user),
        },
    )
