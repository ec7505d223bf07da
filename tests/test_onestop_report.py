"""The one-stop report of TT 01/2018 Art. 11 (domain.md §2), from the dossiers, per period and
per one-stop unit, scoped like everything else, in GraphQL and as XLSX.

Counts are written by hand from the scenario. October 2026 has no public holiday; the
procedure takes 6 working days (the receipt day not counted, Civil Code Art. 147).
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from modules.engine import access, registry, services
from modules.onestop.api import receive
from modules.reporting import onestop_report
from tests.conftest import make_user
from tests.graphql import run
from tests.onestop_helpers import applicant, fire, make_procedure

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
FIGURES = [
    "total",
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_in_time",
    "pending_overdue",
    "refused",
    "withdrawn",
]


def at(day: str, hh: int) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, tzinfo=HCM)


def step(user, dossier, name: str, when: dt.datetime, comment: str = ""):
    with time_machine.travel(when, tick=False):
        return fire(user, dossier, name, comment)


def taken_in(clerk, procedure, when: dt.datetime, name: str, channel: str = "counter"):
    with time_machine.travel(when, tick=False):
        return fire(
            clerk, receive(clerk, applicant(procedure, applicant_name=name, channel=channel)), "start"
        )


def finish(clerk, admin, dossier, when: dt.datetime):
    dossier = step(admin, step(admin, dossier, "advance", when), "process", when)
    return step(clerk, dossier, "return_result", when)


def figures(row) -> dict[str, int]:
    return {name: getattr(row, name) for name in FIGURES}


@pytest.fixture
def scenario(org, legal_days):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    clerk_dept = make_user("clerk_dept", org.department, ("onestop_clerk",))
    admin = org.admin
    procedure = make_procedure(org, days=6)
    # Q: received Tue 29/9, returned Wed 30/9: finished before October, not in its report
    finish(clerk, admin, taken_in(clerk, procedure, at("2026-09-29", 9), "Q"), at("2026-09-30", 10))
    # P: received Wed 30/9 (promised Thu 8/10), open on 1/10 -> carried over; returned Fri 2/10, on time
    p = taken_in(clerk, procedure, at("2026-09-30", 9), "P")
    finish(clerk, admin, p, at("2026-10-02", 10))
    # A: Thu 1/10, promised Fri 9/10, returned Fri 2/10 -> on time
    finish(clerk, admin, taken_in(clerk, procedure, at("2026-10-01", 9), "A"), at("2026-10-02", 11))
    # E: Mon 5/10, promised Tue 13/10, returned Tue 20/10 -> late
    finish(clerk, admin, taken_in(clerk, procedure, at("2026-10-05", 9), "E"), at("2026-10-20", 10))
    # C: Thu 1/10, promised Fri 9/10, still processing on 31/10 -> open, overdue
    c = taken_in(clerk, procedure, at("2026-10-01", 10), "C")
    # B: Mon 26/10 by public post, promised Tue 3/11 -> open, in time on 31/10
    taken_in(clerk, procedure, at("2026-10-26", 9), "B", channel="postal")
    # D: Fri 2/10, refused at intake (Mẫu 03)
    with time_machine.travel(at("2026-10-02", 11), tick=False):
        entity = registry.entity_by_label("onestop.Dossier")
        d = services.create_record(entity, clerk, applicant(procedure, applicant_name="D"))
        fire(clerk, d, "refuse", "Thủ tục không thuộc thẩm quyền của Bộ.")
    # F: the Department's own one-stop unit, Tue 6/10, promised Wed 14/10, open on 31/10 -> overdue
    taken_in(clerk_dept, procedure, at("2026-10-06", 9), "F")
    return clerk, clerk_dept, c


OFFICE = {
    "total": 6,  # P, A, E, C, B, D
    "carried_over": 1,  # P
    "received": 5,
    "received_online": 0,
    "received_counter": 4,  # A, E, C, D
    "received_postal": 1,  # B
    "resolved": 3,  # P, A, E
    "resolved_on_time": 2,
    "resolved_late": 1,
    "pending": 2,  # C, B
    "pending_in_time": 1,
    "pending_overdue": 1,
    "refused": 1,
    "withdrawn": 0,
}
DEPARTMENT = dict.fromkeys(FIGURES, 0) | {
    "total": 1,
    "received": 1,
    "received_counter": 1,
    "pending": 1,
    "pending_overdue": 1,
}


def test_the_report_per_one_stop_unit_and_its_total(org, scenario):
    with time_machine.travel(at("2026-11-01", 8), tick=False):
        report = onestop_report.build(org.admin, *OCTOBER)
    by_unit = {row.unit: figures(row) for row in report.units}
    assert by_unit == {org.office.name: OFFICE, org.department.name: DEPARTMENT}
    assert figures(report.total) == {k: OFFICE[k] + DEPARTMENT[k] for k in FIGURES}
    assert report.total.on_time_rate == 40.0  # P, A on time of 5 decided (P, A, E, C, F)
    assert report.procedures_published == 1


def test_a_past_period_does_not_move_and_each_reader_sees_their_scope(org, scenario):
    clerk, clerk_dept, c = scenario
    with time_machine.travel(at("2026-11-01", 8), tick=False):
        before = onestop_report.build(org.admin, *OCTOBER)
    finish(clerk, org.admin, c, at("2026-11-03", 9))  # C finishes in November
    with time_machine.travel(at("2026-12-01", 8), tick=False):
        after = onestop_report.build(org.admin, *OCTOBER)
        own = onestop_report.build(clerk_dept, *OCTOBER)
        province = onestop_report.build(org.officer_a, *OCTOBER)
    assert after == before
    # the Department's clerk counts only the dossiers of October they may see (the engine's rule)
    entity = registry.entity_by_label("onestop.Dossier")
    october = {"P", "A", "E", "C", "B", "D", "F"}
    visible = set(access.scoped_queryset(clerk_dept, entity, "view").values_list("applicant_name", flat=True))
    assert 0 < len(visible & october) < len(october)
    assert own.total.total == len(visible & october)
    assert province.units == [] and province.total.total == 0  # a province sees no dossier


def test_graphql_and_the_xlsx_give_the_same_figures(org, scenario):
    query = """query($a: Date!, $b: Date!) { onestopReport(dateFrom: $a, dateTo: $b) {
        proceduresPublished total { total carriedOver received resolvedOnTime resolvedLate pendingOverdue refused }
        units { unit total } } }"""
    with time_machine.travel(at("2026-11-01", 8), tick=False):
        answer = run(query, {"a": "2026-10-01", "b": "2026-10-31"}, user=org.admin)["data"]["onestopReport"]
        client = Client()
        client.force_login(org.admin)
        response = client.get("/reporting/onestop-report.xlsx?from=2026-10-01&to=2026-10-31")
    assert answer["total"] == {
        "total": 7,
        "carriedOver": 1,
        "received": 6,
        "resolvedOnTime": 2,
        "resolvedLate": 1,
        "pendingOverdue": 2,
        "refused": 1,
    }
    assert sorted(u["total"] for u in answer["units"]) == [1, 6]
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    total = next(r for r in rows if r[0] == "Tổng cộng / Total")
    columns = [f for f, _vi, _en in onestop_report.COLUMNS]
    assert total[1 + columns.index("total")] == 7 and total[1 + columns.index("pending_overdue")] == 2
    assert rows[4][0] == "Bộ phận một cửa / One-stop unit" and rows[4][1] == "Tổng số hồ sơ phải giải quyết"


def test_bad_periods_are_refused_with_a_reason(org):
    client = Client()
    assert client.get("/reporting/onestop-report.xlsx?from=2026-10-01&to=2026-10-31").status_code == 302
    client.force_login(org.admin)
    for query in ("from=2026-10-31&to=2026-10-01", "from=x&to=y", "year=2026&quarter=5", ""):
        refused = client.get(f"/reporting/onestop-report.xlsx?{query}")
        assert refused.status_code == 400 and "Kỳ báo cáo không hợp lệ" in refused.content.decode()
    assert client.get("/reporting/onestop-report.xlsx?year=2026&quarter=4").status_code == 200
    bad = run(
        'query { onestopReport(dateFrom: "2026-10-31", dateTo: "2026-10-01") { total { total } } }',
        user=org.admin,
    )
    assert bad["data"] is None and bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
