"""The S&T live board (`/board/stm/`): the KPIs per unit and year on a wall screen or a tablet.

The page is a shell; its numbers come from `stmKpis` (the same function as the dashboard and
GraphQL) and are fetched again whenever `contractChanged` reports a contract written, so a
signed contract or a recognised task moves the board without a reload. Open it signed in, or
with a read-only API token (`?token=`), traded at once for a board session (engine/boards.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from modules.engine import workdays
from modules.engine.boards import page_viewer
from modules.engine.display import display_name


def board_view(request: HttpRequest) -> HttpResponse:
    viewer = page_viewer(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    user, client = viewer
    year = request.GET.get("year", "")
    return render(
        request,
        "stm/board.html",
        {
            "board_config": {**client, "year": int(year) if year.isdigit() else None},
            "years": list(range(workdays.today().year, workdays.today().year - 8, -1)),
            "selected_year": year,
            "viewer": display_name(user),
        },
    )
