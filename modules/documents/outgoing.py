"""Outgoing documents: approval by the named signer, the number given on release, recall.

Decree 30/2020 (domain.md §5): numbers run yearly from 01 per register and are given
when the clerk releases the document (the engine's `Counter` on the `release` transition:
gap-free, because the counter row rolls back with a failed release); secret documents
have their own series. The released copy is delivered to the recipient units on the
platform as an incoming document; a recall freezes the outgoing copy (it is locked from
release on) and deletes those incoming copies (Phụ lục VI: "delete the incoming copy").
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from modules.engine import registry, services, signing, workdays

from . import exchange, printing, rules

NOT_THE_SIGNER = "Chỉ người ký được ký duyệt văn bản. / Only the named signer may approve the document."
UNIT_NEEDED = (
    "Công văn cần ký hiệu đơn vị soạn thảo (như 05/BKHCN-VP). / "
    "An official letter needs the drafting unit's abbreviation (as in 05/BKHCN-VP)."
)


def only_the_signer(doc: Any, user: Any) -> str | None:
    if user.is_superuser or doc.signer_id == user.pk:
        return None
    return NOT_THE_SIGNER


def validate_outgoing(doc: Any, user: Any) -> dict[str, list[str]]:
    if not rules.ABBREVIATIONS.get(doc.doc_type) and not (doc.drafting_unit_code or "").strip():
        return {"drafting_unit_code": [UNIT_NEEDED]}
    return {}


def on_release(doc: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """The register, series and date the number is given in (the counter runs after this)."""
    doc.released_on = workdays.today()
    doc.register_of_id = doc.owner_unit_id
    doc.series = "normal" if doc.confidentiality == "normal" else "secret"


def before_outgoing_save(doc: Any, user: Any, created: bool) -> None:
    """On release: the number in its legal form, and the released PDF signed by the agency."""
    if doc.seq and not doc.number_symbol:
        doc.number_symbol = rules.number_symbol(
            doc.seq, doc.doc_type, doc.agency_code, doc.drafting_unit_code
        )
    if doc.state == "released" and not doc.signed_file:
        if doc.file:
            doc.file.open("rb")
            original = doc.file.read()
            doc.file.seek(0)
        else:  # drafted without a file: the copy is rendered from the record (printing.py)
            original = printing.released_pdf(doc)
        name = f"{doc.number_symbol.replace('/', '-')}-ky-so.pdf"
        doc.signed_file.save(name, ContentFile(signing.sign(original)), save=False)


def after_outgoing_save(doc: Any, user: Any, created: bool) -> None:
    """Deliver a just-released document to the recipient units' incoming registers, once."""
    if doc.state != "released" or doc.receipts.exists() or incoming_copies(doc).exists():
        return
    for unit in doc.recipient_units.all():
        deliver(doc, user, unit)
    exchange.enqueue(doc, "release")  # the agencies outside, through the outbox


def incoming_copies(doc: Any) -> Any:
    secret = doc.confidentiality != "normal"
    label = "documents.SecretIncomingDocument" if secret else "documents.IncomingDocument"
    return registry.model_for(label)._default_manager.filter(source_outgoing=doc)


def deliver(doc: Any, user: Any, unit: Any) -> Any:
    """One incoming copy in `unit`'s register, written through the engine's save path."""
    from .grants import grant, unit_heads
    from .hooks import SECRET_KEEPER, incoming_entity

    secret = doc.confidentiality != "normal"
    entity = incoming_entity(secret)
    model = registry.model_for(entity)
    copy = model(
        owner_unit=unit,
        channel="electronic",
        arrival_date=timezone.now(),
        issuer_name=doc.owner_unit.name,
        number_symbol=doc.number_symbol,
        issued_date=doc.released_on,
        doc_type=doc.doc_type,
        subject=doc.subject,
        signer=signer_name(doc.signer),
        urgency=doc.urgency,
        confidentiality=doc.confidentiality,
        source_outgoing=doc,
    )
    copy = services.save_record(entity, user, copy, created=True, expected_version=None)
    if secret:
        for head in unit_heads(unit):
            grant(entity, head, copy, SECRET_KEEPER)
    return copy


def signer_name(user: Any) -> str:
    from modules.engine.display import display_name

    return display_name(user)[:120] if user is not None else ""


def on_recall(doc: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """The recipients on the platform lose their incoming copies (their slips with them)."""
    doc.recalled_at = timezone.now()
    incoming_copies(doc).delete()
    exchange.enqueue(doc, "recall")
