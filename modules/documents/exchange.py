"""Exchange with other agencies: released documents leave through the engine's outbox as a
package with Phụ lục VI's metadata; receipts and handling statuses come back.

Out: on release, one message per external recipient (its agency code, OrganId) on the
`exchange` channel, in the stream of that recipient (so a recall never overtakes the
release it recalls), with a key that names document, recipient and act: the outbox retries
with backoff, in order, and sends the key as `Idempotency-Key`, so a receiver that got a
message twice (a lost answer) can tell. The channel posts JSON to
`settings.DOCUMENT_EXCHANGE_URL` and is off (nothing queued) while that is empty. A release's
package carries the signed PDF of the released copy in `Attachments` (name, type, SHA-256,
base64 bytes), read from the frozen document when it is sent (`wire`).

Back: the exchange posts `{"key", "status", "note"}` to `/van-ban/lien-thong/phan-hoi`
with the header `X-Exchange-Token: <settings.DOCUMENT_EXCHANGE_TOKEN>`; the status is appended to
the outgoing document's "receipts" rows (the document itself is frozen once released), so
the sender sees the receipt and the handling status (Phụ lục VI's system duties).
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.request
from typing import Any

from django.conf import settings
from django.utils import timezone

from modules.engine import outbox, registry
from modules.engine.display import display_name
from modules.engine.factory import child_model_name

from .rules import ABBREVIATIONS

CHANNEL = "exchange"
PRIORITY = {"normal": 0, "khan": 1, "thuong_khan": 2, "hoa_toc": 3}  # Phụ lục VI: one digit
STATUSES = (
    ("sent", "Đã gửi", "Sent"),
    ("received", "Đã nhận", "Received"),
    ("handling", "Đang xử lý", "Being handled"),
    ("done", "Đã xử lý xong", "Handled"),
    ("returned", "Trả lại (không hợp lệ)", "Returned (invalid)"),
    ("recalled", "Đã thu hồi", "Recalled"),
)
STATUS_CODES = {code for code, _vi, _en in STATUSES}


def endpoint() -> str:
    return getattr(settings, "DOCUMENT_EXCHANGE_URL", "") or ""


def send(message: Any) -> None:
    """POST the package as JSON; any answer but 2xx is a failure the outbox retries."""
    headers = {"Content-Type": "application/json", "Idempotency-Key": message.key}
    token = getattr(settings, "DOCUMENT_EXCHANGE_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(wire(message), ensure_ascii=False).encode()
    request = urllib.request.Request(endpoint(), data=body, headers=headers, method="POST")
    with urllib.request.urlopen(
        request, timeout=float(getattr(settings, "DOCUMENT_EXCHANGE_TIMEOUT", 10))
    ) as r:
        if not 200 <= r.status < 300:
            raise OSError(f"the exchange answered {r.status}")


def wire(message: Any) -> dict[str, Any]:
    """The package as sent: Phụ lục VI's metadata and, for a release, the signed PDF.

    The PDF is read from the frozen document when sent, not copied into the queued row: the
    outbox keeps the metadata only, and every retry sends the same bytes (a released document
    and its signed copy never change)."""
    body = dict(message.payload)
    if body.get("Act") == "release" and message.record_id is not None:
        doc = registry.model_for("documents.OutgoingDocument").objects.filter(pk=message.record_id).first()
        if doc is not None and doc.signed_file:
            body["Attachments"] = [attachment(doc.signed_file)]
    return body


def attachment(stored: Any) -> dict[str, Any]:
    """One file of the package: its name, type, SHA-256 and bytes (base64), as the exchange
    carries attachments inside the JSON envelope."""
    with stored.open("rb") as handle:
        data = handle.read()
    return {
        "Name": stored.name.rsplit("/", 1)[-1],
        "ContentType": "application/pdf",
        "Description": "Bản phát hành có chữ ký số / The released copy, digitally signed",
        "Sha256": hashlib.sha256(data).hexdigest(),
        "Content": base64.b64encode(data).decode("ascii"),
    }


def register_channel() -> None:
    outbox.register_channel(
        CHANNEL,
        send,
        enabled=lambda: bool(endpoint()),
        label=("Trục liên thông văn bản", "Document exchange"),
    )


def recipients(doc: Any) -> list[str]:
    return [
        code.strip() for code in (doc.external_recipients or "").replace(";", ",").split(",") if code.strip()
    ]


def package(doc: Any, act: str, organ_id: str) -> dict[str, Any]:
    """Phụ lục VI's metadata of a released document."""
    notation = doc.number_symbol.split("/", 1)[1] if "/" in doc.number_symbol else ""
    return {
        "Act": act,
        "OrganId": getattr(settings, "ONEMST_ORGAN_ID", ""),
        "OrganName": doc.owner_unit.name,
        "CodeNumber": f"{doc.seq:02d}" if doc.seq else "",
        "CodeNotation": notation,
        "IssuedDate": doc.released_on.isoformat() if doc.released_on else "",
        "DocumentType": ABBREVIATIONS.get(doc.doc_type, "") or doc.doc_type,
        "Subject": doc.subject[:500],
        "Signer": display_name(doc.signer) if doc.signer_id else "",
        "Priority": PRIORITY.get(doc.urgency, 0),
        "ToPlaces": [organ_id],
        "DocumentId": doc.pk,
    }


def enqueue(doc: Any, act: str) -> None:
    """One message per external recipient, inside the release's (or recall's) transaction."""
    for organ_id in recipients(doc):
        message = outbox.enqueue(
            "documents.exchange",
            CHANNEL,
            recipient=organ_id,
            subject=doc.number_symbol,
            payload=package(doc, act, organ_id),
            record=doc,
            topic=act,
            stream=f"{CHANNEL}:{organ_id}",
            key=f"{CHANNEL}:{doc.pk}:{organ_id}:{act}",
        )
        if message is not None:  # None: the exchange is not configured here
            add_receipt(doc, organ_id, "sent" if act == "release" else "recalled", "")


def add_receipt(doc: Any, organ_id: str, status: str, note: str) -> Any:
    entity = registry.entity_by_label("documents.OutgoingDocument")
    model = registry.classes_for(entity)[child_model_name(entity, entity.field("receipts"))]
    position = model.objects.filter(parent=doc).count()
    return model.objects.create(
        parent=doc,
        position=position,
        organ_id=organ_id[:40],
        status=status,
        note=note[:500],
        at=timezone.now(),
    )


def acknowledge(key: str, status: str, note: str = "") -> Any:
    """A receipt or status flowing back for the message `key`; None when the key is unknown."""
    message = outbox.model().objects.filter(key=key, channel=CHANNEL).first()
    if message is None or message.record_id is None:
        return None
    doc = registry.model_for("documents.OutgoingDocument").objects.filter(pk=message.record_id).first()
    if doc is None:
        return None
    return add_receipt(doc, message.recipient, status, note)
