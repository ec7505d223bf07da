"""One number, one meaning (issue 12.6): a board tile, the admin list filter, the admin
dashboard figure and GraphQL `totalCount` count the same rows, for each viewer; a capped
board list says it is capped and links to the full admin list.

Expected values come from the rule (domain.md §3: a task is overdue when it is not
completed and its deadline has passed; paused and cancelled tasks are not), built here:
3 overdue tasks in province A, 2 in province B.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from modules.engine import workdays
from modules.engine.models import ApiToken
from tests.browser import chromium
from tests.graphql import run
from tests.live_server import daphne_server
from tests.tasks_helpers import fire, make_task, today

TASKS_LIST = "/admin/tasks/task/"


def past(days: int) -> dt.date:
    return workdays.subtract_working_days(today(), days)


def build_overdue(org: Any) -> None:
    """3 overdue in A (one assigned long before the board's period), 2 in B; and noise."""
    make_task(org, deadline=past(2))
    make_task(org, deadline=past(5))
    make_task(org, deadline=past(40), source_date=today() - dt.timedelta(days=300))  # old, still overdue
    make_task(org, unit=org.province_b, assignee=org.officer_b.pk, deadline=past(1))
    make_task(org, unit=org.province_b, assignee=org.officer_b.pk, deadline=past(3))
    paused = make_task(org, deadline=past(4))  # past its deadline but paused: not overdue
    fire(org.leader, paused, "pause", "Chờ ý kiến Bộ")
    make_task(org, deadline=workdays.add_working_days(today(), 1))  # near the deadline
    make_task(org, deadline=workdays.add_working_days(today(), 20))  # on track


def admin_count(user: Any, query: str, changelist: str = TASKS_LIST) -> int:
    client = Client()
    client.force_login(user)
    response = client.get(f"{changelist}?{query}")
    assert response.status_code == 200, response.status_code
    return response.context["cl"].result_count


def dashboard_figure(user: Any, key: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    found = [f for m in response.context["onemst_modules"] for f in m["figures"] if f["key"] == key]
    assert len(found) == 1, key
    return found[0]


BOARD = "{ taskBoard { overdueTotal overdueUrl nearDeadlineTotal listLimit overdue { id } } }"
LISTED = "{ tasks(filters: {status: {exact: %s}}) { totalCount } }"  # TaskStatus enum (issue 12.12)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [("leader", 5), ("officer_a", 3), ("officer_b", 2)])
def test_overdue_is_one_number_on_the_board_the_admin_and_graphql(org, who, expected):
    build_overdue(org)
    user = getattr(org, who)
    board = run(BOARD, user=user)["data"]["taskBoard"]
    listed = run(LISTED % "OVERDUE", user=user)
    assert "errors" not in listed, listed
    figure = dashboard_figure(user, "tasks.overdue")
    link = urlsplit(board["overdueUrl"])
    assert link.path == TASKS_LIST
    assert parse_qs(link.query) == {"status__exact": ["overdue"]}
    counts = {
        "tile": board["overdueTotal"],
        "list": len(board["overdue"]),
        "admin filter": admin_count(user, link.query),
        "dashboard": figure["count"],
        "dashboard link": admin_count(user, urlsplit(figure["url"]).query),
        "graphql": listed["data"]["tasks"]["totalCount"],
    }
    assert counts == dict.fromkeys(counts, expected)
    near = run(LISTED % "NEAR_DEADLINE", user=user)["data"]["tasks"]["totalCount"]
    assert board["nearDeadlineTotal"] == near == dashboard_figure(user, "tasks.near")["count"]


@pytest.mark.django_db
def test_a_board_unit_narrows_the_tile_and_its_link_alike(org):
    build_overdue(org)
    query = "query($u: ID) { taskBoard(unit: $u) { overdueTotal overdueUrl } }"
    board = run(query, {"u": str(org.province_b.pk)}, user=org.leader)["data"]["taskBoard"]
    assert board["overdueTotal"] == 2
    assert admin_count(org.leader, urlsplit(board["overdueUrl"]).query) == 2
    spying = run(query, {"u": str(org.province_b.pk)}, user=org.officer_a)["data"]["taskBoard"]
    assert spying["overdueTotal"] == 0  # another province: nothing, whatever the unit asked for


@pytest.mark.django_db(transaction=True)
def test_a_capped_board_list_says_so_and_links_to_the_full_list(org, legal_days):
    from modules.tasks.board import LIST_LIMIT

    for n in range(LIST_LIMIT + 2):
        make_task(org, deadline=past(1 + n % 5), title=f"Nhiệm vụ quá hạn số {n + 1}")
    make_task(org, deadline=workdays.add_working_days(today(), 1), title="Sắp đến hạn")
    _, token = ApiToken.issue(org.head_a, "Màn hình Sở", read_only=True)
    total = LIST_LIMIT + 2
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="vi-VN")
        page.goto(f"{base}/board/tasks/?token={token}")
        page.wait_for_selector("body[data-loaded]")
        assert page.inner_text("#t-overdue") == str(total)
        assert page.locator("#overdue li").count() == LIST_LIMIT
        assert page.inner_text("#n-over") == f"{LIST_LIMIT} / {total} — xem tất cả / see all"
        href = page.get_attribute("#n-over a[data-see-all]", "href")
        assert urlsplit(href).path == TASKS_LIST and "status__exact=overdue" in href
        assert page.get_attribute("#tile-overdue", "href") == href
        assert page.inner_text("#n-near") == "(1)"  # not capped: just the number, no "see all"
        assert page.locator("#n-near a").count() == 0
    assert admin_count(org.head_a, urlsplit(href).query) == total


DOSSIER_BOARD = (
    "{ dossierBoard { processing overdue waitingSupplement receivedToday tiles { key count url } } }"
)


@pytest.mark.django_db
def test_the_counter_board_tiles_are_the_admin_lists_they_link_to(org, legal_days):
    from modules.onestop.api import receive
    from tests.conftest import make_user
    from tests.onestop_helpers import applicant, make_procedure
    from tests.onestop_helpers import fire as fire_dossier

    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org)
    started = [fire_dossier(clerk, receive(clerk, applicant(procedure)), "start") for _ in range(3)]
    # the rule: in progress and past the promised date is "overdue" (2 of the 3)
    type(started[0]).objects.filter(pk__in=[d.pk for d in started[:2]]).update(
        classification="in_progress_overdue"
    )
    receive(clerk, applicant(procedure))  # received today, not started
    for user, expected in (
        (clerk, {"overdue": 2, "processing": 4, "receivedToday": 4}),  # received = accepted: in progress
        (org.officer_b, None),
    ):
        board = run(DOSSIER_BOARD, user=user)["data"]["dossierBoard"]
        if expected is None:  # another province's officer sees none of the counter's dossiers
            assert all(tile["count"] == 0 for tile in board["tiles"])
            continue
        assert {k: board[k] for k in expected} == expected
        for tile in board["tiles"]:
            assert admin_count(user, urlsplit(tile["url"]).query, "/admin/onestop/dossier/") == tile["count"]
        assert {t["key"]: t["count"] for t in board["tiles"]}["overdue"] == 2
    figure = dashboard_figure(clerk, "onestop.overdue")
    assert (
        figure["count"] == 2 and urlsplit(figure["url"]).query == "classification__exact=in_progress_overdue"
    )
