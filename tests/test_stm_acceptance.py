"""Acceptance of an S&T task (issue 19; domain.md §7 "Acceptance", TT 11/2014/TT-BKHCN).

Every expected value comes from the rule's text, counted by hand on the 2027 calendar (October
2027 has no holiday): the contract ends on Thursday 30/09/2027, so its dossier is due on Monday
01/11/2027 (30 days fall on Saturday 30/10, Civil Code Art. 148(5)). The rating rule is checked
at each boundary with 9, 8, 7 and 6 members present; "Không đạt" is followed end to end into
part 1's eligibility check."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from modules.engine import registry, services
from modules.engine.errors import InvalidInput, TransitionRefused
from modules.stm import acceptance_rules as rules
from tests.stm2_helpers import START, council_rows, experts, host, make_acceptance, pdf, signed_contract
from tests.stm_helpers import E, fire, make_dossier, make_expert, make_notice, publish

VN = ZoneInfo("Asia/Ho_Chi_Minh")
X, P, F = rules.EXCELLENT, rules.PASS, rules.FAIL


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def oct_(day: int) -> dt.date:
    return dt.date(2027, 10, day)


# --- the rating rule, at each boundary ----------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        # 9 present: "Xuất sắc" needs 7 (27/4 = 6.75) and no "Không đạt"; "Không đạt" needs 4 (> 3)
        ((X,) * 7 + (P,) * 2, X),
        ((X,) * 6 + (P,) * 3, P),
        ((X,) * 8 + (F,), P),  # one "Không đạt" vote: never "Xuất sắc"
        ((F,) * 3 + (P,) * 6, P),  # exactly a third is not more than a third
        ((F,) * 4 + (X,) * 5, F),
        # 8 present: 6 is exactly three quarters; 3 is more than a third (8/3 = 2.67)
        ((X,) * 6 + (P,) * 2, X),
        ((X,) * 5 + (P,) * 3, P),
        ((F,) * 2 + (X,) * 6, P),
        ((F,) * 3 + (X,) * 5, F),
        # 7 present: 6 (21/4 = 5.25); "Không đạt" from 3 (7/3 = 2.33)
        ((X,) * 6 + (P,), X),
        ((X,) * 5 + (P,) * 2, P),
        ((F,) * 2 + (P,) * 5, P),
        ((F,) * 3 + (P,) * 4, F),
        # 6 present: 5 (18/4 = 4.5); 2 is exactly a third, 3 more
        ((X,) * 5 + (P,), X),
        ((X,) * 4 + (P,) * 2, P),
        ((F,) * 2 + (X,) * 4, P),
        ((F,) * 3 + (X,) * 3, F),
    ],
)
def test_the_rating_rule(votes, expected):
    tally = rules.rate(list(votes))
    assert tally.rating == expected
    assert tally.present == len(votes)


def test_quorum_is_two_thirds_of_nine():
    def members(present):
        return [rules.Member("expert_db", True, present=i < present) for i in range(9)]

    assert rules.quorum(members(6)) == []  # 6 of 9 is two thirds
    assert "5/9" in rules.quorum(members(5))[0]


def test_the_council_is_six_experts_and_three_others():
    def council(experts_, others):
        rows = [
            rules.Member("expert_db", True, role="chair" if i == 0 else "member") for i in range(experts_)
        ]
        return rows + [rules.Member("ministry", False) for _ in range(others)]

    assert rules.composition_problems(council(6, 3)) == []
    assert len(rules.composition_problems(council(6, 2))) == 2  # 8 members, and 6 + 2
    assert len(rules.composition_problems(council(7, 2))) == 1  # 9 members, but 7 + 2


# --- the dossier's steps ------------------------------------------------------------------


@pytest.fixture
def signed(org, legal_days):
    user, organisation, pi = host()
    with time_machine.travel(at(START), tick=False):
        contract = signed_contract(org.officer_a, organisation, pi)
    return {"user": user, "organisation": organisation, "pi": pi, "contract": contract}


def step(user, record, entity, name, day, comment=""):
    with time_machine.travel(at(day), tick=False):
        return fire(user, record, entity, name, comment)


def published(org, signed):
    """The dossier filed on 04/10, missing items asked on 05/10 and given on 06/10, valid on 07/10,
    published on 08/10."""
    user = signed["user"]
    with time_machine.travel(at(oct_(4)), tick=False):
        dossier = make_acceptance(user, signed["contract"])
    dossier = step(user, dossier, "AcceptanceDossier", "submit", oct_(4))
    dossier = step(
        org.officer_a, dossier, "AcceptanceDossier", "request_missing", oct_(5), "Thiếu số liệu gốc"
    )
    dossier = step(user, dossier, "AcceptanceDossier", "complete", oct_(6))
    dossier = step(org.officer_a, dossier, "AcceptanceDossier", "accept", oct_(7))
    return step(org.officer_a, dossier, "AcceptanceDossier", "publish", oct_(8))


def test_each_step_of_the_dossier_has_its_deadline(org, signed):
    user = signed["user"]
    with time_machine.travel(at(oct_(4)), tick=False):
        dossier = make_acceptance(user, signed["contract"])
    assert dossier.due_on == dt.date(2027, 11, 1)
    dossier = step(user, dossier, "AcceptanceDossier", "submit", oct_(4))
    assert dossier.number.startswith("NT-") and dossier.late is False
    assert dossier.step_due == oct_(7)  # validity check: 3 working days after Monday 04/10
    signed["contract"].refresh_from_db()
    assert signed["contract"].state == "in_acceptance"
    dossier = step(
        org.officer_a, dossier, "AcceptanceDossier", "request_missing", oct_(5), "Thiếu số liệu gốc"
    )
    assert dossier.step_due == oct_(12)  # missing items: 5 working days after Tuesday 05/10
    assert dossier.missing_items == "Thiếu số liệu gốc"
    dossier = step(user, dossier, "AcceptanceDossier", "complete", oct_(6))
    assert dossier.step_due == oct_(11)  # checked again within 3 working days of Wednesday 06/10
    dossier = step(org.officer_a, dossier, "AcceptanceDossier", "accept", oct_(7))
    assert dossier.valid_on == oct_(7)
    assert dossier.step_due == oct_(14)  # publication within 5 working days of Thursday 07/10
    assert dossier.council_due == oct_(28)  # the council within 15 working days of 07/10
    dossier = step(org.officer_a, dossier, "AcceptanceDossier", "publish", oct_(8))
    assert dossier.published_until == dt.date(2027, 12, 7)  # 60 days from Friday 08/10
    assert dossier.step_due == oct_(28)


def test_a_dossier_filed_after_the_30_days_is_marked_late(org, signed):
    user = signed["user"]
    with time_machine.travel(at(dt.date(2027, 11, 2)), tick=False):
        dossier = make_acceptance(user, signed["contract"])
    dossier = step(user, dossier, "AcceptanceDossier", "submit", dt.date(2027, 11, 2))
    assert dossier.late is True  # Tuesday 02/11, after the due Monday 01/11


def test_a_dossier_missing_a_part_is_not_received(org, signed):
    user = signed["user"]
    dossier = make_acceptance(user, signed["contract"], logbooks=None)
    with pytest.raises(TransitionRefused) as caught:
        step(user, dossier, "AcceptanceDossier", "submit", oct_(4))
    assert "sổ nhật ký / logbooks" in str(caught.value)


def test_missing_items_given_after_five_working_days_are_refused(org, signed):
    user = signed["user"]
    dossier = make_acceptance(user, signed["contract"])
    dossier = step(user, dossier, "AcceptanceDossier", "submit", oct_(4))
    dossier = step(org.officer_a, dossier, "AcceptanceDossier", "request_missing", oct_(5), "Thiếu số liệu")
    with pytest.raises(TransitionRefused) as caught:
        step(user, dossier, "AcceptanceDossier", "complete", oct_(13))  # due Tuesday 12/10
    assert "12/10/2027" in str(caught.value)


def test_the_host_may_not_set_the_refund_nor_the_decision(org, signed):
    with pytest.raises(InvalidInput) as caught:
        make_acceptance(signed["user"], signed["contract"], refund_due=1, decision_number="12/QĐ")
    assert {p.field for p in caught.value.problems} == {"refund_due", "decision_number"}


# --- the council --------------------------------------------------------------------------


def make_council(org, dossier, rows, **values):
    data = {"dossier": dossier.pk, "title": "Hội đồng nghiệm thu", "members": rows} | values
    return services.create_record(E("AcceptanceCouncil"), org.officer_a, data)


def vote(org, council, pool, present, votes):
    council.refresh_from_db()
    return services.update_record(
        E("AcceptanceCouncil"),
        org.officer_a,
        council.pk,
        {"members": council_rows(pool, present, votes)},
        council.version,
    )


@pytest.fixture
def ready(org, signed):
    """A published dossier and a pool of six experts with no conflict."""
    return signed | {"dossier": published(org, signed), "pool": experts(org.officer_a)}


def test_a_conflicted_expert_is_refused_on_every_write(org, ready):
    insider = make_expert(org.officer_a, "Lê Văn Cường", organisation="Viện Công nghệ Thông tin")
    pool = [insider, *ready["pool"][1:]]
    with pytest.raises(InvalidInput) as caught:
        make_council(org, ready["dossier"], council_rows(pool))
    problem = caught.value.problems[0]
    assert problem.field == "members.0.expert" and "xung đột lợi ích" in problem.message


PROPOSAL = """query($d: ID!) { stmAcceptanceProposal(dossier: $d) {
  seats { role expertId } excluded { expertId reasons } shortBy } }"""


def test_six_experts_are_proposed_with_conflicts_left_out(org, ready):
    from tests.graphql import run

    insider = make_expert(org.officer_a, "Lê Văn Cường", organisation="Viện Công nghệ Thông tin")
    answer = run(PROPOSAL, {"d": ready["dossier"].pk}, user=org.officer_a)["data"]["stmAcceptanceProposal"]
    assert len(answer["seats"]) == 6 and answer["shortBy"] == 0
    assert str(insider.pk) not in {s["expertId"] for s in answer["seats"]}
    assert [e["expertId"] for e in answer["excluded"]] == [str(insider.pk)]
    refused = run(PROPOSAL, {"d": ready["dossier"].pk}, user=org.officer_b)
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_the_council_is_formed_with_nine_and_meets_within_30_days(org, ready):
    short = council_rows(ready["pool"])[:8]
    council = make_council(org, ready["dossier"], short)
    with pytest.raises(TransitionRefused) as caught:
        step(org.officer_a, council, "AcceptanceCouncil", "form", oct_(11))
    assert "9 thành viên" in str(caught.value)
    council = vote(org, council, ready["pool"], 9, ())
    council = step(org.officer_a, council, "AcceptanceCouncil", "form", oct_(11))
    assert council.formed_on == oct_(11)
    assert council.meeting_due == dt.date(2027, 11, 10)  # 30 days after Monday 11/10
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            E("AcceptanceCouncil"),
            org.officer_a,
            council.pk,
            {"meeting_at": at(dt.date(2027, 11, 11))},
            council.version,
        )
    assert [p.field for p in caught.value.problems] == ["meeting_at"]
    with pytest.raises(TransitionRefused):
        step(org.officer_a, council, "AcceptanceCouncil", "open_meeting", dt.date(2027, 11, 11))


def test_the_meeting_opens_with_two_thirds_present(org, ready):
    council = make_council(org, ready["dossier"], council_rows(ready["pool"], present=5))
    council = step(org.officer_a, council, "AcceptanceCouncil", "form", oct_(11))
    with pytest.raises(TransitionRefused) as caught:
        step(org.officer_a, council, "AcceptanceCouncil", "open_meeting", oct_(12))
    assert "5/9" in str(caught.value)
    council = vote(org, council, ready["pool"], 6, ())
    council = step(org.officer_a, council, "AcceptanceCouncil", "open_meeting", oct_(12))
    assert council.state == "meeting"
    with pytest.raises(TransitionRefused):  # nobody has voted yet
        step(org.officer_a, council, "AcceptanceCouncil", "conclude", oct_(12))
    with pytest.raises(InvalidInput) as caught:  # an absent member cannot vote
        vote(org, council, ready["pool"], 6, (P,) * 7)
    assert [p.field for p in caught.value.problems] == ["members.6.vote"]


def run_council(org, ready, votes, present=9):
    council = make_council(org, ready["dossier"], council_rows(ready["pool"], present))
    council = step(org.officer_a, council, "AcceptanceCouncil", "form", oct_(11))
    council = step(org.officer_a, council, "AcceptanceCouncil", "open_meeting", oct_(12))
    council = vote(org, council, ready["pool"], present, votes)
    return step(org.officer_a, council, "AcceptanceCouncil", "conclude", oct_(12))


def test_a_rated_task_is_revised_then_recognised(org, ready):
    council = run_council(org, ready, (X,) * 7 + (P,) * 2)
    assert council.rating == X and council.tally == {
        "present": 9,
        "excellent": 7,
        "pass": 2,
        "fail": 0,
        "rating": X,
    }
    dossier = ready["dossier"]
    dossier.refresh_from_db()
    assert (dossier.state, dossier.rating) == ("revising", X)
    assert dossier.step_due == dt.date(2027, 11, 23)  # 30 working days after Tuesday 12/10
    with pytest.raises(TransitionRefused):  # the revised dossier is attached first
        step(ready["user"], dossier, "AcceptanceDossier", "submit_revision", dt.date(2027, 11, 1))
    dossier = services.update_record(
        E("AcceptanceDossier"), ready["user"], dossier.pk, {"revision_file": pdf("revision")}, dossier.version
    )
    dossier = step(ready["user"], dossier, "AcceptanceDossier", "submit_revision", dt.date(2027, 11, 1))
    assert dossier.step_due == dt.date(2027, 11, 15)  # the decision within 10 working days of 01/11
    with pytest.raises(TransitionRefused):  # a decision has a number
        step(org.head_a, dossier, "AcceptanceDossier", "recognise", dt.date(2027, 11, 2))
    dossier = services.update_record(
        E("AcceptanceDossier"),
        org.officer_a,
        dossier.pk,
        {"decision_number": "125/QĐ-SKHCN"},
        dossier.version,
    )
    dossier = step(org.head_a, dossier, "AcceptanceDossier", "recognise", dt.date(2027, 11, 2))
    contract = ready["contract"]
    contract.refresh_from_db()
    assert (contract.state, contract.rating, contract.accepted_on) == ("completed", X, dt.date(2027, 11, 2))


def test_revisions_after_30_working_days_are_refused(org, ready):
    run_council(org, ready, (P,) * 9)
    dossier = ready["dossier"]
    dossier.refresh_from_db()
    dossier = services.update_record(
        E("AcceptanceDossier"), ready["user"], dossier.pk, {"revision_file": pdf("revision")}, dossier.version
    )
    with pytest.raises(TransitionRefused) as caught:
        step(ready["user"], dossier, "AcceptanceDossier", "submit_revision", dt.date(2027, 11, 25))
    assert "23/11/2027" in str(caught.value)


# --- "Không đạt" and what part 1's eligibility check makes of it ---------------------------


def new_application(org, ready, day):
    """The same organisation and investigator apply to a new notice of the province."""
    with time_machine.travel(at(day), tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a, deadline=at(day + dt.timedelta(days=40))))
        dossier = make_dossier(ready["user"], notice, ready["organisation"], ready["pi"])
    return notice, dossier


def codes(dossier):
    return [reason["code"] for reason in dossier.eligibility]


def test_a_failed_task_records_the_refund_and_the_restriction_and_bars_new_applications(org, ready):
    run_council(org, ready, (F,) * 4 + (P,) * 5)
    dossier = ready["dossier"]
    dossier.refresh_from_db()
    contract = ready["contract"]
    contract.refresh_from_db()
    assert (dossier.state, dossier.rating, contract.state) == ("failed", F, "failed")
    with pytest.raises(TransitionRefused):  # the refund and the restriction are written first
        step(org.head_a, dossier, "AcceptanceDossier", "record_failure", oct_(20))
    dossier = services.update_record(
        E("AcceptanceDossier"),
        org.officer_a,
        dossier.pk,
        {"refund_due": 350_000_000, "restricted_until": dt.date(2029, 10, 20)},
        dossier.version,
    )
    step(org.head_a, dossier, "AcceptanceDossier", "record_failure", oct_(20))
    contract.refresh_from_db()
    assert contract.refund_due == 350_000_000 and contract.restricted_until == dt.date(2029, 10, 20)

    _, application = new_application(org, ready, dt.date(2027, 12, 1))
    assert application.eligible is False
    assert codes(application) == ["ORG_FUNDS_UNREPAID", "ORG_RESTRICTED", "PI_RESTRICTED"]
    assert "20/10/2029" in application.eligibility[1]["message"]
    application = step(ready["user"], application, "SelectionDossier", "submit", dt.date(2027, 12, 2))
    with pytest.raises(TransitionRefused) as caught:  # the managing unit cannot pass it as valid
        step(org.officer_a, application, "SelectionDossier", "accept", dt.date(2028, 1, 12))
    assert "không đủ điều kiện" in str(caught.value)

    # once repaid and the restriction over, the bars lift
    contract.refresh_from_db()
    services.update_record(
        E("Contract"), org.officer_a, contract.pk, {"refunded_on": dt.date(2028, 1, 5)}, contract.version
    )
    _, later = new_application(org, ready, dt.date(2029, 10, 22))
    assert later.eligible is True, later.eligibility


def test_recognised_results_not_registered_bar_the_host_until_registered(org, ready):
    run_council(org, ready, (P,) * 9)
    dossier = ready["dossier"]
    dossier.refresh_from_db()
    dossier = services.update_record(
        E("AcceptanceDossier"), ready["user"], dossier.pk, {"revision_file": pdf("revision")}, dossier.version
    )
    dossier = step(ready["user"], dossier, "AcceptanceDossier", "submit_revision", dt.date(2027, 11, 1))
    dossier = services.update_record(
        E("AcceptanceDossier"), org.officer_a, dossier.pk, {"decision_number": "125/QĐ"}, dossier.version
    )
    step(org.head_a, dossier, "AcceptanceDossier", "recognise", dt.date(2027, 11, 2))
    _, application = new_application(org, ready, dt.date(2027, 12, 1))
    assert codes(application) == ["ORG_RESULTS_UNREGISTERED"]
    result = services.create_record(
        E("TaskResult"), ready["user"], {"contract": ready["contract"].pk, "title": "Nền tảng dữ liệu"}
    )
    with pytest.raises(TransitionRefused):
        fire(org.officer_a, result, "TaskResult", "register")
    result = services.update_record(
        E("TaskResult"),
        org.officer_a,
        result.pk,
        {"registration_no": "2027-01-123/ĐKKQ", "registered_on": dt.date(2027, 11, 20)},
        result.version,
    )
    fire(org.officer_a, result, "TaskResult", "register")
    _, again = new_application(org, ready, dt.date(2027, 12, 2))
    assert again.eligible is True, again.eligibility


def test_an_acceptance_dossier_not_filed_within_30_days_bars_the_host(org, signed):
    ready = signed
    _, early = new_application(org, ready, dt.date(2027, 11, 1))
    assert "ORG_ACCEPTANCE_LATE" not in codes(early)  # due that very day
    _, late = new_application(org, ready, dt.date(2027, 11, 2))
    assert codes(late) == ["ORG_ACCEPTANCE_LATE"]
    assert "01/11/2027" in late.eligibility[0]["message"]
    assert registry.model_for("stm.AcceptanceDossier").objects.count() == 0
