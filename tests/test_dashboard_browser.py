"""The admin dashboard in a real browser (Debian chromium, real Daphne), as a leader and an officer.

Checked at 1440×900 and on a phone (390×844): the page stays short, no chart is drawn over
anything, nothing overflows sideways, every headline figure links to a list holding exactly
that many rows, and a provincial officer's figures are their province's only. The expected
numbers are written from the tasks and reports this test makes, not from the dashboard code.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from modules.engine import workdays
from tests.browser import chromium
from tests.live_server import daphne_server
from tests.reporting_helpers import make_form, make_regime, open_period
from tests.tasks_helpers import fire, in_working_days, make_task, today

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# Every chart box, figure, card and table on the page, with its rectangle.
BOXES = """() => [...document.querySelectorAll(
    '#onemst-dashboard canvas, #onemst-dashboard [data-chart-box], #onemst-dashboard [data-module],'
    + ' #onemst-dashboard [data-panel], #onemst-dashboard [data-figure], #onemst-dashboard table')]
  .map((el, i) => {
    const r = el.getBoundingClientRect();
    return {i, tag: el.tagName, key: el.dataset.panel || el.dataset.module || el.dataset.figure || '',
            x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height,
            visible: r.width > 0 && r.height > 0,
            path: (() => { const p = []; for (let e = el; e; e = e.parentElement) p.push(e); return p; })()
              .map(e => e.dataset ? (e.dataset.panel || e.dataset.module || '') : '').filter(Boolean)};
  })"""


def working_days_ago(n: int) -> dt.date:
    """The n-th working day before today: a deadline already passed (a day off would move)."""
    day, seen = today(), 0
    while seen < n:
        day -= dt.timedelta(days=1)
        seen += workdays.is_working_day(day)
    return day


@pytest.fixture
def work(org: Any, legal_days: Any) -> dict[str, Any]:
    """Tasks in two provinces and one reporting period; what each viewer must see, by hand."""
    past = today() - dt.timedelta(days=20)
    # province A: on track, overdue, near the deadline, and one completed on time this month
    make_task(org, title="A đúng tiến độ", deadline=in_working_days(15))
    make_task(org, title="A quá hạn", source_date=past, deadline=working_days_ago(3))
    make_task(org, title="A sắp đến hạn", deadline=in_working_days(1))
    done = make_task(org, title="A xong", deadline=in_working_days(15), completed_on=today())
    fire(org.officer_a, done, "complete")
    # province B: overdue and on track (its own officer is responsible)
    make_task(
        org,
        unit=org.province_b,
        assignee=org.officer_b.pk,
        title="B quá hạn",
        source_date=past,
        deadline=working_days_ago(2),
    )
    make_task(
        org,
        unit=org.province_b,
        assignee=org.officer_b.pk,
        title="B đúng tiến độ",
        deadline=in_working_days(15),
    )
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    open_period(org.admin, regime, year=today().year, index=today().month)
    return {
        "leader": {
            "tasks.open": 5,
            "tasks.overdue": 2,
            "tasks.near": 1,
            "tasks.done_on_time": 1,
            "reporting.sent": 0,
            "reporting.sent/total": 2,
        },
        "officer_a": {
            "tasks.open": 3,
            "tasks.overdue": 1,
            "tasks.near": 1,
            "tasks.done_on_time": 1,
            "reporting.sent": 0,
            "reporting.sent/total": 1,
        },
    }


def log_in(browser: Any, base: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_page(locale="vi-VN", viewport=viewport)
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/admin/", page.url
    return page


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["x"] < b["x"] + b["w"] - 1
        and b["x"] < a["x"] + a["w"] - 1
        and a["y"] < b["y"] + b["h"] - 1
        and (b["y"] < a["y"] + a["h"] - 1)
    )


def check_layout(page: Any, *, phone: bool) -> None:
    boxes = [b for b in page.evaluate(BOXES) if b["visible"]]
    canvases = [b for b in boxes if b["tag"] == "CANVAS"]
    for canvas in canvases:
        own = canvas["path"][0] if canvas["path"] else ""
        box = next(b for b in boxes if b["tag"] == "DIV" and b["key"] == "" and b["i"] == canvas["i"] - 1)
        # the canvas fills its fixed box and no more
        assert canvas["h"] <= box["h"] + 1 and canvas["y"] >= box["y"] - 1, (canvas, box)
        assert 120 <= canvas["h"] <= 320, canvas
        for other in boxes:
            if other is canvas or other is box:
                continue
            if other["tag"] == "DIV" and other["key"] == own and other["key"]:
                continue  # the chart's own card
            if other["tag"] == "CANVAS" or other["tag"] == "TABLE" or other["key"]:
                assert not overlaps(canvas, other), (canvas["path"], other["key"], other["tag"])
    cards = [b for b in boxes if b["tag"] == "DIV" and b["key"] and b["path"][:1] == [b["key"]]]
    for n, a in enumerate(cards):
        for b in cards[n + 1 :]:
            assert not overlaps(a, b), (a["key"], b["key"])
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{width} px wide in a {viewport} px window"
    if not phone:
        height = page.evaluate("() => document.documentElement.scrollHeight")
        assert height < 2500, f"the dashboard is {height} px long"


def figures_of(page: Any) -> dict[str, dict[str, Any]]:
    return {
        f["key"]: f
        for f in page.evaluate(
            """() => [...document.querySelectorAll('[data-figure]')].map(a => ({
                key: a.dataset.figure, count: +a.dataset.count, url: a.href,
                total: a.dataset.total === undefined ? null : +a.dataset.total,
                totalUrl: a.dataset.totalUrl ? new URL(a.dataset.totalUrl, location.href).href : null,
                top: a.getBoundingClientRect().top}))"""
        )
    }


def list_count(page: Any, url: str) -> int:
    """The number of rows the admin list shows at `url` (all on one page here)."""
    page.goto(url)
    page.wait_for_load_state()
    assert "/admin/" in page.url and "?e=1" not in page.url, f"the list refused {url}: {page.url}"
    rows = page.locator("#result_list tr.data-row").count()
    text = page.inner_text("body")
    assert rows < 100, "a figure's list should fit one page in this test"
    assert re.search(rf"(^|\s){rows}\s", text), f"no row count {rows} on {url}"
    return rows


def check_figures(page: Any, base: str, expected: dict[str, int]) -> dict[str, dict[str, Any]]:
    page.goto(f"{base}/admin/")
    page.wait_for_load_state("networkidle")
    figures = figures_of(page)
    assert figures, "no headline figure on the dashboard"
    for key, want in expected.items():
        name, _, part = key.partition("/")
        got = figures[name]["total" if part == "total" else "count"]
        assert got == want, f"{key}: the dashboard says {got}, the data {want}"
    for figure in figures.values():
        assert list_count(page, figure["url"]) == figure["count"], figure
        if figure["totalUrl"]:
            assert list_count(page, figure["totalUrl"]) == figure["total"], figure
    return figures


def test_the_dashboard_reads_at_a_glance_for_a_leader_and_an_officer(org, work):
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        leader = log_in(browser, base, "leader", DESKTOP)
        check_layout(leader, phone=False)
        modules = leader.evaluate(
            "() => [...document.querySelectorAll('[data-module]')].map(m => m.dataset.module)"
        )
        assert {"tasks", "reporting", "onestop", "petitions", "attendance"} <= set(modules), modules
        # the first screen holds every module's headline figures (or nearly: within 1.2 screens)
        tops = leader.evaluate(
            "() => [...document.querySelectorAll('[data-figure]')].map(a => a.getBoundingClientRect().bottom)"
        )
        assert max(tops) <= 1.2 * DESKTOP["height"], max(tops)
        leader.screenshot(path=str(SCREENS / "dashboard-leader-1440.png"), full_page=True)
        body = leader.inner_text("#onemst-dashboard")
        assert "None" not in body and "in_progress" not in body and "done_on_time" not in body
        check_figures(leader, base, work["leader"])

        phone = log_in(browser, base, "leader", PHONE)
        check_layout(phone, phone=True)
        phone.screenshot(path=str(SCREENS / "dashboard-leader-phone.png"), full_page=True)

        officer = log_in(browser, base, "officer_a", DESKTOP)
        check_layout(officer, phone=False)
        officer_modules = officer.evaluate(
            "() => [...document.querySelectorAll('[data-module]')].map(m => m.dataset.module)"
        )
        assert "attendance" not in officer_modules and "petitions" not in officer_modules
        assert "Sở KH&CN Hà Nội" in officer.inner_text("[data-scope]")
        officer.screenshot(path=str(SCREENS / "dashboard-officer-1440.png"), full_page=True)
        check_figures(officer, base, work["officer_a"])
        officer_phone = log_in(browser, base, "officer_a", PHONE)
        check_layout(officer_phone, phone=True)
