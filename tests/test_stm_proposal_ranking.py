"""The advisory council's ranking of task proposals, by the issue's scoring rule (domain.md
§7.5-7.6): the mean of the valid ballots (a ballot more than 20 % from the mean is invalid),
ranked only from 70 and with no criterion zeroed by more than a quarter of the members; ties
break on the lower budget, then an "Xuất sắc" national task in the last five years, then the
higher content score. Every expected order below is read from that text."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from modules.engine import services
from modules.engine.errors import InvalidInput
from modules.stm import scoring
from modules.stm.proposal_ranking import place
from tests.graphql import run
from tests.stm_helpers import T0, E, applicant, fire, full_tech_ballot, make_expert, register_org

ON = dt.date(2027, 4, 1)


def candidate(key, minus=(0, 0, 0), budget=1_000_000_000, excellent_on=None, ballots=None):
    ballots = ballots or [full_tech_ballot(minus=m) for m in minus]
    outcome = scoring.score("tech", ballots, len(ballots), proposer=False)
    return scoring.Candidate(key, outcome, budget, excellent_on)


def ranks(candidates) -> dict:
    return {row.key: row.rank for row in place(candidates, ON)}


def test_the_highest_mean_ranks_first():
    # means 80, 90, 72
    assert ranks([candidate("B", (20, 20, 20)), candidate("A", (10, 10, 10)), candidate("C", (28,) * 3)]) == {
        "A": 1,
        "B": 2,
        "C": 3,
    }


def test_a_mean_below_70_is_not_ranked_and_says_why():
    placed = place([candidate("A", (10,) * 3), candidate("D", (31,) * 3)], ON)  # means 90 and 69
    assert [(row.key, row.rank) for row in placed] == [("A", 1), ("D", None)]
    assert "dưới 70" in placed[1].outcome.reasons[0]


def test_a_criterion_zeroed_by_more_than_a_quarter_is_not_ranked():
    zero = full_tech_ballot(content=0)  # 76 points, content 0
    full = full_tech_ballot()  # 100 points
    # 2 of 4 members zero "content": more than a quarter; 1 of 4 is exactly a quarter: ranked
    two = candidate("two", ballots=[zero, zero, full, full])
    one = candidate("one", ballots=[zero, full, full, full])
    assert ranks([two, one]) == {"one": 1, "two": None}


def test_a_ballot_more_than_20_percent_from_the_mean_does_not_count():
    # totals 90, 90, 90, 50: mean 80, 20 % of it 16; 50 is 30 away (invalid), 90 is 10 away
    skewed = candidate("S", (10, 10, 10, 50))
    assert skewed.outcome.invalid == {3} and skewed.outcome.mean == 90
    # so it ranks above a proposal whose four ballots average 85
    assert ranks([candidate("E", (15,) * 4), skewed]) == {"S": 1, "E": 2}


def test_an_equal_mean_goes_to_the_lower_budget():
    assert ranks([candidate("dear", (20,) * 3, budget=1_500_000_000), candidate("cheap", (20,) * 3)]) == {
        "cheap": 1,
        "dear": 2,
    }


def test_then_to_an_excellent_national_task_in_the_last_five_years():
    recent = candidate("recent", (20,) * 3, excellent_on=dt.date(2024, 6, 1))
    old = candidate("old", (20,) * 3, excellent_on=dt.date(2019, 6, 1))  # more than five years before
    none = candidate("none", (20,) * 3)
    assert ranks([old, none, recent])["recent"] == 1
    assert ranks([old, none, recent])["old"] == ranks([old, none, recent])["none"] == 2


def test_then_to_the_higher_content_score_and_a_full_tie_shares_the_rank():
    # both 96 points; one gives content 24 of 24, the other 20 (and 4 more elsewhere)
    content_24 = candidate("c24", ballots=[full_tech_ballot(capacity=12)] * 3)
    content_20 = candidate("c20", ballots=[full_tech_ballot(content=20)] * 3)
    twin = candidate("twin", ballots=[full_tech_ballot(content=20)] * 3)
    last = candidate("last", (25,) * 3)
    assert ranks([content_20, last, twin, content_24]) == {"c24": 1, "c20": 2, "twin": 2, "last": 4}


# --- stored proposals, ranked through GraphQL ----------------------------------------------

RANK = """mutation($c: ID!) { stmRankProposals(call: $c) {
  ok errors { code } proposals { proposalId rank mean reasons } } }"""


@pytest.fixture
def call(org, legal_days):
    """Province A's call with two submitted proposals (Alice's, Bob's) and three experts."""
    alice, bob = applicant("alice"), applicant("bob")
    org_a = register_org(alice, "Viện Công nghệ thông tin")
    org_b = register_org(bob, "Công ty Phần mềm Bình Minh")
    with time_machine.travel(T0, tick=False):
        call = services.create_record(
            E("ProposalCall"),
            org.officer_a,
            {"title": "Đề xuất nhiệm vụ 2028", "deadline": T0 + dt.timedelta(days=20)},
        )
        call = fire(org.officer_a, call, "ProposalCall", "publish")
        proposals = {}
        for user, host, budget in ((alice, org_a, 900_000_000), (bob, org_b, 700_000_000)):
            proposal = services.create_record(
                E("TaskProposal"),
                user,
                {
                    "call": call.pk,
                    "organisation": host.pk,
                    "title": f"Đề xuất của {host.name}",
                    "task_type": "tech",
                    "estimated_budget": budget,
                },
            )
            proposals[user.username] = fire(user, proposal, "TaskProposal", "submit")
    experts = [make_expert(org.officer_a, f"Chuyên gia {i}") for i in range(3)]
    return {"call": call, "experts": experts, "alice_user": alice, **proposals}


def score(org, proposal, experts, ballots):
    proposal.refresh_from_db()
    rows = [{"expert": e.pk, "scores": b} for e, b in zip(experts, ballots, strict=True)]
    return services.update_record(
        E("TaskProposal"), org.officer_a, proposal.pk, {"assessments": rows}, proposal.version
    )


@pytest.mark.django_db
def test_the_council_ranks_the_calls_proposals_and_the_rank_is_stored(org, call):
    experts = call["experts"]
    # both means 80: Bob's lower estimated budget (700 million) ranks first
    score(org, call["alice"], experts, [full_tech_ballot(minus=20)] * 3)
    score(org, call["bob"], experts, [full_tech_ballot(minus=20)] * 3)
    answer = run(RANK, {"c": call["call"].pk}, user=org.officer_a)["data"]["stmRankProposals"]
    assert answer["ok"] is True
    got = {int(p["proposalId"]): (p["rank"], p["mean"]) for p in answer["proposals"]}
    assert got == {call["bob"].pk: (1, 80.0), call["alice"].pk: (2, 80.0)}
    for key, rank in (("bob", 1), ("alice", 2)):
        call[key].refresh_from_db()
        assert call[key].rank == rank
        assert call[key].history.filter(history_change_reason="ranking").count() == 1


@pytest.mark.django_db
def test_another_province_cannot_rank_nor_an_applicant_score(org, call):
    answer = run(RANK, {"c": call["call"].pk}, user=org.officer_b)["data"]["stmRankProposals"]
    assert answer["ok"] is False and answer["errors"][0]["code"] == "NOT_FOUND"
    answer = run(RANK, {"c": call["call"].pk}, user=call["alice_user"])["data"]["stmRankProposals"]
    assert answer["ok"] is False and answer["errors"][0]["code"] == "NOT_FOUND"
    # the applicant may not write the council's ballots on their own proposal
    proposal = call["alice"]
    proposal.refresh_from_db()
    rows = [{"expert": e.pk, "scores": full_tech_ballot()} for e in call["experts"]]
    with pytest.raises(InvalidInput) as refused:
        services.update_record(
            E("TaskProposal"), call["alice_user"], proposal.pk, {"assessments": rows}, proposal.version
        )
    assert all(p.field.startswith("assessments") for p in refused.value.problems)
    proposal.refresh_from_db()
    assert proposal.assessments.count() == 0 and proposal.rank is None


@pytest.mark.django_db
def test_a_ballot_off_the_grid_is_refused_per_row(org, call):
    with pytest.raises(InvalidInput) as refused:
        score(org, call["bob"], call["experts"], [full_tech_ballot(content=30)] * 3)
    assert {p.field for p in refused.value.problems} == {f"assessments.{i}.scores" for i in range(3)}
