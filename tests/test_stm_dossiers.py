"""Selection and direct assignment (domain.md §7.1-7.4): the 30-day notice, the second notice,
dossiers submitted, withdrawn or replaced before the deadline only (system time), and each
eligibility failure as a reason on the dossier."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from modules.engine import services
from modules.engine.errors import InvalidInput, TransitionRefused
from tests.stm_helpers import (
    DEADLINE,
    T0,
    E,
    add_pi,
    applicant,
    fire,
    make_dossier,
    make_notice,
    publish,
    register_org,
)

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def host(org):
    user = applicant("vien_cntt")
    hostorg = register_org(user, "Viện Công nghệ thông tin")
    return user, hostorg, add_pi(user, hostorg)


@pytest.fixture
def notice(org, legal_days):
    with time_machine.travel(T0, tick=False):
        item = make_notice(org.officer_a)
        return publish(org.officer_a, item)


def test_a_notice_stays_open_at_least_30_days(org, legal_days):
    with time_machine.travel(T0, tick=False):
        short = make_notice(org.officer_a, deadline=DEADLINE - MINUTE)
        with pytest.raises(TransitionRefused) as refused:
            publish(org.officer_a, short)
        assert "30 ngày" in str(refused.value) and "09:00 31/03/2027" in str(refused.value)
        ok = publish(org.officer_a, make_notice(org.officer_a, deadline=DEADLINE))
    assert ok.state == "published" and ok.published_at == T0 and ok.is_shared


def test_the_opening_is_due_7_working_days_after_the_deadline(notice):
    # deadline Wednesday 31/03/2027: 7 working days later is Friday 09/04/2027
    assert notice.opening_due == dt.date(2027, 4, 9)


def test_a_direct_assignment_notice_names_the_organisation(org, host):
    with pytest.raises(InvalidInput) as refused:
        make_notice(org.officer_a, kind="direct")
    assert [p.field for p in refused.value.problems] == ["direct_organisation"]
    direct = make_notice(org.officer_a, kind="direct", direct_organisation=host[1].pk)
    assert direct.direct_organisation == host[1]


def test_only_the_named_organisation_files_for_a_direct_assignment(org, host, legal_days):
    other = applicant("other")
    other_org = register_org(other, "Công ty Khác")
    with time_machine.travel(T0, tick=False):
        direct = publish(
            org.officer_a, make_notice(org.officer_a, kind="direct", direct_organisation=host[1].pk)
        )
        with pytest.raises(InvalidInput) as refused:
            make_dossier(other, direct, other_org, add_pi(other, other_org, "Lê Văn Cường"))
    assert [p.field for p in refused.value.problems] == ["organisation"]


def test_a_second_notice_within_6_months_for_a_reason_that_holds(org, notice):
    after = DEADLINE + MINUTE
    with time_machine.travel(after, tick=False):
        fire(org.officer_a, notice, "SelectionNotice", "open")  # no dossier came
        wrong = make_notice(
            org.officer_a,
            deadline=after + dt.timedelta(days=30),
            first_notice=notice.pk,
            second_reason="all_invalid",
        )
        with pytest.raises(TransitionRefused) as refused:
            publish(org.officer_a, wrong)
        assert "Tất cả hồ sơ không hợp lệ" in str(refused.value)
        right = make_notice(
            org.officer_a,
            deadline=after + dt.timedelta(days=30),
            first_notice=notice.pk,
            second_reason="no_dossiers",
        )
        assert publish(org.officer_a, right).state == "published"
    late_day = dt.datetime(2027, 9, 30, 9, 1, tzinfo=T0.tzinfo)  # six months after 31/03 09:00, plus a minute
    with time_machine.travel(late_day, tick=False):
        late = make_notice(
            org.officer_a,
            deadline=late_day + dt.timedelta(days=31),
            first_notice=notice.pk,
            second_reason="no_dossiers",
        )
        with pytest.raises(TransitionRefused) as refused:
            publish(org.officer_a, late)
    assert "6 tháng" in str(refused.value)


def test_the_receipt_time_is_the_systems_and_the_number_comes_with_it(host, notice):
    user, hostorg, pi = host
    at = T0 + dt.timedelta(days=3, hours=2)
    with time_machine.travel(at, tick=False):
        dossier = make_dossier(user, notice, hostorg, pi)
        assert dossier.number == "" and dossier.owner_unit_id == notice.owner_unit_id
        submitted = fire(user, dossier, "SelectionDossier", "submit")
    assert submitted.received_at == at and submitted.number == "HS-2027-0001" and submitted.eligible


def test_the_receipt_time_cannot_be_written_by_the_applicant(host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False), pytest.raises(InvalidInput) as refused:
        make_dossier(user, notice, hostorg, pi, received_at=T0 - dt.timedelta(days=40))
    assert [(p.field, p.code) for p in refused.value.problems] == [("received_at", "READ_ONLY")]


def test_submit_at_the_deadline_minute_is_on_time_and_a_second_later_is_not(host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False):
        on_time = make_dossier(user, notice, hostorg, pi)
        late = make_dossier(user, notice, hostorg, pi)
    with time_machine.travel(DEADLINE, tick=False):
        assert fire(user, on_time, "SelectionDossier", "submit").state == "submitted"
    with (
        time_machine.travel(DEADLINE + dt.timedelta(seconds=1), tick=False),
        pytest.raises(TransitionRefused) as refused,
    ):
        fire(user, late, "SelectionDossier", "submit")
    assert "Đã quá hạn nộp hồ sơ (09:00 31/03/2027)" in str(refused.value)


def test_withdrawal_before_the_deadline_only(host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False):
        first = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
        second = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
        assert fire(user, first, "SelectionDossier", "withdraw").state == "withdrawn"
    with time_machine.travel(DEADLINE + MINUTE, tick=False), pytest.raises(TransitionRefused):
        fire(user, second, "SelectionDossier", "withdraw")
    second.refresh_from_db()
    assert second.state == "submitted"


def test_a_replacement_before_the_deadline_takes_the_place_of_the_first(host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False):
        first = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
        better = make_dossier(user, notice, hostorg, pi, state_budget=1_800_000_000, replaces=first.pk)
        fire(user, better, "SelectionDossier", "submit")
    first.refresh_from_db()
    better.refresh_from_db()
    assert (first.state, better.state) == ("replaced", "submitted")


def test_a_replacement_after_the_deadline_is_refused_and_the_first_stands(host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False):
        first = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
        better = make_dossier(user, notice, hostorg, pi, replaces=first.pk)
    with time_machine.travel(DEADLINE + MINUTE, tick=False), pytest.raises(TransitionRefused):
        fire(user, better, "SelectionDossier", "submit")
    first.refresh_from_db()
    assert first.state == "submitted"


def test_a_filed_dossier_is_not_edited(host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False):
        dossier = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
        with pytest.raises(InvalidInput) as refused:
            services.update_record(
                E("SelectionDossier"), user, dossier.pk, {"state_budget": 1}, dossier.version
            )
    assert refused.value.problems[0].code == "LOCKED"


def test_each_eligibility_failure_is_a_reason_on_the_dossier(org, host, notice):
    user, hostorg, pi = host
    services.update_record(
        E("HostOrganisation"),
        org.officer_a,
        hostorg.pk,
        {"funds_unrepaid": True, "suspended_on": dt.date(2026, 6, 1)},
        hostorg.version,
    )
    services.update_record(E("PrincipalInvestigator"), org.officer_a, pi.pk, {"degree": "none"}, pi.version)
    with time_machine.travel(T0, tick=False):
        dossier = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
    assert [r["code"] for r in dossier.eligibility] == ["ORG_FUNDS_UNREPAID", "ORG_SUSPENDED", "PI_NO_DEGREE"]
    assert all(" / " in r["message"] for r in dossier.eligibility) and dossier.eligible is False
    with time_machine.travel(DEADLINE + MINUTE, tick=False):
        with pytest.raises(TransitionRefused) as refused:
            fire(org.officer_a, dossier, "SelectionDossier", "accept")
        assert "không đủ điều kiện" in str(refused.value)
        assert (
            fire(org.officer_a, dossier, "SelectionDossier", "reject", "Không đủ điều kiện").state
            == "invalid"
        )


def test_nothing_is_opened_before_the_deadline(org, host, notice):
    user, hostorg, pi = host
    with time_machine.travel(T0, tick=False):
        dossier = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
        with pytest.raises(TransitionRefused):
            fire(org.officer_a, dossier, "SelectionDossier", "accept")
        with pytest.raises(TransitionRefused):
            fire(org.officer_a, notice, "SelectionNotice", "open")


def test_a_pi_leading_a_national_task_is_barred(org, host, notice):
    user, hostorg, pi = host
    services.update_record(
        E("PrincipalInvestigator"),
        org.officer_a,
        pi.pk,
        {"national_task_until": dt.date(2028, 1, 1)},
        pi.version,
    )
    with time_machine.travel(T0, tick=False):
        dossier = fire(user, make_dossier(user, notice, hostorg, pi), "SelectionDossier", "submit")
    assert [r["code"] for r in dossier.eligibility] == ["PI_LEADS_NATIONAL_TASK"]


def test_an_applicant_cannot_clear_their_own_bars(org, host):
    user, hostorg, _ = host
    services.update_record(
        E("HostOrganisation"), org.officer_a, hostorg.pk, {"funds_unrepaid": True}, hostorg.version
    )
    hostorg.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        services.update_record(
            E("HostOrganisation"), user, hostorg.pk, {"funds_unrepaid": False}, hostorg.version
        )
    assert [p.field for p in refused.value.problems] == ["funds_unrepaid"]
    updated = services.update_record(
        E("HostOrganisation"), user, hostorg.pk, {"phone": "024 3756 1234"}, hostorg.version
    )
    assert updated.funds_unrepaid is True
