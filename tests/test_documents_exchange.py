"""Signed releases and the exchange with other agencies (issue 17).

- The released PDF is signed with the agency's certificate (pyHanko; a test certificate
  made here), and a received PDF's signature is verified on registration: valid, invalid
  (a byte changed after signing), unsigned.
- A release addressed to outside agencies leaves through the outbox with Phụ lục VI's
  metadata, to a receiver that fails and recovers: sent again after the backoff, once
  accepted never again, the release before the recall in each recipient's stream, the same
  key on every attempt; the receipt and the handling status come back and show on the
  outgoing document.
- The release's package carries the signed PDF, which the receiver decodes, checks and reads.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from modules.engine import outbox, services, signing
from modules.engine.models import OutboxMessage
from tests.documents_helpers import draft, fire, outgoing_entity, register, release
from tests.test_onestop_notices import Gateway

pytestmark = pytest.mark.django_db
TOKEN = "exchange-secret-token"


def a_pdf(text: str = "Quyết định") -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(autouse=True)
def certificate(tmp_path_factory, settings):
    directory = tmp_path_factory.getbasetemp() / "signing"
    if not (directory / "key.pem").exists():
        signing.make_test_certificate(directory)
    settings.ONEMST_SIGNING_DIR = str(directory)
    return directory


def test_sign_then_verify_valid_tampered_unsigned():
    signed = signing.sign(a_pdf())
    verdict = signing.verify(signed)
    assert verdict.status == "valid" and "TEST" in verdict.signer
    # one signed byte changed (in the header's comment, so the file still reads as a PDF)
    at = signed.index(b"ReportLab")
    tampered = signed[:at] + b"X" + signed[at + 1 :]
    assert signing.verify(tampered).status == "invalid"
    assert signing.verify(a_pdf()).status == "unsigned"


def test_a_signature_from_an_untrusted_certificate_is_invalid(tmp_path, settings):
    other = tmp_path / "other"
    signing.make_test_certificate(other, "Cơ quan lạ")
    trusted = settings.ONEMST_SIGNING_DIR
    settings.ONEMST_SIGNING_DIR = str(other)
    foreign = signing.sign(a_pdf())
    settings.ONEMST_SIGNING_DIR = trusted
    assert signing.verify(foreign).status == "invalid"


def test_the_released_copy_is_signed_and_a_received_pdf_is_verified(org, legal_days):
    doc = draft(org.office_clerk, org.leader, file=SimpleUploadedFile("qd.pdf", a_pdf(), "application/pdf"))
    doc = release(org, doc)
    doc.signed_file.open("rb")
    signed = doc.signed_file.read()
    doc.signed_file.close()
    assert signing.verify(signed).status == "valid"
    received = register(
        org.office_clerk, channel="electronic", scan=SimpleUploadedFile("den.pdf", signed, "application/pdf")
    )
    assert received.signature_status == "valid"
    plain = register(
        org.office_clerk,
        channel="electronic",
        number_symbol="99/TB-X",
        scan=SimpleUploadedFile("den2.pdf", a_pdf(), "application/pdf"),
    )
    assert plain.signature_status == "unsigned"


@pytest.fixture
def receiver():
    started = Gateway(fail=2)
    with override_settings(DOCUMENT_EXCHANGE_URL=started.url, DOCUMENT_EXCHANGE_TOKEN=TOKEN):
        yield started
    started.close()


def deliver_until_quiet(start: dt.datetime, rounds: int = 8) -> None:
    """The worker's runs over the next hours (each past the previous backoff)."""
    now = start
    for _ in range(rounds):
        outbox.deliver(now)
        now += dt.timedelta(minutes=30)


def test_a_release_reaches_a_receiver_that_fails_then_recovers_and_the_status_comes_back(
    org, legal_days, receiver
):
    doc = draft(org.office_clerk, org.leader, urgency="thuong_khan")
    services.update_record(
        outgoing_entity(),
        org.office_clerk,
        doc.pk,
        {"external_recipients": "000.00.00.G12, H26"},
        doc.version,
    )
    doc = release(org, doc)
    messages = OutboxMessage.objects.filter(channel="exchange").order_by("id")
    assert [(m.recipient, m.topic) for m in messages] == [("000.00.00.G12", "release"), ("H26", "release")]
    outbox.deliver(timezone.now())
    first = messages.first()
    first.refresh_from_db()
    assert first.sent_at is None and first.attempts == 1  # the receiver answered 503
    deliver_until_quiet(timezone.now() + dt.timedelta(minutes=1))
    assert all(m.sent_at is not None for m in OutboxMessage.objects.filter(channel="exchange"))
    bodies = [body for body, _headers in receiver.received]
    keys = [headers["Idempotency-Key"] for _body, headers in receiver.received]
    accepted = receiver.received[2:]  # the first two attempts were refused
    assert len(accepted) == 2 and len(set(keys)) == 2  # each message kept its key on its retry
    package = bodies[-1]
    assert package["CodeNumber"] == "01" and package["CodeNotation"] == "QĐ-BKHCN"
    assert package["Priority"] == 2 and package["Subject"] == doc.subject
    assert package["IssuedDate"] == doc.released_on.isoformat()
    # the recipient acknowledges, then reports its handling
    client = Client()
    for status in ("received", "handling"):
        answer = client.post(
            "/van-ban/lien-thong/phan-hoi",
            json.dumps({"key": first.key, "status": status, "note": "Văn thư đã nhận"}),
            content_type="application/json",
            HTTP_X_EXCHANGE_TOKEN=TOKEN,
        )
        assert answer.status_code == 200, answer.content
    statuses = [(r.organ_id, r.status) for r in doc.receipts.order_by("position")]
    assert statuses == [
        ("000.00.00.G12", "sent"),
        ("H26", "sent"),
        ("000.00.00.G12", "received"),
        ("000.00.00.G12", "handling"),
    ]


def test_a_recall_follows_its_release_in_the_recipients_stream(org, legal_days, receiver):
    receiver.fail = 1000  # down for now
    doc = draft(org.office_clerk, org.leader)
    services.update_record(
        outgoing_entity(), org.office_clerk, doc.pk, {"external_recipients": "H26"}, doc.version
    )
    doc = release(org, doc)
    fire(outgoing_entity(), org.leader, doc, "recall", "Phát hành nhầm")
    outbox.deliver(timezone.now())
    assert [b["Act"] for b, _h in receiver.received] == ["release"]  # the recall waits behind it
    receiver.fail = 0
    deliver_until_quiet(timezone.now() + dt.timedelta(minutes=1))
    acts = [b["Act"] for b, _h in receiver.received]
    assert acts[-2:] == ["release", "recall"] and acts.count("recall") == 1


@pytest.mark.parametrize(
    ("token", "body", "status"),
    [
        ("wrong", {"key": "x", "status": "received"}, 401),
        (TOKEN, {"key": "x"}, 400),
        (TOKEN, {"key": "x", "status": "eaten"}, 400),
        (TOKEN, {"key": "exchange:0:none:release", "status": "received"}, 404),
    ],
)
def test_a_bad_acknowledgement_is_refused_with_its_reason(receiver, token, body, status):
    answer = Client().post(
        "/van-ban/lien-thong/phan-hoi",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_EXCHANGE_TOKEN=token,
    )
    assert answer.status_code == status
    assert " / " in answer.json()["message"]


def pdf_text(data: bytes) -> str:
    import unicodedata

    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_package_carries_the_signed_pdf_and_the_receiver_reads_it_back(org, legal_days, receiver):
    receiver.fail = 0
    doc = draft(
        org.office_clerk,
        org.leader,
        doc_type="cong_van",
        drafting_unit_code="VP",
        subject="Góp ý dự thảo quy chế quản lý nhiệm vụ",
        content="Bộ Khoa học và Công nghệ đề nghị Quý cơ quan góp ý dự thảo.",
    )  # drafted without a file: the released copy is rendered from the record
    services.update_record(
        outgoing_entity(), org.office_clerk, doc.pk, {"external_recipients": "H26"}, doc.version
    )
    doc = release(org, doc)
    deliver_until_quiet(timezone.now())
    package = receiver.received[-1][0]
    assert package["Act"] == "release"
    (attached,) = package["Attachments"]
    data = base64.b64decode(attached["Content"])
    assert attached["ContentType"] == "application/pdf"
    assert hashlib.sha256(data).hexdigest() == attached["Sha256"]
    verdict = signing.verify(data)
    assert verdict.status == "valid" and "TEST" in verdict.signer  # the agency's signature, intact
    text = pdf_text(data)
    # Decree 30 Art. 15: the year's first number, 01; a Công văn's symbol is issuer + drafting unit
    assert "Số: 01/BKHCN-VP" in text
    assert "V/v Góp ý dự thảo quy chế quản lý nhiệm vụ" in text
    assert "đề nghị Quý cơ quan góp ý dự thảo" in text
    # the same bytes as the copy kept on the document; the queued row holds the metadata only
    doc.signed_file.open("rb")
    assert doc.signed_file.read() == data
    doc.signed_file.close()
    assert "Attachments" not in OutboxMessage.objects.get(channel="exchange", topic="release").payload
    # a recall's package names the document and carries no file
    fire(outgoing_entity(), org.leader, doc, "recall", "Phát hành nhầm")
    deliver_until_quiet(timezone.now())
    recall = receiver.received[-1][0]
    assert recall["Act"] == "recall" and "Attachments" not in recall
