"""Decree 20/2008 (domain.md §4): complaints and denunciations are outside its scope (Art. 1),
and a petition is written in Vietnamese (Art. 7). Both are registered, classified at once
("out of scope" / "not accepted"), and the petitioner is told why, Vietnamese first.

The Vietnamese test is a rule (the share of words spelled as Vietnamese syllables), named
so in `modules/petitions/rules.py`; these texts are plain examples of each case.
"""

from __future__ import annotations

import pytest
from django.test import Client

from modules.engine import registry, services
from modules.engine.errors import TransitionRefused
from modules.petitions import rules
from modules.petitions.api import file_petition
from tests.graphql import run

pytestmark = pytest.mark.django_db

SUBMIT = """mutation($i: PetitionInput!) { submitPetition(input: $i) {
    ok number accepted notice errors { field code message } } }"""
PERSON = {
    "petitionerName": "Nguyễn Văn Bình",
    "address": "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh",
    "phone": "0903 123 456",
}
VIETNAMESE = "Thủ tục cấp phép X-quang còn yêu cầu nộp bản giấy dù hồ sơ đã nộp trực tuyến có chữ ký số."
UNACCENTED = "Thu tuc cap phep X-quang con yeu cau nop ban giay du ho so da nop truc tuyen co chu ky so."
ENGLISH = "The licensing procedure still requires paper copies although the application was filed online."
FRENCH = "La procédure exige toujours des copies papier bien que la demande ait été déposée en ligne."
CHINESE = "许可程序仍然要求提交纸质副本，尽管申请已经在网上提交。"


def model():
    return registry.model_for("petitions.Petition")


@pytest.mark.parametrize(
    ("text", "vietnamese"),
    [(VIETNAMESE, True), (UNACCENTED, True), (ENGLISH, False), (FRENCH, False), (CHINESE, False)],
)
def test_the_vietnamese_syllable_rule(text, vietnamese):
    assert rules.is_vietnamese(text) is vietnamese


def test_a_petition_in_vietnamese_is_taken_in(org, legal_days):
    answer = run(
        SUBMIT, {"i": PERSON | {"contentType": "UNSUITED", "subject": "Bản giấy", "content": VIETNAMESE}}
    )
    got = answer["data"]["submitPetition"]
    assert (got["ok"], got["accepted"], got["notice"]) == (True, True, None)
    assert model().objects.get(number=got["number"]).state == "received"


def test_a_petition_not_in_vietnamese_is_registered_and_not_accepted_with_the_reason(org, legal_days):
    got = run(
        SUBMIT, {"i": PERSON | {"contentType": "UNSUITED", "subject": "Paper copies", "content": ENGLISH}}
    )["data"]["submitPetition"]
    assert got["ok"] and got["accepted"] is False and got["number"].startswith("KN-")
    assert got["notice"].startswith("Không tiếp nhận: phản ánh, kiến nghị phải sử dụng tiếng Việt")
    assert "Điều 7" in got["notice"] and got["notice"].index("Điều 7") < got["notice"].index("Art. 7")
    petition = model().objects.get(number=got["number"])  # recorded in the register
    assert (petition.state, petition.refusal_reason) == ("not_accepted", "not_vietnamese")
    assert petition.notice == got["notice"]


@pytest.mark.parametrize(
    ("kind", "law"), [("COMPLAINT", "Luật Khiếu nại 2011"), ("DENUNCIATION", "Luật Tố cáo 2018")]
)
def test_a_complaint_or_denunciation_is_routed_out_of_scope_with_the_legal_reason(org, legal_days, kind, law):
    text = "Tôi khiếu nại quyết định xử phạt của Thanh tra Sở đối với cơ sở của tôi ngày 10/10/2026."
    got = run(SUBMIT, {"i": PERSON | {"kind": kind, "subject": "Đơn của tôi", "content": text}})["data"][
        "submitPetition"
    ]
    assert got["ok"] and got["accepted"] is False
    notice = got["notice"]
    assert notice.startswith("Ngoài phạm vi: Nghị định 20/2008/NĐ-CP không quy định")
    assert "(Điều 1)" in notice and law in notice and notice.index(law) < notice.index("Art. 1")
    petition = model().objects.get(number=got["number"])
    assert (petition.state, petition.kind, petition.refusal_reason) == (
        "out_of_scope",
        kind.lower(),
        kind.lower(),
    )
    assert petition.history.count() == 1 and petition.history.first().state == "out_of_scope"


def test_the_public_page_shows_the_reason(org, legal_days):
    page = Client(REMOTE_ADDR="198.51.100.9").post(
        "/kien-nghi/",
        {
            "kind": "denunciation",
            "petitioner_name": "Trần Thị Hoa",
            "address": "5 Hai Bà Trưng, Hoàn Kiếm, Hà Nội",
            "phone": "0912345678",
            "subject": "Tố cáo cán bộ",
            "content": "Tôi tố cáo cán bộ tiếp nhận hồ sơ đã yêu cầu nộp thêm tiền ngoài quy định.",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Ngoài phạm vi" in html and "Luật Tố cáo 2018" in html


def test_staff_route_a_received_complaint_out_and_the_reason_is_kept(org, legal_days):
    entity = registry.entity_by_label("petitions.Petition")
    petition = file_petition(
        {
            "content_type": "other",
            "petitioner_name": "Lê Văn Cường",
            "address": "8 Trần Phú, Hà Đông, Hà Nội",
            "phone": "0987654321",
            "subject": "Về quyết định thu hồi giấy phép",
            "content": "Quyết định thu hồi giấy phép của tôi là sai, đề nghị xem xét lại quyết định này.",
        },
        "10.0.0.9",
    )
    assert petition.state == "received"  # filed as a petition
    with pytest.raises(TransitionRefused):  # the kind is set first
        services.fire_transition(
            entity, org.admin, petition.pk, "route_out", petition.version, "Là khiếu nại"
        )
    petition = services.update_record(entity, org.admin, petition.pk, {"kind": "complaint"}, petition.version)
    petition = services.fire_transition(
        entity, org.admin, petition.pk, "route_out", petition.version, "Là khiếu nại quyết định hành chính"
    )
    assert (petition.state, petition.refusal_reason) == ("out_of_scope", "complaint")
    assert petition.notice.startswith("Ngoài phạm vi") and "Luật Khiếu nại 2011" in petition.notice
