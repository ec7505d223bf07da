"""Task KPIs: the Government Office's counts per unit and person, the same in GraphQL and the admin."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils.html import escape

from modules.engine import workdays
from modules.engine.numbers import vi_percent
from modules.tasks import kpis
from tests.graphql import run
from tests.tasks_helpers import fire, make_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_days")]

D = dt.date.fromisoformat
OCTOBER = (D("2026-10-01"), D("2026-10-31"))


@pytest.fixture
def october(org):
    def task(src, deadline=None, completed=None, unit=None, assignee=None, cancel=False):
        made = make_task(
            org,
            unit=unit,
            source_date=D(src),
            deadline=D(deadline) if deadline else None,
            assignee=(assignee or org.officer_a).pk,
            **({"completed_on": D(completed)} if completed else {}),
        )
        if completed:
            fire(org.officer_a if unit is None else org.officer_b, made, "complete")
        if cancel:
            fire(org.leader, made, "cancel", "Không còn cần thiết")
        return made

    task("2026-10-01", "2026-10-09", "2026-10-08")  # on time
    task("2026-10-02", "2026-10-09", "2026-10-20")  # late
    task("2026-10-05", "2026-10-20")  # overdue at the end of October
    task("2026-10-05", "2026-11-30")  # in progress, within the deadline
    task("2026-10-06")  # no deadline: in progress
    task("2026-10-07", "2026-11-30", cancel=True)
    task("2026-09-15", "2026-10-09")  # assigned before the period: not counted
    task("2026-10-08", "2026-10-15", "2026-11-05")  # done after the period: overdue at its end
    task("2026-10-12", "2026-10-20", "2026-10-19", unit=org.province_b, assignee=org.officer_b)


def figures(row):
    return (
        row.assigned,
        row.completed_on_time,
        row.completed_late,
        row.in_progress_on_time,
        row.overdue,
        row.cancelled,
        row.on_time_rate,
    )


def test_counts_per_unit_follow_the_classification(org, october):
    rows = {r.key: r for r in kpis.compute(org.leader, *OCTOBER)}
    assert figures(rows[org.province_a.pk]) == (7, 1, 1, 2, 2, 1, 25.0)
    assert figures(rows[org.province_b.pk]) == (1, 1, 0, 0, 0, 0, 100.0)


def test_a_province_sees_only_its_own_figures(org, october):
    assert [r.key for r in kpis.compute(org.officer_a, *OCTOBER)] == [org.province_a.pk]
    assert [r.key for r in kpis.compute(org.officer_b, *OCTOBER)] == [org.province_b.pk]
    # asking for the other province's unit yields nothing, not its figures
    assert kpis.compute(org.officer_b, *OCTOBER, unit_id=org.province_a.pk) == []


def test_graphql_gives_the_same_figures_per_unit_and_person(org, october):
    query = """query($f: Date!, $t: Date!, $u: ID, $g: TaskKpiGrouping!) {
        taskKpis(dateFrom: $f, dateTo: $t, unit: $u, groupBy: $g) {
            key label assigned completedOnTime completedLate inProgressOnTime overdue cancelled onTimeRate } }"""
    variables = {"f": "2026-10-01", "t": "2026-10-31", "u": str(org.province_a.pk), "g": "UNIT"}
    data = run(query, variables, user=org.leader)["data"]["taskKpis"]
    assert data == [
        {
            "key": str(org.province_a.pk),
            "label": "Sở KH&CN Hà Nội",
            "assigned": 7,
            "completedOnTime": 1,
            "completedLate": 1,
            "inProgressOnTime": 2,
            "overdue": 2,
            "cancelled": 1,
            "onTimeRate": 25.0,
        }
    ]
    people = run(query, variables | {"g": "PERSON"}, user=org.leader)["data"]["taskKpis"]
    assert [(p["label"], p["assigned"]) for p in people] == [("Officer_A", 7)]
    anonymous = run(query, variables)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_admin_dashboard_the_board_and_graphql_agree(org, october):
    start, end = kpis.default_period(workdays.today())
    expected = {r.key: r for r in kpis.compute(org.leader, start, end)}
    client = Client()
    client.force_login(org.leader)
    html = client.get("/admin/").content.decode()
    assert 'data-panel="tasks.kpis"' in html
    panel = html[html.index('data-panel="tasks.kpis"') :][:6000]
    for row in expected.values():  # the ranking: each unit's on-time rate, Vietnamese digits
        if row.on_time_rate is None:
            continue
        decided = row.completed_on_time + row.completed_late + row.overdue
        shown = re.search(rf'data-rank="{re.escape(escape(row.label))}" title="([^"]*)">.*?omd-num">([^<]*)<', panel, re.S)
        assert shown is not None, row.label
        assert shown.group(1) == f"{row.completed_on_time} / {decided}"
        assert shown.group(2) == vi_percent(row.on_time_rate)
    graphql = run(
        "query($f: Date!, $t: Date!) { taskKpis(dateFrom: $f, dateTo: $t) { key assigned overdue } }",
        {"f": start.isoformat(), "t": end.isoformat()},
        user=org.leader,
    )["data"]["taskKpis"]
    assert {int(r["key"]): (r["assigned"], r["overdue"]) for r in graphql} == {
        k: (r.assigned, r.overdue) for k, r in expected.items()
    }
    board = run("{ taskBoard { periodFrom periodTo units { key assigned overdue } } }", user=org.leader)
    board = board["data"]["taskBoard"]
    assert (board["periodFrom"], board["periodTo"]) == (start.isoformat(), end.isoformat())
    assert {int(r["key"]): (r["assigned"], r["overdue"]) for r in board["units"]} == {
        k: (r.assigned, r.overdue) for k, r in expected.items()
    }
    # a province officer's dashboard shows only their province
    client.force_login(org.officer_b)
    html = client.get("/admin/").content.decode()
    assert f'data-rank="{escape(org.province_a.name)}"' not in html
    assert 'data-panel="tasks.kpis"' not in html  # one unit is not a ranking
    assert 'data-figure="tasks.open" data-count="0"' in html  # B's one task is completed
