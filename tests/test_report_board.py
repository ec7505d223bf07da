"""The reporting board and `reportStatus`: access, what each viewer sees, live in a real browser."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest
from django.test import Client

from modules.engine.models import ApiToken
from modules.reporting import submissions
from tests.browser import chromium
from tests.conftest import make_unit
from tests.graphql import run
from tests.live_server import collect_events, daphne_server, post_graphql, wait_until_listening
from tests.reporting_helpers import fire, good_values, make_form, make_regime, open_period, submission_of

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
BOARD = (
    "query($p: ID!) { reportBoard(period: $p) { cells { unitCode status number } counts { status count } } }"
)
STATUS = "subscription($p: ID!) { reportStatus(period: $p) { id unitId state timeliness } }"
SUBMIT = "mutation($id: ID!, $v: Int!) { submissionSubmit(id: $id, version: $v) { ok errors { message } } }"
ACCEPT = "mutation($id: ID!, $v: Int!) { submissionAccept(id: $id, version: $v) { ok errors { message } } }"


def _period(org):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return open_period(org.admin, regime, 2027, 1)  # not yet due


def _fill(user, sub):
    return submissions.save_values(user, sub.pk, sub.version, good_values())


@pytest.mark.django_db
def test_the_board_needs_a_login_or_a_valid_token(org, legal_days):
    period = _period(org)
    client = Client()
    response = client.get(f"/board/reports/?period={period.pk}")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/board/reports/?token=omst_nope").status_code == 403
    _, full = ApiToken.issue(org.leader, "Máy của lãnh đạo")
    assert client.get(f"/board/reports/?token={full}").status_code == 403  # read-only tokens only
    _, raw = ApiToken.issue(org.leader, "Màn hình Văn phòng", read_only=True)
    page = client.get(f"/board/reports/?token={raw}", follow=True)  # traded for a board session
    assert page.redirect_chain == [("/board/reports/", 302)]
    assert page.status_code == 200 and "Bảng tin báo cáo" in page.content.decode()
    assert raw not in page.content.decode()
    assert period.label in page.content.decode()  # the latest period is chosen


@pytest.mark.django_db
def test_a_province_sees_its_own_cell_and_accepted_ones_never_others_drafts(org, legal_days):
    period = _period(org)
    mine = _fill(org.officer_a, submission_of(period, org.province_a))
    fire(org.officer_a, mine, "submit")
    cells = {
        c["unitCode"]: c
        for c in run(BOARD, {"p": str(period.pk)}, user=org.officer_b)["data"]["reportBoard"]["cells"]
    }
    assert cells["SKHCN-01"] == {"unitCode": "SKHCN-01", "status": "HIDDEN", "number": ""}
    assert cells["SKHCN-79"]["status"] == "PENDING"
    leader_cells = run(BOARD, {"p": str(period.pk)}, user=org.leader)["data"]["reportBoard"]["cells"]
    assert {c["unitCode"]: c["status"] for c in leader_cells} == {
        "SKHCN-01": "SUBMITTED",
        "SKHCN-79": "PENDING",
    }
    fire(org.admin, mine, "accept")
    cells = {
        c["unitCode"]: c
        for c in run(BOARD, {"p": str(period.pk)}, user=org.officer_b)["data"]["reportBoard"]["cells"]
    }
    assert cells["SKHCN-01"]["status"] in ("ACCEPTED", "ACCEPTED_LATE")
    assert run(BOARD, {"p": "abc"}, user=org.officer_b)["data"]["reportBoard"] is None


@pytest.mark.django_db(transaction=True)
def test_report_status_events_follow_the_viewers_rights(org, legal_days):
    period = _period(org)
    mine = _fill(org.officer_a, submission_of(period, org.province_a))
    _, token_a = ApiToken.issue(org.officer_a, "a")
    _, token_b = ApiToken.issue(org.officer_b, "b")
    _, token_admin = ApiToken.issue(org.admin, "admin")
    with daphne_server() as base:

        async def scenario() -> tuple[list, list]:
            seen_a: list = []
            seen_b: list = []
            ready_a, ready_b = asyncio.Event(), asyncio.Event()
            listeners = [
                asyncio.create_task(
                    collect_events(
                        base, token_a, STATUS, {"p": str(period.pk)}, "reportStatus", seen_a, ready_a
                    )
                ),
                asyncio.create_task(
                    collect_events(
                        base, token_b, STATUS, {"p": str(period.pk)}, "reportStatus", seen_b, ready_b
                    )
                ),
            ]
            await asyncio.wait_for(asyncio.gather(ready_a.wait(), ready_b.wait()), 30)
            await wait_until_listening("reporting.status")
            loop = asyncio.get_running_loop()
            submitted = await loop.run_in_executor(
                None, lambda: post_graphql(base, token_a, SUBMIT, {"id": str(mine.pk), "v": mine.version})
            )
            assert submitted["data"]["submissionSubmit"]["ok"], submitted
            for _ in range(100):
                if seen_a:
                    break
                await asyncio.sleep(0.05)
            accepted = await loop.run_in_executor(
                None,
                lambda: post_graphql(base, token_admin, ACCEPT, {"id": str(mine.pk), "v": mine.version + 1}),
            )
            assert accepted["data"]["submissionAccept"]["ok"], accepted
            for _ in range(100):
                if len(seen_a) >= 2 and seen_b:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            for listener in listeners:
                listener.cancel()
            return seen_a, seen_b

        seen_a, seen_b = asyncio.run(scenario())
    assert [e["state"] for e in seen_a] == ["SUBMITTED", "ACCEPTED"]
    assert [e["state"] for e in seen_b] == ["ACCEPTED"]  # never the other province's submitted draft


@pytest.mark.django_db(transaction=True)
def test_the_board_changes_live_when_a_province_submits(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    from modules.org.provinces import valid_codes
    from tests.reporting_helpers import INDICATORS  # noqa: F401  (the form above)

    others = [p for p in valid_codes(dt.date(2027, 1, 1)) if p.code not in ("01", "79")]
    for province in others:  # the other 32 of the 34 provinces, with codes valid today
        make_unit(
            org.admin,
            f"SKHCN-{province.code}x",
            f"Sở KH&CN {province.name}",
            "provincial_dost",
            province_code=province.code,
        )
    period = open_period(org.admin, regime, 2027, 1)
    model = type(submission_of(period, org.province_b))
    rows = list(model.objects.filter(period=period).exclude(owner_unit__in=(org.province_a, org.province_b)))
    for i, row in enumerate(rows):  # a lively grid: sent, accepted, returned, still drafts
        if i % 4 == 3:
            continue
        row = _fill(org.admin, row)
        row = fire(org.admin, row, "submit")
        if i % 4 == 0:
            fire(org.admin, row, "accept")
        elif i % 8 == 1:
            fire(org.admin, row, "return_for_revision", "Bổ sung số liệu")
    mine = _fill(org.officer_a, submission_of(period, org.province_a))
    _, board_token = ApiToken.issue(org.leader, "Màn hình Văn phòng Bộ", read_only=True)
    _, officer_token = ApiToken.issue(org.officer_a, "officer")
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
        page.goto(f"{base}/board/reports/?token={board_token}&period={period.pk}")
        page.wait_for_selector("body[data-loaded]")
        page.wait_for_selector("#live.on")
        assert page.url == f"{base}/board/reports/?period={period.pk}" and board_token not in page.content()
        assert page.locator(".cell").count() == 34
        assert page.get_attribute('[data-unit="SKHCN-01"]', "data-status") == "pending"
        page.evaluate("window.notReloaded = true")
        started = time.monotonic()
        done = post_graphql(base, officer_token, SUBMIT, {"id": str(mine.pk), "v": mine.version})
        assert done["data"]["submissionSubmit"]["ok"], done
        page.wait_for_function(
            "document.querySelector('[data-unit=\"SKHCN-01\"]').dataset.status === 'submitted'", timeout=5000
        )
        elapsed = time.monotonic() - started
        assert page.evaluate("window.notReloaded") is True
        assert elapsed < 1.5, f"the cell changed {elapsed:.2f} s after the mutation"
        page.screenshot(path=str(SCREENS / "reports-board.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
        phone.goto(f"{base}/board/reports/?token={board_token}&period={period.pk}")
        phone.wait_for_selector("body[data-loaded]")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        phone.screenshot(path=str(SCREENS / "reports-board-phone.png"), full_page=True)
