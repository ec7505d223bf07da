"""The S&T selection rules as pure functions (domain.md §7, TT 20/2023/TT-BKHCN).

Every expected value is read off the rule's text: 30 days, 6 months, one year, three years,
five years, 20 %, 70, +10 %, a quarter of the members present, two thirds. No database.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from modules.engine.ballots import QuorumRule, Seat, deviating, quorum_problems
from modules.stm import eligibility as el
from modules.stm import scoring
from modules.stm.councils import SELECTION_QUORUM

ON = dt.date(2026, 12, 1)


def codes(reasons):
    return [r.code for r in reasons]


# --- §7.2 the organisation's bars -------------------------------------------------------------


def test_a_clean_organisation_has_no_bar():
    assert el.organisation_reasons(el.OrganisationFacts(), ON) == []


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (el.OrganisationFacts(results_unregistered=True), "ORG_RESULTS_UNREGISTERED"),
        (el.OrganisationFacts(application_report_missing=True), "ORG_APPLICATION_REPORT_MISSING"),
        (el.OrganisationFacts(funds_unrepaid=True), "ORG_FUNDS_UNREPAID"),
    ],
)
def test_each_organisation_bar_is_its_own_reason(facts, code):
    reasons = el.organisation_reasons(facts, ON)
    assert codes(reasons) == [code]
    vi, en = reasons[0].message.split(" / ")
    assert vi and en  # Vietnamese first, English second


def test_acceptance_dossier_30_days_after_the_contract_end():
    ended = dt.date(2026, 10, 1)  # 30 days later: 31/10/2026
    outstanding = el.OrganisationFacts(contract_ended_on=ended)
    assert el.organisation_reasons(outstanding, dt.date(2026, 10, 31)) == []
    late = el.organisation_reasons(outstanding, dt.date(2026, 11, 1))
    assert codes(late) == ["ORG_ACCEPTANCE_LATE"] and "31/10/2026" in late[0].message
    filed = el.OrganisationFacts(contract_ended_on=ended, acceptance_submitted_on=dt.date(2026, 10, 20))
    assert el.organisation_reasons(filed, dt.date(2026, 12, 1)) == []


def test_an_organisation_suspended_within_the_last_year_is_barred():
    suspended = el.OrganisationFacts(suspended_on=dt.date(2025, 12, 2))
    assert codes(el.organisation_reasons(suspended, ON)) == ["ORG_SUSPENDED"]  # one day short of a year
    a_year = el.OrganisationFacts(suspended_on=dt.date(2025, 12, 1))
    assert el.organisation_reasons(a_year, ON) == []


def test_every_bar_at_once_lists_every_reason_in_the_rules_order():
    facts = el.OrganisationFacts(
        results_unregistered=True,
        application_report_missing=True,
        contract_ended_on=dt.date(2026, 1, 1),
        funds_unrepaid=True,
        suspended_on=dt.date(2026, 6, 1),
    )
    assert codes(el.organisation_reasons(facts, ON)) == [
        "ORG_RESULTS_UNREGISTERED",
        "ORG_APPLICATION_REPORT_MISSING",
        "ORG_ACCEPTANCE_LATE",
        "ORG_FUNDS_UNREPAID",
        "ORG_SUSPENDED",
    ]


# --- §7.2 the principal investigator's bars ----------------------------------------------------

GOOD_PI = el.InvestigatorFacts(degree="doctor", in_field_since=dt.date(2015, 9, 1))


def test_a_doctor_ten_years_in_the_field_is_eligible():
    assert el.investigator_reasons(GOOD_PI, ON) == []


@pytest.mark.parametrize(
    ("degree", "ok"), [("none", False), ("", False), ("bachelor", True), ("master", True)]
)
def test_a_degree_is_needed(degree, ok):
    facts = el.InvestigatorFacts(degree=degree, in_field_since=dt.date(2015, 9, 1))
    assert (el.investigator_reasons(facts, ON) == []) is ok


def test_five_years_in_the_field():
    assert (
        el.investigator_reasons(
            el.InvestigatorFacts(degree="master", in_field_since=dt.date(2021, 12, 1)), ON
        )
        == []
    )
    short = el.InvestigatorFacts(degree="master", in_field_since=dt.date(2021, 12, 2))
    assert codes(el.investigator_reasons(short, ON)) == ["PI_FIELD_YEARS"]
    unknown = el.InvestigatorFacts(degree="master")
    assert codes(el.investigator_reasons(unknown, ON)) == ["PI_FIELD_YEARS"]


def test_leading_another_national_task_bars():
    facts = el.InvestigatorFacts(
        degree="doctor", in_field_since=dt.date(2010, 1, 1), leads_national_task=True
    )
    assert codes(el.investigator_reasons(facts, ON)) == ["PI_LEADS_NATIONAL_TASK"]


def test_a_suspension_bars_the_investigator_for_three_years():
    base = {"degree": "doctor", "in_field_since": dt.date(2010, 1, 1)}
    within = el.InvestigatorFacts(**base, suspended_on=dt.date(2023, 12, 2))
    reasons = el.investigator_reasons(within, ON)
    assert codes(reasons) == ["PI_SUSPENDED"] and "02/12/2026" in reasons[0].message
    assert el.investigator_reasons(el.InvestigatorFacts(**base, suspended_on=dt.date(2023, 12, 1)), ON) == []


# --- §7.6 the grids ---------------------------------------------------------------------------


@pytest.mark.parametrize("task_type", ["tech", "social", "scheme", "project"])
def test_each_grid_is_out_of_100(task_type):
    assert sum(top for *_, top in scoring.GRIDS[task_type]) == 100


def test_the_grids_differ_as_the_table_says():
    tech = {c: top for c, _, _, top in scoring.GRIDS["tech"]}
    social = {c: top for c, _, _, top in scoring.GRIDS["social"]}
    project = {c: top for c, _, _, top in scoring.GRIDS["project"]}
    assert tech == {
        "overview": 12,
        "content": 24,
        "products": 16,
        "applicability": 16,
        "plan": 16,
        "capacity": 16,
    }
    assert social == {
        "overview": 12,
        "content": 12,
        "approach": 12,
        "products": 24,
        "plan": 20,
        "capacity": 20,
    }
    assert project == {
        "overview": 8,
        "content": 20,
        "products": 16,
        "novelty": 12,
        "effect": 12,
        "plan": 16,
        "capacity": 16,
    }


def tech_ballot(total_minus: int = 0, **override: int) -> dict[str, int]:
    """A technology-topic ballot: full marks less `total_minus` points, taken one at a time in turn
    from each criterion still above zero (so no criterion is zeroed before the others)."""
    ballot = {"overview": 12, "content": 24, "products": 16, "applicability": 16, "plan": 16, "capacity": 16}
    order = ("capacity", "plan", "applicability", "products", "overview", "content")
    left = total_minus
    while left > 0 and any(ballot.values()):
        for code in order:
            if left and ballot[code]:
                ballot[code] -= 1
                left -= 1
    return ballot | override


def total(ballot):
    return sum(ballot.values())


def test_ballot_problems_name_each_bad_criterion():
    ballot = tech_ballot() | {"content": 25, "plan": -1}
    del ballot["capacity"]
    problems = scoring.ballot_problems("tech", ballot | {"bogus": 1})
    assert set(problems) == {"content", "plan", "capacity", "bogus"}
    assert scoring.ballot_problems("tech", tech_ballot()) == {}


# --- §7.5 a ballot more than 20 % from the mean -----------------------------------------------


def test_exactly_20_percent_from_the_mean_is_valid_and_more_is_invalid():
    assert deviating([100, 100, 100, 60]) == {3}  # mean 90: 60 is 30 away, more than 18
    assert deviating([120, 80]) == set()  # mean 100: each 20 away, exactly 20 %
    assert deviating([121, 80]) == {0, 1}  # mean 100.5: each 20.5 away, more than 20.1


def test_an_invalid_ballot_is_left_out_of_the_mean():
    ballots = [tech_ballot(10), tech_ballot(10), tech_ballot(10), tech_ballot(10), tech_ballot(70)]
    # totals 90, 90, 90, 90, 30: mean 78; 30 is 48 away (> 15.6): invalid
    outcome = scoring.score("tech", ballots, present=5, proposer=False)
    assert outcome.invalid == {4}
    assert outcome.mean == 90


def test_no_valid_ballot_gives_no_mean():
    outcome = scoring.score("tech", [tech_ballot(0), tech_ballot(100)], present=2, proposer=False)
    assert outcome.invalid == {0, 1} and outcome.mean is None and not outcome.qualifies


# --- §7.6 the 10 % bonus, the 70 threshold, the zero-criterion rule ------------------------------


def test_the_proposer_gets_ten_percent_from_a_mean_of_70():
    at_70 = scoring.score("tech", [tech_ballot(30)] * 7, present=7, proposer=True)
    assert (at_70.mean, at_70.bonus, at_70.final) == (70, True, 77)
    below = scoring.score("tech", [tech_ballot(30)] * 6 + [tech_ballot(31)], present=7, proposer=True)
    assert below.mean == Fraction(489, 7) and not below.bonus and below.final == below.mean
    assert not below.qualifies and "70" in below.reasons[0]
    not_proposer = scoring.score("tech", [tech_ballot(30)] * 7, present=7, proposer=False)
    assert (not_proposer.bonus, not_proposer.final) == (False, 70)


def test_a_criterion_zeroed_by_more_than_a_quarter_of_the_members_present_loses():
    zero = tech_ballot(0, applicability=0)  # 84
    full = tech_ballot(0)  # 100
    two_of_eight = scoring.score("tech", [zero, zero] + [full] * 6, present=8, proposer=False)
    assert two_of_eight.zero_criteria == [] and two_of_eight.qualifies  # exactly a quarter
    three_of_eight = scoring.score("tech", [zero, zero, zero] + [full] * 5, present=8, proposer=False)
    assert three_of_eight.zero_criteria == ["applicability"] and not three_of_eight.qualifies
    assert "Khả năng ứng dụng" in three_of_eight.reasons[0]


def test_a_zero_on_an_invalid_ballot_counts_for_nothing():
    zeroed = {code: 0 for code, *_ in scoring.GRIDS["tech"]}
    # totals 0 and five times 100: mean 250/3, each 100 exactly 20 % away (valid), the 0 not
    outcome = scoring.score("tech", [zeroed] + [tech_ballot(0)] * 5, present=6, proposer=False)
    assert outcome.invalid == {0} and outcome.zero_criteria == []


# --- §7.6 the winner and each tie-break -------------------------------------------------------


def cand(key, mean_minus, budget, excellent_on=None, content=None, proposer=False, task_type="tech"):
    ballot = tech_ballot(mean_minus)
    if content is not None:
        moved = ballot["content"] - content
        ballot = ballot | {"content": content, "capacity": ballot["capacity"] + moved}
    outcome = scoring.score(task_type, [ballot] * 7, present=7, proposer=proposer)
    return scoring.Candidate(key, outcome, budget, excellent_on)


def test_the_highest_mean_wins():
    ranking = scoring.rank([cand("a", 20, 900), cand("b", 10, 1000)], ON)
    assert (ranking.winner, ranking.decided_by, ranking.order) == ("b", "mean", ["b", "a"])


def test_below_70_never_wins_even_alone():
    ranking = scoring.rank([cand("a", 31, 100)], ON)
    assert (ranking.winner, ranking.decided_by) == (None, "none")


def test_the_bonus_can_turn_the_order():
    # 75 with the bonus is 82.5, above a plain 80
    ranking = scoring.rank([cand("plain", 20, 100), cand("proposer", 25, 100, proposer=True)], ON)
    assert ranking.winner == "proposer"


def test_tie_breaks_on_the_lower_state_budget():
    ranking = scoring.rank([cand("dear", 15, 2_000_000_000), cand("cheap", 15, 1_500_000_000)], ON)
    assert (ranking.winner, ranking.decided_by) == ("cheap", "budget")


def test_then_on_an_excellent_national_task_in_the_last_five_years():
    five_years = dt.date(2021, 12, 1)  # ON minus five years: still within
    too_old = dt.date(2021, 11, 30)
    ranking = scoring.rank([cand("old", 15, 100, too_old), cand("recent", 15, 100, five_years)], ON)
    assert (ranking.winner, ranking.decided_by) == ("recent", "excellent")


def test_then_on_the_higher_content_score():
    ranking = scoring.rank([cand("thin", 15, 100, content=18), cand("rich", 15, 100, content=22)], ON)
    assert (ranking.winner, ranking.decided_by) == ("rich", "content")


def test_a_tie_on_everything_names_no_winner():
    ranking = scoring.rank([cand("a", 15, 100), cand("b", 15, 100)], ON)
    assert (ranking.winner, ranking.decided_by) == (None, "tie")


def test_social_science_content_score_counts_content_and_approach():
    ballot = {code: top for code, _, _, top in scoring.GRIDS["social"]} | {"content": 10, "approach": 11}
    outcome = scoring.score("social", [ballot] * 7, present=7, proposer=False)
    assert outcome.content == 21


# --- §7.5 the quorum --------------------------------------------------------------------------


def seats(absent=()):
    roles = [
        "chair",
        "vice_chair",
        "secretary",
        "reviewer",
        "reviewer",
        "member",
        "member",
        "member",
        "member",
    ]
    return [Seat(role, i not in absent) for i, role in enumerate(roles)]


def test_quorum_is_met_with_everyone():
    assert quorum_problems(seats(), SELECTION_QUORUM) == []


def test_two_thirds_is_enough_and_less_is_not():
    assert quorum_problems(seats(absent=(5, 6, 7)), SELECTION_QUORUM) == []  # 6 of 9
    problems = quorum_problems(seats(absent=(2, 5, 6, 7)), SELECTION_QUORUM)  # 5 of 9
    assert len(problems) == 1 and "5/9" in problems[0]


def test_the_chair_or_the_vice_chair_must_be_there():
    assert quorum_problems(seats(absent=(0,)), SELECTION_QUORUM) == []
    assert quorum_problems(seats(absent=(1,)), SELECTION_QUORUM) == []
    problems = quorum_problems(seats(absent=(0, 1)), SELECTION_QUORUM)
    assert len(problems) == 1 and "Chủ tịch" in problems[0]


@pytest.mark.parametrize("absent", [3, 4])
def test_both_reviewers_must_be_there(absent):
    problems = quorum_problems(seats(absent=(absent,)), SELECTION_QUORUM)
    assert len(problems) == 1 and "phản biện" in problems[0]


def test_a_quorum_rule_with_another_fraction():
    rule = QuorumRule(fraction=Fraction(4, 5))  # the budget appraisal group: 4 of 5 (§7.8)
    five = [Seat("member", True)] * 4 + [Seat("member", False)]
    assert quorum_problems(five, rule) == []
    assert quorum_problems([Seat("member", True)] * 3 + [Seat("member", False)] * 2, rule)
