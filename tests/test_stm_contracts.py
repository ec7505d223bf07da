"""The task contract and what happens under it (issue 19, part 2): declarations, the report
schedule, disbursements against tranches, progress reports, changes and the deadlines they move,
reminders. Expected dates come from the rules' text (issue 19, domain.md §7 and §1.6), counted
by hand on the 2027 calendar: the contract runs from Monday 04/01/2027 to Thursday 30/09/2027."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from modules.engine import registry, services
from modules.engine.errors import InvalidInput, NotFound, PermissionDenied, TransitionRefused
from modules.stm.definition_part2 import ENTITIES
from tests.stm2_helpers import END, START, host, make_contract, signed_contract
from tests.stm_helpers import E, fire

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


@pytest.fixture
def contract(org, legal_days):
    """Province A's contract with Viện Công nghệ thông tin, signed on its first day."""
    user, organisation, pi = host()
    with time_machine.travel(at(START), tick=False):
        signed = signed_contract(org.officer_a, organisation, pi)
    return {"user": user, "organisation": organisation, "pi": pi, "contract": signed}


def test_part_two_entities_are_declared_and_migrated():
    for entity in ENTITIES:
        model = registry.model_for(entity.label)
        assert model.objects.count() == 0, entity.label  # the table exists
        assert registry.entity_by_label(entity.label) is entity


def test_a_contract_gets_its_deadlines_from_its_dates(org, legal_days):
    _, organisation, pi = host()
    contract = make_contract(org.officer_a, organisation, pi)
    assert contract.number.startswith("HĐNV-")
    assert contract.owner_unit_id == org.province_a.pk  # no selected dossier: the recorder's unit
    # "acceptance dossier due (30 days after the contract ends)": Thursday 30/09/2027 + 30 days is
    # Saturday 30/10/2027, which moves to Monday 01/11/2027 (Civil Code Art. 148(5))
    assert contract.acceptance_due == dt.date(2027, 11, 1)
    # "every six months": six months after Monday 04/01/2027 is Sunday 04/07/2027, so Monday 05/07
    assert contract.next_report_due == dt.date(2027, 7, 5)
    assert contract.duration_months == 9  # 04/01 to 30/09/2027: eight months and a started ninth


def test_a_contract_ending_before_it_starts_is_a_field_error(org):
    _, organisation, pi = host()
    with pytest.raises(InvalidInput) as caught:
        make_contract(org.officer_a, organisation, pi, end_on=START - dt.timedelta(days=1))
    assert [p.field for p in caught.value.problems] == ["end_on"]
    with pytest.raises(InvalidInput) as caught:  # its deadlines would overflow: a field error, not a 500
        make_contract(org.officer_a, organisation, pi, end_on=dt.date(9999, 12, 31))
    assert [p.field for p in caught.value.problems] == ["end_on"]
    assert not registry.model_for("stm.Contract").objects.exists()


def test_partial_lump_sum_needs_its_part_within_the_state_budget(org):
    _, organisation, pi = host()
    with pytest.raises(InvalidInput) as caught:
        make_contract(org.officer_a, organisation, pi, spending_mode="partial")
    assert [p.field for p in caught.value.problems] == ["lump_sum_budget"]
    with pytest.raises(InvalidInput) as caught:
        make_contract(org.officer_a, organisation, pi, spending_mode="partial", lump_sum_budget=1_000_000_001)
    assert [p.field for p in caught.value.problems] == ["lump_sum_budget"]
    ok = make_contract(org.officer_a, organisation, pi, spending_mode="partial", lump_sum_budget=400_000_000)
    assert ok.spending_mode == "partial"


def test_signing_locks_the_terms(org, contract):
    signed = contract["contract"]
    assert signed.state == "active" and signed.signed_on == START
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            E("Contract"), org.officer_a, signed.pk, {"end_on": END + dt.timedelta(days=90)}, signed.version
        )
    assert caught.value.problems[0].code == "LOCKED"


# --- tranches and disbursements ----------------------------------------------------------


def tranche(officer, contract, seq, amount, due):
    return services.create_record(
        E("ContractTranche"),
        officer,
        {"contract": contract.pk, "seq": seq, "title": f"Mốc {seq}", "amount": amount, "due_on": due},
    )


def pay(officer, contract, part, amount):
    return services.create_record(
        E("Disbursement"),
        officer,
        {"contract": contract.pk, "tranche": part.pk, "amount": amount, "paid_on": START},
    )


def test_tranches_stay_within_the_budget_and_disbursements_within_their_tranche(org, contract):
    signed = contract["contract"]
    first = tranche(org.officer_a, signed, 1, 400_000_000, dt.date(2027, 6, 25))
    tranche(org.officer_a, signed, 2, 600_000_000, END)
    with pytest.raises(InvalidInput) as caught:
        tranche(org.officer_a, signed, 3, 1, END)  # 1.000.000.001 > the state budget
    assert [p.field for p in caught.value.problems] == ["amount"]
    with pytest.raises(InvalidInput) as caught:
        tranche(org.officer_a, signed, 3, 0, END + dt.timedelta(days=1))
    assert [p.field for p in caught.value.problems] == ["due_on"]
    pay(org.officer_a, signed, first, 300_000_000)
    first.refresh_from_db()
    signed.refresh_from_db()
    assert first.disbursed == 300_000_000 and signed.disbursed == 300_000_000
    with pytest.raises(InvalidInput) as caught:
        pay(org.officer_a, signed, first, 150_000_000)
    assert caught.value.problems[0].field == "amount"
    assert "100.000.000" in caught.value.problems[0].message  # what is left of the tranche
    assert registry.model_for("stm.Disbursement").objects.count() == 1  # nothing half-written


def test_a_disbursement_against_another_contracts_tranche_is_refused(org, contract):
    _, other_org, other_pi = host("khac", "Công ty Khác")
    with time_machine.travel(at(START), tick=False):
        other = signed_contract(org.officer_a, other_org, other_pi)
    part = tranche(org.officer_a, other, 1, 100_000_000, END)
    with pytest.raises(InvalidInput) as caught:
        pay(org.officer_a, contract["contract"], part, 1_000_000)
    assert [p.field for p in caught.value.problems] == ["tranche"]


# --- progress reports --------------------------------------------------------------------


def test_a_six_monthly_report_is_due_on_the_schedule_reviewed_and_the_next_date_moves(org, contract):
    user, signed = contract["user"], contract["contract"]
    report = services.create_record(
        E("ProgressReport"),
        user,
        {"contract": signed.pk, "products_achieved": "Bản thiết kế", "spent": 250_000_000},
    )
    assert report.due_on == dt.date(2027, 7, 5)
    with pytest.raises(InvalidInput) as caught:  # the host does not review itself
        services.update_record(E("ProgressReport"), user, report.pk, {"review_note": "Tốt"}, report.version)
    assert [p.field for p in caught.value.problems] == ["review_note"]
    with time_machine.travel(at(dt.date(2027, 7, 6)), tick=False):
        report = fire(user, report, "ProgressReport", "submit")
    assert report.late is True  # Tuesday 06/07 after the due Monday 05/07
    with pytest.raises(TransitionRefused):
        fire(org.officer_a, report, "ProgressReport", "review")  # no review written yet
    report = services.update_record(
        E("ProgressReport"), org.officer_a, report.pk, {"review_note": "Đúng tiến độ"}, report.version
    )
    report = fire(org.officer_a, report, "ProgressReport", "review")
    assert report.state == "reviewed"
    signed.refresh_from_db()
    assert signed.next_report_due is None  # the next mark, 04/01/2028, is after the end


def test_a_report_on_request_needs_a_due_date_set_by_the_managing_unit(org, contract):
    user, signed = contract["user"], contract["contract"]
    with pytest.raises(InvalidInput) as caught:
        services.create_record(
            E("ProgressReport"), org.officer_a, {"contract": signed.pk, "kind": "on_request"}
        )
    assert [p.field for p in caught.value.problems] == ["due_on"]
    with pytest.raises(InvalidInput) as caught:
        services.create_record(
            E("ProgressReport"), user, {"contract": signed.pk, "kind": "on_request", "due_on": END}
        )
    assert [p.field for p in caught.value.problems] == ["due_on"]


def test_an_inspection_records_its_findings_and_the_host_reads_it(org, contract):
    inspection = services.create_record(
        E("ContractInspection"),
        org.officer_a,
        {
            "contract": contract["contract"].pk,
            "inspected_on": dt.date(2027, 5, 12),
            "findings": "Thiết bị đã lắp đặt",
            "verdict": "on_track",
        },
    )
    assert services.fetch_for(E("ContractInspection"), contract["user"], inspection.pk, "view") == inspection
    with pytest.raises(PermissionDenied):  # read, never written by the host
        services.update_record(
            E("ContractInspection"), contract["user"], inspection.pk, {"findings": "x"}, inspection.version
        )


# --- changes ------------------------------------------------------------------------------


def request_change(user, contract, **values):
    return services.create_record(
        E("ContractChange"), user, {"contract": contract.pk, "reason": "Thiết bị về chậm"} | values
    )


def test_an_approved_extension_moves_the_deadlines_and_keeps_the_earlier_values(org, contract):
    user, signed = contract["user"], contract["contract"]
    report = services.create_record(E("ProgressReport"), user, {"contract": signed.pk})
    with time_machine.travel(at(dt.date(2027, 7, 1)), tick=False):
        fire(user, report, "ProgressReport", "submit")
    signed.refresh_from_db()
    assert signed.next_report_due is None
    change = request_change(user, signed, kind="extension", new_end_on=dt.date(2028, 2, 15))
    change = fire(user, change, "ContractChange", "submit")
    with pytest.raises(PermissionDenied):  # an officer prepares, the head approves
        fire(org.officer_a, change, "ContractChange", "approve")
    with time_machine.travel(at(dt.date(2027, 9, 1)), tick=False):
        change = fire(org.head_a, change, "ContractChange", "approve")
    signed.refresh_from_db()
    assert signed.end_on == dt.date(2028, 2, 15)
    # 15/02/2028 + 30 days = Thursday 16/03/2028; the second report is due 04/01/2028 (a Tuesday)
    assert signed.acceptance_due == dt.date(2028, 3, 16)
    assert signed.next_report_due == dt.date(2028, 1, 4)
    assert change.before == {"end_on": "2027-09-30"}
    assert change.moved == {
        "acceptance_due": ["2027-11-01", "2028-03-16"],
        "end_on": ["2027-09-30", "2028-02-15"],
        "next_report_due": [None, "2028-01-04"],
    }
    assert change.decided_on == dt.date(2027, 9, 1)
    earlier = signed.history.order_by("history_id").values_list("end_on", flat=True)
    assert dt.date(2027, 9, 30) in list(earlier)  # the contract's history keeps the earlier end


def test_change_requests_are_judged_field_by_field(org, contract):
    user, signed = contract["user"], contract["contract"]
    _, _, stranger = host("khac", "Công ty Khác")
    cases = [
        ({"kind": "extension"}, "new_end_on"),
        ({"kind": "extension", "new_end_on": END}, "new_end_on"),  # not after the current end
        ({"kind": "investigator", "new_investigator": contract["pi"].pk}, "new_investigator"),
        ({"kind": "content", "new_objectives": " "}, "new_objectives"),
    ]
    for values, field in cases:
        with pytest.raises(InvalidInput) as caught:
            request_change(user, signed, **values)
        assert [p.field for p in caught.value.problems] == [field], values
    with pytest.raises(InvalidInput) as caught:  # another organisation's investigator: not even visible
        request_change(user, signed, kind="investigator", new_investigator=stranger.pk)
    assert caught.value.problems[0].code == "NOT_FOUND"
    with pytest.raises(InvalidInput) as caught:  # the officer sees it, and it is still refused
        request_change(org.officer_a, signed, kind="investigator", new_investigator=stranger.pk)
    assert [p.field for p in caught.value.problems] == ["new_investigator"]
    assert not registry.model_for("stm.ContractChange").objects.exists()


def test_a_budget_change_below_what_was_paid_is_refused_and_an_approved_one_applies(org, contract):
    signed = contract["contract"]
    part = tranche(org.officer_a, signed, 1, 500_000_000, END)
    pay(org.officer_a, signed, part, 500_000_000)
    signed.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:
        request_change(org.officer_a, signed, kind="budget", new_state_budget=400_000_000)
    assert [p.field for p in caught.value.problems] == ["new_state_budget"]
    change = request_change(org.officer_a, signed, kind="budget", new_state_budget=1_200_000_000)
    change = fire(org.officer_a, change, "ContractChange", "submit")
    change = fire(org.head_a, change, "ContractChange", "approve")
    signed.refresh_from_db()
    assert signed.state_budget == 1_200_000_000
    assert change.before == {"state_budget": "1000000000"}
    assert change.moved == {}  # a budget moves no deadline


def test_a_rejected_change_changes_nothing(org, contract):
    signed = contract["contract"]
    new_pi = services.create_record(
        E("PrincipalInvestigator"),
        contract["user"],
        {
            "full_name": "Lê Thị Cúc",
            "organisation": contract["organisation"].pk,
            "degree": "doctor",
            "science_field": "102",
            "in_field_since": dt.date(2010, 1, 1),
        },
    )
    change = request_change(contract["user"], signed, kind="investigator", new_investigator=new_pi.pk)
    change = fire(contract["user"], change, "ContractChange", "submit")
    with pytest.raises(InvalidInput):
        fire(org.head_a, change, "ContractChange", "reject")  # a rejection says why
    fire(org.head_a, change, "ContractChange", "reject", "Chủ nhiệm mới chưa đủ kinh nghiệm")
    signed.refresh_from_db()
    assert signed.investigator_id == contract["pi"].pk


def test_another_province_cannot_touch_the_contract(org, contract):
    signed = contract["contract"]
    with pytest.raises(NotFound):
        services.fetch_for(E("Contract"), org.officer_b, signed.pk, "view")
    with pytest.raises(InvalidInput) as caught:
        request_change(org.officer_b, signed, kind="content", new_objectives="x")
    assert caught.value.problems[0].code == "NOT_FOUND"


# --- reminders ----------------------------------------------------------------------------


def test_reminders_for_report_milestone_contract_end_and_acceptance_dossier(org, contract):
    from modules.reminders.scheduler import run_reminders

    rules = registry.model_for("reminders.ReminderRule")
    rules.objects.all().delete()
    entity = registry.entity_by_label("reminders.ReminderRule")
    for source, trigger, days, name in (
        ("stm.Contract.report", "before", 5, "Báo cáo"),
        ("stm.ContractTranche", "before", 3, "Mốc"),
        ("stm.Contract.end", "before", 10, "Kết thúc"),
        ("stm.Contract.acceptance", "on_day", 0, "Nghiệm thu"),
    ):
        services.create_record(
            entity,
            org.admin,
            {"name": name, "source": source, "trigger": trigger, "days": days, "recipient": "responsible"},
        )
    tranche(org.officer_a, contract["contract"], 1, 400_000_000, dt.date(2027, 6, 25))
    for day in (dt.date(2027, 6, 22), dt.date(2027, 6, 28), dt.date(2027, 9, 16), dt.date(2027, 11, 1)):
        with time_machine.travel(at(day), tick=False):
            run_reminders(day)
    got = list(
        registry.model_for("reminders.Reminder")
        .objects.filter(recipient=contract["user"])
        .order_by("occurrence")
        .values_list("rule__name", "occurrence")
    )
    assert got == [
        ("Mốc", dt.date(2027, 6, 22)),  # 3 working days before Friday 25/06
        ("Báo cáo", dt.date(2027, 6, 28)),  # 5 working days before Monday 05/07
        ("Kết thúc", dt.date(2027, 9, 16)),  # 10 working days before Thursday 30/09
        ("Nghiệm thu", dt.date(2027, 11, 1)),  # the dossier's due day, Monday 01/11
    ]
