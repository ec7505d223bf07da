"""The expert pool, the council and the meeting (domain.md §7.5-7.6), through the write path:
a shared pool with contacts for the council secretary only, the proposal with conflicts left
out, a hand-added conflicted member refused with the reason, the quorum before scoring,
secret ballots, and the result as the last valid ballot comes in."""

from __future__ import annotations

import pytest

from modules.engine import access, services
from modules.engine.errors import InvalidInput, NotFound, TransitionRefused
from tests.graphql import run
from tests.stm_helpers import (
    E,
    build_meeting,
    cast,
    fire,
    full_tech_ballot,
    make_council,
    make_expert,
    seat_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org, legal_days):
    return build_meeting(org)


def test_the_pool_is_shared_and_contacts_are_not(org, meeting):
    expert_a = meeting["experts"][0]  # kept by province A
    assert expert_a.pk in set(access.scoped_queryset(org.officer_b, E("Expert")).values_list("pk", flat=True))
    contact = services.create_record(
        E("ExpertContact"), org.officer_a, {"expert": expert_a.pk, "phone": "0912 345 678"}
    )
    assert not access.scoped_queryset(org.officer_b, E("ExpertContact")).filter(pk=contact.pk).exists()
    with pytest.raises(NotFound):
        services.fetch_for(E("ExpertContact"), org.officer_b, contact.pk, "view")


def test_the_council_secretary_reads_the_members_contacts(org, meeting):
    expert_b = meeting["experts"][1]  # kept by province B
    contact = services.create_record(
        E("ExpertContact"), org.officer_b, {"expert": expert_b.pk, "email": "cg1@vien.vn"}
    )
    assert not access.can(org.officer_a, E("ExpertContact"), "view", contact)
    make_council(org, meeting)
    assert access.can(org.officer_a, E("ExpertContact"), "view", contact)


def test_the_proposal_leaves_conflicts_out_with_the_reason(org, meeting):
    query = """query($n: ID!) { stmCouncilProposal(notice: $n) {
        seats { role expertId } excluded { expertId reasons } shortBy } }"""
    got = run(query, {"n": meeting["notice"].pk}, user=org.officer_a)["data"]["stmCouncilProposal"]
    seated = {int(s["expertId"]) for s in got["seats"]}
    assert len(got["seats"]) == 9 and got["shortBy"] == 0
    assert meeting["conflicted"].pk not in seated
    assert [int(e["expertId"]) for e in got["excluded"]] == [meeting["conflicted"].pk]
    assert "Viện Công nghệ Thông tin" in got["excluded"][0]["reasons"][0]


def test_the_parties_are_every_filed_dossiers_applicants_team_host_and_partners(org, meeting):
    """§7.5: the council judges the applicants and their teams, the host and partner organisations
    of every dossier on file; a dossier still in draft is on nobody's file."""
    import datetime as dt

    import time_machine

    from modules.stm.council_hooks import parties_of
    from modules.stm.councils import Parties
    from tests.stm_helpers import T0, add_pi, applicant, make_dossier, register_org

    carol, dan = applicant("carol"), applicant("dan")
    org_c = register_org(carol, "Trung tâm Dữ liệu Sao Mai")
    org_d = register_org(dan, "Công ty Nháp")
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        with_team = make_dossier(
            carol,
            meeting["notice"],
            org_c,
            add_pi(carol, org_c, "Đỗ Thị Sao"),
            team=[{"full_name": "Vũ Minh Khoa", "organisation_name": "Trường Đại học Bách khoa"}],
            partners=[{"name": "Công ty Cổ phần Mây Xanh"}],
        )
        fire(carol, with_team, "SelectionDossier", "submit")
        make_dossier(dan, meeting["notice"], org_d, add_pi(dan, org_d, "Hồ Văn Nháp"))  # a draft
    expected = Parties.of(
        ["Nguyễn Văn An", "Trần Thị Bình", "Đỗ Thị Sao", "Vũ Minh Khoa"],
        [
            "Viện Công nghệ thông tin",
            "Công ty Phần mềm Bình Minh",
            "Trung tâm Dữ liệu Sao Mai",
            "Trường Đại học Bách khoa",
            "Công ty Cổ phần Mây Xanh",
        ],
    )
    assert parties_of(meeting["notice"]) == expected


def test_a_hand_added_conflicted_member_is_refused_with_the_reason(org, meeting):
    experts = [*meeting["experts"][:8], meeting["conflicted"]]
    with pytest.raises(InvalidInput) as refused:
        make_council(org, meeting, seat_rows(experts))
    problem = refused.value.problems[0]
    assert problem.field == "members.8.expert" and "Lê Văn Cường" in problem.message
    assert "tổ chức chủ trì hoặc phối hợp" in problem.message


def test_a_declared_relative_is_refused(org, meeting):
    relative = make_expert(org.officer_a, "Phạm Văn Đông", conflicts=[{"relative_name": "Trần Thị Bình"}])
    with pytest.raises(InvalidInput) as refused:
        make_council(org, meeting, seat_rows([*meeting["experts"][:8], relative]))
    assert "người thân" in refused.value.problems[0].message


def test_seven_to_nine_members_with_every_seat(org, meeting):
    with pytest.raises(InvalidInput) as refused:
        make_council(org, meeting, seat_rows(meeting["experts"][:6]))
    assert "7 đến 9" in refused.value.problems[0].message


def test_scoring_opens_only_with_the_quorum(org, meeting):
    absent_reviewer = (True, True, True, True, False, True, True, True, True)
    council = make_council(org, meeting, seat_rows(meeting["experts"], absent_reviewer))
    fire(org.officer_a, council, "Council", "form")
    with pytest.raises(TransitionRefused) as refused:
        fire(org.officer_a, council, "Council", "open_scoring")
    assert "phản biện" in str(refused.value)


def test_secret_ballots_and_the_result_when_the_last_valid_ballot_is_in(org, meeting):
    council = make_council(org, meeting)
    fire(org.officer_a, council, "Council", "form")
    fire(org.officer_a, council, "Council", "open_scoring")
    experts, a, b = meeting["experts"], meeting["a"], meeting["b"]
    result_query = """query($c: ID!) { stmCouncilResult(council: $c) {
        complete castBallots expectedBallots winnerId decidedBy
        scores { dossierId invalidBallots mean qualifies } } }"""
    for i, expert in enumerate(experts):
        cast(expert, council, a, full_tech_ballot(20))  # 80 from everyone
        # one ballot far from the others (30 against 85): invalid
        cast(expert, council, b, full_tech_ballot(70 if i == 0 else 15))
        if i == 4:
            midway = run(result_query, {"c": council.pk}, user=org.officer_a)["data"]["stmCouncilResult"]
            assert (midway["complete"], midway["winnerId"], midway["decidedBy"]) == (False, None, "pending")
    got = run(result_query, {"c": council.pk}, user=org.officer_a)["data"]["stmCouncilResult"]
    assert (got["complete"], got["castBallots"], got["expectedBallots"]) == (True, 18, 18)
    by_id = {int(s["dossierId"]): s for s in got["scores"]}
    assert by_id[b.pk]["invalidBallots"] == 1 and by_id[b.pk]["mean"] == 85
    assert by_id[a.pk]["mean"] == 80
    assert (int(got["winnerId"]), got["decidedBy"]) == (b.pk, "mean")
    # secret: a member sees their own ballots, not another member's
    mine = access.scoped_queryset(experts[0].account, E("Ballot"))
    assert set(mine.values_list("expert_id", flat=True)) == {experts[0].pk}


def test_a_member_cannot_cast_another_members_ballot_nor_score_out_of_the_grid(org, meeting):
    council = make_council(org, meeting)
    fire(org.officer_a, council, "Council", "form")
    fire(org.officer_a, council, "Council", "open_scoring")
    first, second = meeting["experts"][:2]
    with pytest.raises(InvalidInput) as refused:
        services.create_record(
            E("Ballot"),
            first.account,
            {
                "council": council.pk,
                "dossier": meeting["a"].pk,
                "expert": second.pk,
                "scores": full_tech_ballot(),
            },
        )
    assert {p.field for p in refused.value.problems} == {"expert"}
    with pytest.raises(InvalidInput) as refused:
        cast(first, council, meeting["a"], full_tech_ballot(content=30))
    assert refused.value.problems[0].field == "scores"


def pdf_text(content: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        # a table cell wraps over lines: read each cell whole, as one line of its own
        cells = [
            cell for page in pdf.pages for table in page.extract_tables() for row in table for cell in row
        ]
    return (
        text
        + "\n"
        + "\n".join(
            " ".join(cell.replace("\n", "").split())
            if "HS-" in (cell or "")
            else " ".join((cell or "").split())
            for cell in cells
        )
    )


def test_the_opening_minutes_list_the_dossiers_with_their_validity(org, meeting):
    from django.test import Client

    client = Client()
    client.force_login(org.officer_a)
    response = client.get(f"/stm/notices/{meeting['notice'].pk}/opening.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BIÊN BẢN MỞ HỒ SƠ" in text and "B2-1-BBHS" in text
    assert "Viện Công nghệ thông tin" in text and "Công ty Phần mềm Bình Minh" in text
    assert "Số hồ sơ nhận được: 2" in text
    other = Client()
    other.force_login(org.officer_b)
    assert other.get(f"/stm/notices/{meeting['notice'].pk}/opening.pdf").status_code == 404


def test_the_council_minutes_name_the_winner_and_stay_in_the_province(org, meeting):
    from django.test import Client

    council = make_council(org, meeting)
    fire(org.officer_a, council, "Council", "form")
    fire(org.officer_a, council, "Council", "open_scoring")
    for expert in meeting["experts"]:
        cast(expert, council, meeting["a"], full_tech_ballot(20))
        cast(expert, council, meeting["b"], full_tech_ballot(20))  # a tie on the mean
    client = Client()
    client.force_login(org.officer_a)
    text = pdf_text(client.get(f"/stm/councils/{council.pk}/minutes.pdf").content)
    # equal means: the lower state budget (Bình Minh's 1.500.000.000 against 2.000.000.000) wins
    assert "BIÊN BẢN HỌP HỘI ĐỒNG" in text and "kinh phí ngân sách thấp hơn" in text
    assert f"Kết quả: {meeting['b'].number}" in text.replace("\n", " ")
    other = Client()
    other.force_login(org.officer_b)
    assert other.get(f"/stm/councils/{council.pk}/minutes.pdf").status_code == 404


def test_an_expert_keeps_their_profile_and_shows_their_history(org, meeting):
    make_council(org, meeting)
    reviewer = meeting["experts"][3]  # seat_rows: the fourth is a reviewer
    query = "query($id: ID!) { expert(id: $id) { fullName councilsSat reviewsWritten } }"
    got = run(query, {"id": reviewer.pk}, user=org.officer_b)["data"]["expert"]
    assert (got["councilsSat"], got["reviewsWritten"]) == (1, 1)
    reviewer.refresh_from_db()
    updated = services.update_record(
        E("Expert"),
        reviewer.account,
        reviewer.pk,
        {"publications": "Hai bài báo ISI năm 2026."},
        reviewer.version,
    )
    assert updated.publications.startswith("Hai bài báo")
    other = meeting["experts"][4]
    with pytest.raises(NotFound):
        services.update_record(E("Expert"), reviewer.account, other.pk, {"publications": "x"}, other.version)


def test_papers_go_out_7_working_days_before_the_meeting(org, meeting):
    import datetime as dt

    from tests.stm_helpers import VN

    at = dt.datetime(2027, 4, 30, 9, 0, tzinfo=VN)  # Friday; 7 working days before: Wed 21/04
    council = make_council(org, meeting, meeting_at=at, papers_sent_on=dt.date(2027, 4, 21))
    assert council.papers_due == dt.date(2027, 4, 21)
    with pytest.raises(InvalidInput) as refused:
        make_council(org, meeting, meeting_at=at, papers_sent_on=dt.date(2027, 4, 22))
    assert (
        refused.value.problems[0].field == "papers_sent_on"
        and "21/04/2027" in refused.value.problems[0].message
    )


def test_another_province_cannot_learn_who_applied_through_a_proposal(org, meeting):
    query = "query($n: ID!) { stmCouncilProposal(notice: $n) { shortBy } }"
    answer = run(query, {"n": meeting["notice"].pk}, user=org.officer_b)
    assert answer.get("data") is None or answer["data"].get("stmCouncilProposal") is None
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"
