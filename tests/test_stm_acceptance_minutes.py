"""The acceptance council's minutes as a PDF (issue 19; domain.md §7 "Acceptance", TT 11/2014).

The figures come from the rule's text: 9 members, quorum two thirds (6 of 9), "Xuất sắc" with at
least three quarters of the members present and no "Không đạt" vote. With 8 present, 6 votes
"Xuất sắc" is exactly three quarters (6/8), so the council rates "Xuất sắc"; with 9 present,
4 "Không đạt" votes are more than a third (4/9 > 3/9), so it rates "Không đạt". The minutes are
read back from the PDF; neither the host organisation nor another province may fetch them, by
URL or by GraphQL."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from modules.engine import services
from modules.stm import acceptance_rules as rules
from tests.graphql import run
from tests.stm2_helpers import START, experts, host, signed_contract
from tests.stm_helpers import E
from tests.test_stm_acceptance import at, published, run_council
from tests.test_stm_council_meeting import pdf_text

X, P, F = rules.EXCELLENT, rules.PASS, rules.FAIL


@pytest.fixture
def ready(org, legal_days):
    """A contract ended on 30/09/2027, its dossier published on 08/10/2027, six experts free of
    conflict (as `test_stm_acceptance`'s fixture of the same name)."""
    user, organisation, pi = host()
    with time_machine.travel(at(START), tick=False):
        contract = signed_contract(org.officer_a, organisation, pi)
    signed = {"user": user, "organisation": organisation, "pi": pi, "contract": contract}
    return signed | {"dossier": published(org, signed), "pool": experts(org.officer_a)}


def minutes(user, council) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    answer = client.get(f"/stm/acceptance-councils/{council.pk}/minutes.pdf")
    return answer.status_code, pdf_text(answer.content) if answer.status_code == 200 else ""


def test_the_minutes_hold_attendance_each_vote_and_the_rating_by_the_rule(org, ready):
    # 8 of 9 present (the ordering body's member is absent): 6 "Xuất sắc" of 8 is three quarters
    council = run_council(org, ready, (X,) * 6 + (P,) * 2, present=8)
    council = services.update_record(
        E("AcceptanceCouncil"),
        org.officer_a,
        council.pk,
        {"minutes_note": "Đề nghị công nhận kết quả sau khi hoàn thiện báo cáo tổng hợp."},
        council.version,
    )
    status, text = minutes(org.officer_a, council)
    assert status == 200
    flat = " ".join(text.split())
    assert "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, NGHIỆM THU" in flat
    assert "Có mặt 8/9 thành viên" in flat and "đủ điều kiện họp" in flat
    assert "Kết luận xếp loại: Xuất sắc" in flat
    assert "6 Xuất sắc, 2 Đạt, 0 Không đạt trên 8 thành viên có mặt" in flat
    assert "Đề nghị công nhận kết quả" in flat
    assert ready["organisation"].name in flat
    lines = text.splitlines()
    # each member's line: the six experts by name, then the three others; the absent one has no vote
    for i in range(6):
        assert f"Chuyên gia nghiệm thu {i}" in flat
    assert lines.count("Vắng") == 1 and lines.count("Xuất sắc") == 6 and lines.count("Đạt") == 2
    assert "Bên đặt hàng" in flat
    assert "excellent" not in flat and "expert_db" not in flat  # labels, never codes


def test_a_council_failing_the_task_says_so_in_its_minutes(org, ready):
    council = run_council(org, ready, (F,) * 4 + (X,) * 5)  # 4/9 > 1/3
    flat = " ".join(minutes(org.officer_a, council)[1].split())
    assert "Kết luận xếp loại: Không đạt (quá 1/3 số thành viên xếp loại Không đạt)" in flat
    assert "5 Xuất sắc, 0 Đạt, 4 Không đạt trên 9 thành viên có mặt" in flat


COUNCIL = "query($id: ID!) { acceptanceCouncil(id: $id) { number rating members { vote } } }"
COUNCILS = "{ acceptanceCouncils { results { id } } }"


def test_neither_the_host_nor_another_province_reads_the_minutes(org, ready):
    council = run_council(org, ready, (P,) * 9)
    assert minutes(org.officer_a, council)[0] == 200
    for outsider in (org.officer_b, ready["user"]):  # another province; the host organisation
        assert minutes(outsider, council)[0] == 404
        answer = run(COUNCIL, {"id": council.pk}, user=outsider)
        assert not (answer.get("data") or {}).get("acceptanceCouncil")
        listed = run(COUNCILS, user=outsider)
        assert not ((listed.get("data") or {}).get("acceptanceCouncils") or {}).get("results")
    mine = run(COUNCIL, {"id": council.pk}, user=org.officer_a)["data"]["acceptanceCouncil"]
    assert mine["rating"] and len(mine["members"]) == 9
    anonymous = Client().get(f"/stm/acceptance-councils/{council.pk}/minutes.pdf")
    assert anonymous.status_code == 302  # to the log-in page
    assert Client().get(f"/stm/acceptance-councils/{council.pk + 999}/minutes.pdf").status_code == 302
