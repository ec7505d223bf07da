"""S&T KPIs per unit and year (issue 19): tasks by stage, acceptance dossiers on time (30 days
after the contract's end, TT 11/2014), budget committed and disbursed; the same numbers in
GraphQL (scoped: a province reads only its own), on the admin dashboard and the live board."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from modules.stm import kpis
from tests.graphql import run
from tests.stm2_helpers import host, make_acceptance, make_contract, signed_contract
from tests.stm_helpers import fire

pytestmark = pytest.mark.django_db
VN = timezone.get_fixed_timezone(7 * 60)
DATES = {"start_on": dt.date(2027, 1, 4), "end_on": dt.date(2027, 10, 29)}  # a Monday, a Friday


@pytest.fixture
def tasks(org, legal_days):
    """Province A: two signed contracts starting 04/01/2027 and ending 29/10/2027 (the
    acceptance dossier is due Monday 29/11/2027); the first files its dossier on 15/11/2027, in
    time; one draft contract (not a task yet). Province B: one signed contract."""
    _, organisation, pi = host()
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=VN), tick=False):
        first = signed_contract(org.officer_a, organisation, pi, state_budget=1_000_000_000, **DATES)
        signed_contract(
            org.officer_a, organisation, pi, state_budget=2_000_000_000, other_budget=300_000_000, **DATES
        )
        make_contract(org.officer_a, organisation, pi, state_budget=9_000_000_000, **DATES)
        _, org_b, pi_b = host("congty_b", "Công ty B")
        signed_contract(org.officer_b, org_b, pi_b, state_budget=5_000_000_000, **DATES)
    with time_machine.travel(dt.datetime(2027, 11, 15, 9, tzinfo=VN), tick=False):
        fire(org.officer_a, make_acceptance(org.officer_a, first), "AcceptanceDossier", "submit")
    return org


def test_kpis_by_unit_and_year_count_stages_on_time_acceptance_and_budget(tasks):
    org = tasks
    [row] = kpis.compute(org.officer_a, today=dt.date(2027, 12, 15))
    assert (row.unit, row.year, row.tasks) == ("Sở KH&CN Hà Nội", 2027, 2)  # the draft is not a task
    assert (row.active, row.in_acceptance) == (1, 1)
    # both dossiers fell due on 29/11/2027; one was filed on 15/11, the other never
    assert (row.acceptance_due, row.acceptance_on_time, row.on_time_rate) == (2, 1, 50.0)
    assert (row.state_budget, row.other_budget, row.disbursed) == (3_000_000_000, 300_000_000, 0)
    # before the due date only the filed dossier counts, and it was on time
    [early] = kpis.compute(org.officer_a, today=dt.date(2027, 11, 20))
    assert (early.acceptance_due, early.acceptance_on_time) == (1, 1)
    assert kpis.compute(org.officer_a, year=2026) == []


def test_stm_kpis_in_graphql_is_scoped_to_the_reader(tasks):
    org = tasks
    query = "query($y: Int) { stmKpis(year: $y) { unit year tasks stateBudget onTimeRate } }"
    mine = run(query, {"y": 2027}, user=org.officer_a)["data"]["stmKpis"]
    assert mine == [
        {
            "unit": "Sở KH&CN Hà Nội",
            "year": 2027,
            "tasks": 2,
            "stateBudget": 3e9,
            "onTimeRate": mine[0]["onTimeRate"],
        }
    ]
    theirs = run(query, {"y": 2027}, user=org.officer_b)["data"]["stmKpis"]
    assert [(r["unit"], r["tasks"], r["stateBudget"]) for r in theirs] == [
        ("Sở KH&CN TP. Hồ Chí Minh", 1, 5e9)
    ]
    everyone = run(query, {"y": 2027}, user=org.leader)["data"]["stmKpis"]
    assert sorted(r["tasks"] for r in everyone) == [1, 2]
    bad = run('{ stmKpis(unit: "x") { tasks } }', user=org.officer_a)
    assert bad["errors"][0]["extensions"]["code"] in ("INVALID", "BAD_USER_INPUT")


def test_the_dashboard_and_the_live_board_show_the_kpis(tasks):
    org = tasks
    client = Client()
    with time_machine.travel(dt.datetime(2027, 12, 15, 9, tzinfo=VN), tick=False):
        client.force_login(org.officer_a)
        page = client.get("/admin/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Quá hạn nộp hồ sơ nghiệm thu" in html and "Kinh phí NSNN theo năm bắt đầu" in html
        board = client.get("/board/stm/")
        assert board.status_code == 200 and "stmKpis" in board.content.decode()
    assert Client().get("/board/stm/").status_code == 302  # to the log-in page
