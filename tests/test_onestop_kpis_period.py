"""One-stop KPIs of a period are measured at the period's end, and a refusal is in no on-time bucket.

Bộ chỉ số 766/QĐ-TTg formula notes (domain.md §1.5): a dossier is on time if its processing
ended on or before the promised date (more than one supplement request is late); unfinished
dossiers are measured at the period end; refused (Mẫu 03, TT 01/2018 Art. 9) is an end of
its own, not "completed on time". Counts below are written by hand from the scenario.
October 2026 has no public holiday; the procedure takes 6 working days.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from modules.engine import registry, services
from modules.onestop import kpis, rules
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.graphql import run
from tests.onestop_helpers import applicant, fire, make_procedure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
KPIS = "query($a: Date!, $b: Date!) { dossierKpis(dateFrom: $a, dateTo: $b) { received onTime late inProgress refused onTimeRate } }"


def at(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=HCM)


def step(user, dossier, name: str, when: dt.datetime, comment: str = ""):
    with time_machine.travel(when, tick=False):
        return fire(user, dossier, name, comment)


def taken_in(clerk, procedure, when: dt.datetime, name: str):
    with time_machine.travel(when, tick=False):
        return fire(clerk, receive(clerk, applicant(procedure, applicant_name=name)), "start")


def finish(clerk, admin, dossier, when: dt.datetime):
    dossier = step(admin, step(admin, dossier, "advance", when), "process", when)
    return step(clerk, dossier, "return_result", when)


def october(user) -> kpis.KpiRow:
    (row,) = kpis.compute(user, *OCTOBER)
    return row


@pytest.mark.django_db
def test_a_past_period_is_measured_at_its_end_and_a_refusal_is_never_on_time(org, legal_days):
    """766/QĐ-TTg (domain.md §1.5): unfinished dossiers are measured at the period end; a refusal
    at intake (Mẫu 03) is in no on-time bucket."""
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    admin = org.admin
    procedure = make_procedure(org, days=6)
    # A: Thu 1/10, promised Fri 9/10 (2, 5, 6, 7, 8, 9), returned Fri 2/10 → completed on time
    a = finish(clerk, admin, taken_in(clerk, procedure, at("2026-10-01", 9), "A"), at("2026-10-02", 10))
    # C: Thu 1/10, promised Fri 9/10, still being processed on 31/10 → overdue at the end
    c = taken_in(clerk, procedure, at("2026-10-01", 10), "C")
    # E: Mon 5/10, promised Tue 13/10 (6, 7, 8, 9, 12, 13), returned Tue 20/10 → completed late
    e = finish(clerk, admin, taken_in(clerk, procedure, at("2026-10-05", 9), "E"), at("2026-10-20", 10))
    # B: Mon 26/10, promised Tue 3/11 (27, 28, 29, 30, 2/11, 3/11) → in progress, in time, on 31/10
    b = taken_in(clerk, procedure, at("2026-10-26", 9), "B")
    # D: Fri 2/10, refused at intake (Mẫu 03)
    with time_machine.travel(at("2026-10-02", 11), tick=False):
        entity = registry.entity_by_label("onestop.Dossier")
        d = services.create_record(entity, clerk, applicant(procedure, applicant_name="D"))
        d = fire(clerk, d, "refuse", "Thủ tục không thuộc thẩm quyền của Bộ.")
    assert (a.promised_date, c.promised_date, e.promised_date, b.promised_date) == (
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 13),
        dt.date(2026, 11, 3),
    )
    assert d.classification == rules.REFUSED  # not "completed on time"

    with time_machine.travel(at("2026-11-01", 8), tick=False):
        before = october(admin)
    assert (before.received, before.on_time, before.late, before.in_progress, before.refused) == (
        5,
        1,
        2,
        1,
        1,
    )
    assert (before.withdrawn, before.waiting_supplement) == (0, 0)
    assert before.on_time_rate == 33.3  # 1 of 3 decided (A on time; C overdue, E late); D is in neither

    # November: C finishes late, B finishes late (Tue 10/11, after its 3/11 promise)
    finish(clerk, admin, c, at("2026-11-02", 9))
    finish(clerk, admin, b, at("2026-11-10", 9))
    with time_machine.travel(at("2026-12-01", 8), tick=False):
        after = october(admin)
        answered = run(KPIS, {"a": "2026-10-01", "b": "2026-10-31"}, user=admin)["data"]["dossierKpis"]
        november_end_view = kpis.compute(admin, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    assert after == before  # October's figures did not move
    assert answered == [
        {"received": 5, "onTime": 1, "late": 2, "inProgress": 1, "refused": 1, "onTimeRate": 33.3}
    ]
    # the same dossiers seen at the end of November: B and C are now completed late
    (wide,) = november_end_view
    assert (wide.received, wide.on_time, wide.late, wide.in_progress, wide.refused) == (
        5,
        1,
        3,
        0,
        1,
    )  # late: C, E, B
