"""The live status board: access, read-only board tokens, and live counts in a real browser."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.test import Client

from modules.engine import workdays
from modules.engine.models import ApiToken
from tests.browser import chromium
from tests.graphql import run
from tests.live_server import daphne_server, post_graphql
from tests.tasks_helpers import make_task, today

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
COMPLETE = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok errors { message } } }"


@pytest.mark.django_db
def test_the_board_needs_a_login_or_a_valid_token(org):
    client = Client()
    response = client.get("/board/tasks/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/board/tasks/?token=omst_nope").status_code == 403
    _, full = ApiToken.issue(org.head_a, "Máy của trưởng phòng")
    assert client.get(f"/board/tasks/?token={full}").status_code == 403  # read-only tokens only
    _, raw = ApiToken.issue(org.head_a, "Màn hình phòng họp", read_only=True)
    page = client.get(f"/board/tasks/?token={raw}", follow=True)  # traded for a board session
    assert page.redirect_chain == [("/board/tasks/", 302)]
    assert page.status_code == 200 and "Bảng tin nhiệm vụ" in page.content.decode()
    assert raw not in page.content.decode()
    client.force_login(org.officer_a)
    assert client.get("/board/tasks/").status_code == 200


@pytest.mark.django_db
def test_a_read_only_board_token_reads_but_never_writes(org):
    task = make_task(org)
    _, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    board = run("{ taskBoard { units { key assigned } } }", token=raw)
    assert board["data"]["taskBoard"]["units"] == [{"key": str(org.province_a.pk), "assigned": 1}]
    refused = run(COMPLETE, {"id": str(task.pk), "v": task.version}, token=raw)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    task.refresh_from_db()
    assert task.state == "in_progress" and task.version == 1


@pytest.mark.django_db
def test_the_board_shows_only_what_the_viewer_may_see(org):
    make_task(org, deadline=workdays.subtract_working_days(today(), 2))
    make_task(
        org,
        unit=org.province_b,
        assignee=org.officer_b.pk,
        deadline=workdays.subtract_working_days(today(), 2),
    )
    mine = run("{ taskBoard { units { key overdue } overdue { unit } } }", user=org.officer_b)["data"][
        "taskBoard"
    ]
    assert mine["units"] == [{"key": str(org.province_b.pk), "overdue": 1}]
    assert [t["unit"] for t in mine["overdue"]] == ["Sở KH&CN TP. Hồ Chí Minh"]
    spying = run(
        "query($u: ID) { taskBoard(unit: $u) { units { key } overdue { id } } }",
        {"u": str(org.province_a.pk)},
        user=org.officer_b,
    )["data"]["taskBoard"]
    assert spying == {"units": [], "overdue": []}
    bad = run('{ taskBoard(unit: "abc") { units { key } } }', user=org.officer_b)
    assert bad["errors"][0]["extensions"]["code"] == "INVALID"


@pytest.mark.django_db(transaction=True)
def test_counts_change_live_when_a_task_is_completed_elsewhere(org, legal_days):
    tasks = [make_task(org, deadline=workdays.add_working_days(today(), 8)) for _ in range(3)]
    make_task(org, deadline=workdays.subtract_working_days(today(), 3), title="Báo cáo quý III chưa nộp")
    make_task(
        org, deadline=workdays.add_working_days(today(), 1), title="Chuẩn bị giao ban tuần", is_key=True
    )
    make_task(org, unit=org.province_b, assignee=org.officer_b.pk)
    _, board_token = ApiToken.issue(org.head_a, "Màn hình Sở", read_only=True)
    _, officer_token = ApiToken.issue(org.officer_a, "officer")
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
        page.goto(f"{base}/board/tasks/?token={board_token}")
        page.wait_for_selector("body[data-loaded]")
        page.wait_for_selector("#live.on")
        assert page.url == f"{base}/board/tasks/" and board_token not in page.content()  # a board session
        assert page.inner_text("#t-ontime") == "0"
        assert page.inner_text("#t-assigned") == "5"  # province A only: the token is head A's
        assert "Báo cáo quý III chưa nộp" in page.inner_text("#overdue")
        assert "Chuẩn bị giao ban tuần" in page.inner_text("#near")
        page.evaluate("window.notReloaded = true")
        started = time.monotonic()
        done = post_graphql(base, officer_token, COMPLETE, {"id": str(tasks[0].pk), "v": tasks[0].version})
        assert done["data"]["taskComplete"]["ok"], done
        page.wait_for_function("document.getElementById('t-ontime').textContent === '1'", timeout=5000)
        elapsed = time.monotonic() - started
        assert page.evaluate("window.notReloaded") is True
        assert page.inner_text("#t-progress") == "3"  # 4 within the deadline (one near it), one done
        print(f"board updated {elapsed:.3f} s after the mutation returned")
        assert elapsed < 1.0, f"the count changed {elapsed:.2f} s after the mutation"
        page.screenshot(path=str(SCREENS / "tasks-board.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
        phone.goto(f"{base}/board/tasks/?token={board_token}")
        phone.wait_for_selector("body[data-loaded]")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        phone.screenshot(path=str(SCREENS / "tasks-board-phone.png"), full_page=True)
