"""A dossier filed on paper (domain.md §7.3: "one sealed paper set ... Receipt date = postmark,
'đến' stamp, or system timestamp"): the managing unit's clerk records it, never the applicant;
the receipt date is the envelope's, judged against the deadline (a postmark by its day, a
"đến" stamp by its minute); the system's own timestamp of the recording is kept apart; the
applicant gets a receipt (PDF) that no one else can read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client

from modules.engine import services
from modules.engine.errors import InvalidInput, PermissionDenied, TransitionRefused
from tests.stm_helpers import (
    DEADLINE,
    T0,
    VN,
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
DEADLINE_DAY_AFTERNOON = dt.datetime(2027, 3, 31, 15, 0, tzinfo=VN)  # the deadline is 31/03 09:00
RECORDED = dt.datetime(2027, 4, 2, 10, 0, tzinfo=VN)  # the clerk opens the mail two days later


@pytest.fixture
def paper(org, legal_days):
    """Province A's published notice and an organisation's draft dossier typed in by the clerk."""
    user = applicant("vien")
    hostorg = register_org(user, "Viện Công nghệ thông tin")
    pi = add_pi(user, hostorg)
    with time_machine.travel(T0, tick=False):
        notice = publish(org.officer_a, make_notice(org.officer_a))
    assert dt.datetime(2027, 3, 31, 9, 0, tzinfo=VN) == DEADLINE  # the rule the tests below read
    with time_machine.travel(RECORDED, tick=False):
        dossier = make_dossier(org.officer_a, notice, hostorg, pi)
    return user, dossier


def envelope(org, dossier, evidence: str, when: dt.datetime):
    dossier.refresh_from_db()
    values = {"paper_evidence": evidence, "paper_received_at": when}
    return services.update_record(E("SelectionDossier"), org.officer_a, dossier.pk, values, dossier.version)


def record(org, dossier):
    with time_machine.travel(RECORDED, tick=False):
        return fire(org.officer_a, dossier, "SelectionDossier", "receive_paper")


def test_a_set_posted_on_the_deadlines_day_is_in_time_and_keeps_both_times(org, paper):
    user, dossier = paper
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "postmark", DEADLINE_DAY_AFTERNOON)
    received = record(org, dossier)
    assert received.state == "submitted" and received.channel == "paper"
    assert received.received_at == DEADLINE_DAY_AFTERNOON  # the envelope's date is the receipt's
    assert received.recorded_at == RECORDED and received.recorded_by == org.officer_a  # the system's
    assert received.number.startswith("HS-2027-")
    # the applicant's organisation sees it like an online one
    assert services.fetch_for(E("SelectionDossier"), user, received.pk, "view").pk == received.pk


def test_a_stamp_after_the_deadlines_minute_is_late_and_nothing_is_recorded(org, paper):
    _, dossier = paper
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "stamp", DEADLINE + dt.timedelta(minutes=1))
    with pytest.raises(TransitionRefused) as refused:
        record(org, dossier)
    assert "09:00 31/03/2027" in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.state == "draft" and dossier.number == "" and dossier.recorded_at is None
    # the minute itself is in time
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "stamp", DEADLINE)
    assert record(org, dossier).state == "submitted"


def test_a_postmark_of_the_next_day_is_late(org, paper):
    _, dossier = paper
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "postmark", dt.datetime(2027, 4, 1, 8, 0, tzinfo=VN))
    with pytest.raises(TransitionRefused):
        record(org, dossier)


def test_a_date_in_the_future_or_before_the_notice_is_refused(org, paper):
    _, dossier = paper
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "stamp", RECORDED + dt.timedelta(days=1))
    with pytest.raises(TransitionRefused) as refused:
        record(org, dossier)
    assert "in the future" in str(refused.value)
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "postmark", T0 - dt.timedelta(days=2))
    with pytest.raises(TransitionRefused) as refused:
        record(org, dossier)
    assert "before the notice was published" in str(refused.value)


def test_what_is_entered_is_required(org, paper):
    _, dossier = paper
    with pytest.raises(TransitionRefused) as refused:
        record(org, dossier)
    assert "postmark" in str(refused.value)


def test_the_applicant_cannot_record_a_paper_receipt(org, paper):
    user, dossier = paper
    with time_machine.travel(RECORDED, tick=False), pytest.raises(InvalidInput) as refused:
        services.update_record(
            E("SelectionDossier"),
            user,
            dossier.pk,
            {"paper_evidence": "postmark", "paper_received_at": DEADLINE_DAY_AFTERNOON},
            dossier.version,
        )
    assert {p.field for p in refused.value.problems} == {"paper_evidence", "paper_received_at"}
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "postmark", DEADLINE_DAY_AFTERNOON)
    dossier.refresh_from_db()
    with time_machine.travel(RECORDED, tick=False), pytest.raises(PermissionDenied):
        services.fire_transition(E("SelectionDossier"), user, dossier.pk, "receive_paper", dossier.version)
    dossier.refresh_from_db()
    assert dossier.state == "draft"


def test_an_online_dossier_is_received_at_the_systems_time(org, paper):
    user, dossier = paper
    notice = dossier.notice
    moment = T0 + dt.timedelta(days=3, hours=2, minutes=7)
    with time_machine.travel(moment, tick=False):
        online = make_dossier(user, notice, dossier.organisation, dossier.investigator)
        online = fire(user, online, "SelectionDossier", "submit")
    assert online.channel == "online" and online.received_at == online.recorded_at == moment
    assert online.recorded_by is None


def pdf_text(content: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_the_applicant_gets_a_receipt_nobody_else_reads(org, paper):
    user, dossier = paper
    url = f"/stm/dossiers/{dossier.pk}/receipt.pdf"
    own = Client()
    own.force_login(user)
    assert own.get(url).status_code == 404  # a draft has no receipt
    with time_machine.travel(RECORDED, tick=False):
        envelope(org, dossier, "postmark", DEADLINE_DAY_AFTERNOON)
    received = record(org, dossier)
    response = own.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "GIẤY XÁC NHẬN ĐÃ NHẬN HỒ SƠ" in text and received.number in text
    assert "Dấu bưu điện: 15:00 31/03/2027" in text  # the receipt date the law counts
    assert "10:00 02/04/2027" in text  # when the system recorded it
    for outsider in (applicant("stranger"), org.officer_b):
        client = Client()
        client.force_login(outsider)
        assert client.get(url).status_code == 404
