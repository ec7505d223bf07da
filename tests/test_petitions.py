"""Petitions (Decree 20/2008): public intake with validation, the register number, classification,
the five-day forwarding limit, the six criteria, answer, publication, feedback and statistics."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from modules.engine import registry, services, workdays
from modules.engine.errors import TransitionRefused
from modules.petitions import rules
from modules.petitions.api import compute_stats, file_petition
from tests.graphql import run

pytestmark = pytest.mark.django_db

SUBMIT = """mutation($i: PetitionInput!) { submitPetition(input: $i) { ok number feedbackKey errors { field code message } } }"""
GOOD = {
    "contentType": "UNSUITED",
    "petitionerName": "Công ty TNHH Thiết bị Y tế Minh An",
    "address": "25 Trần Duy Hưng, Cầu Giấy, Hà Nội",
    "phone": "0243 8251 234",
    "subject": "Thủ tục cấp phép X-quang còn yêu cầu bản giấy",
    "content": "Hồ sơ cấp phép tiến hành công việc bức xạ vẫn yêu cầu nộp bản giấy dù đã nộp trực tuyến.",
    "proposal": "Chấp nhận hồ sơ điện tử có chữ ký số thay cho bản giấy.",
}


def entity():
    return registry.entity_by_label("petitions.Petition")


def fire(user, petition, name, comment=""):
    petition.refresh_from_db()
    return services.fire_transition(entity(), user, petition.pk, name, petition.version, comment)


def test_anyone_files_a_petition_and_gets_a_register_number(org, legal_days):
    answer = run(SUBMIT, {"i": GOOD})["data"]["submitPetition"]
    assert answer["ok"], answer
    assert answer["number"].startswith("KN-") and len(answer["feedbackKey"]) > 20
    petition = registry.model_for("petitions.Petition").objects.get(number=answer["number"])
    assert petition.state == "received" and petition.phone == "02438251234"
    assert petition.forward_deadline == workdays.add_working_days(workdays.today(), 5)


def test_name_address_and_phone_are_required_and_validated_with_field_errors(org):
    bad = GOOD | {"phone": "12", "petitionerName": "A", "address": "HN", "email": "nope"}
    answer = run(SUBMIT, {"i": bad})["data"]["submitPetition"]
    assert not answer["ok"] and answer["number"] is None
    assert {e["field"] for e in answer["errors"]} == {"phone", "petitionerName", "address", "email"}
    bad_email = run(SUBMIT, {"i": GOOD | {"email": "không-phải-email"}})["data"]["submitPetition"]
    assert [e["field"] for e in bad_email["errors"]] == ["email"]
    assert not registry.model_for("petitions.Petition").objects.exists()
    page = Client().post(
        "/kien-nghi/", {"content_type": "unsuited", "petitioner_name": "Lê Văn B", "phone": "1"}
    )
    assert page.status_code == 400 and 'data-error="phone"' in page.content.decode()


@override_settings(PETITIONS_INTAKE_RATE="2/h")
def test_intake_is_rate_limited_per_address(org):
    client = Client(REMOTE_ADDR="198.51.100.4")
    for _ in range(2):
        assert run(SUBMIT, {"i": GOOD}, client=client)["data"]["submitPetition"]["ok"]
    refused = run(SUBMIT, {"i": GOOD}, client=client)["data"]["submitPetition"]
    assert not refused["ok"] and "quá nhiều" in refused["errors"][0]["message"]
    assert Client(REMOTE_ADDR="198.51.100.4").post("/kien-nghi/", {}).status_code == 429


def test_handling_classify_assign_review_answer_publish_and_feedback(org, legal_days):
    petition = file_petition({k: v for k, v in _snake(GOOD).items()}, "10.0.0.1")
    with pytest.raises(TransitionRefused):  # assign first
        fire(org.admin, petition, "accept")
    deadline = workdays.add_working_days(workdays.today(), 10)
    petition = services.update_record(
        entity(),
        org.admin,
        petition.pk,
        {"assigned_unit": org.department.pk, "answer_deadline": deadline},
        petition.version,
    )
    petition = fire(org.admin, petition, "accept")
    assert petition.state == "handling" and petition.owner_unit_id == org.department.pk
    with pytest.raises(TransitionRefused):  # the six criteria and an answer come first
        fire(org.admin, petition, "answer")
    petition = services.update_record(
        entity(),
        org.admin,
        petition.pk,
        {code: True for code, _vi, _en in rules.CRITERIA}
        | {
            "review_notes": "Quy định hiện hành chưa phù hợp với giao dịch điện tử.",
            "answer": "Bộ sẽ sửa Thông tư theo hướng chấp nhận hồ sơ điện tử.",
        },
        petition.version,
    )
    petition = fire(org.admin, petition, "answer")
    assert petition.answered_on_time and petition.answered_at is not None
    petition = fire(org.admin, petition, "publish")
    published = run("{ publishedPetitions { number answer subject } }")["data"]["publishedPetitions"]
    assert published == [{"number": petition.number, "answer": petition.answer, "subject": petition.subject}]
    assert "Minh An" not in str(run("{ publishedPetitions { number answer subject } }"))
    feedback = run(
        'mutation($n: String!, $k: String!) { petitionFeedback(number: $n, key: $k, satisfaction: SATISFIED) { ok } }',
        {"n": petition.number, "k": petition.feedback_key},
    )["data"]["petitionFeedback"]
    assert feedback["ok"]
    wrong_key = run(
        'mutation($n: String!) { petitionFeedback(number: $n, key: "guess", satisfaction: UNSATISFIED) { ok errors { code } } }',
        {"n": petition.number},
    )["data"]["petitionFeedback"]
    assert wrong_key == {"ok": False, "errors": [{"code": "NOT_FOUND"}]}
    stats = compute_stats(org.admin, workdays.today().year)
    assert (stats.received, stats.answered, stats.answered_on_time, stats.satisfied) == (1, 1, 1, 1)
    graphql = run(
        "query($y: Int!) { petitionStats(year: $y) { received answered onTimeRate } }",
        {"y": workdays.today().year},
        user=org.admin,
    )["data"]["petitionStats"]
    assert graphql == {"received": 1, "answered": 1, "onTimeRate": 100.0}
    today = str(workdays.today())
    per_unit = run(
        "query($a: Date!, $b: Date!) { petitionKpis(dateFrom: $a, dateTo: $b) { unit received onTime late } }",
        {"a": today, "b": today},
        user=org.admin,
    )["data"]["petitionKpis"]
    assert per_unit == [{"unit": org.department.name, "received": 1, "onTime": 1, "late": 0}]


def test_forwarding_needs_the_receiving_body_and_staff_only_see_their_scope(org, legal_days):
    petition = file_petition(_snake(GOOD), "10.0.0.2")
    with pytest.raises(TransitionRefused):
        fire(org.admin, petition, "forward", "Thuộc thẩm quyền Bộ Y tế")
    petition = services.update_record(
        entity(), org.admin, petition.pk, {"forwarded_to": "Bộ Y tế"}, petition.version
    )
    petition = fire(org.admin, petition, "forward", "Thuộc thẩm quyền Bộ Y tế")
    assert petition.state == "forwarded" and petition.forwarded_at is not None
    listing = run("{ petitions { totalCount } }", user=org.officer_b)
    assert listing.get("data") is None or listing["data"]["petitions"]["totalCount"] == 0


def _snake(values: dict) -> dict:
    import re

    snake = {re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(): v for k, v in values.items()}
    return snake | {"content_type": snake["content_type"].lower()}  # the stored code, not the enum's name
