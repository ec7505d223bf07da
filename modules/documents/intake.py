"""Registering a scan: OCR, the metadata proposal, and the recognised text kept for search.

The clerk uploads the scan; `propose` reads it (engine OCR, then the rule in
`proposal.py`) and answers the proposed fields and any earlier registration of the same
number, symbol and issuer. Nothing is saved: the clerk confirms or corrects the fields and
registers through the ordinary write path. The recognised text is remembered for an hour
under the file's SHA-256, so the registration that follows stores it (`ocr_text`, folded
into the search index) without reading the scan twice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from modules.engine import ocr, signing

from . import hooks, rules
from .proposal import Proposal, read

REMEMBER_SECONDS = 3600
LOG = logging.getLogger(__name__)


@dataclass
class ScanReading:
    text: str
    proposal: Proposal
    duplicate: Any  # the earlier registration of the same document in this register, if any


def _key(data: bytes) -> str:
    return f"documents.ocr.{hashlib.sha256(data).hexdigest()}"


def recognised_text(data: bytes) -> str:
    """The scan's text, from the last hour's reading or from Tesseract now."""
    text = cache.get(_key(data))
    if text is None:
        text = ocr.recognise(data)
        cache.set(_key(data), text, REMEMBER_SECONDS)
    return text


def propose(user: Any, data: bytes, secret: bool = False) -> ScanReading:
    """Read a scan and propose its metadata; warn about a registration it duplicates."""
    from modules.engine import access

    text = recognised_text(data)
    proposal = read(text)
    duplicate = None
    if proposal.issuer_name and proposal.number_symbol:
        entity = hooks.incoming_entity(secret)
        key = rules.duplicate_key(proposal.issuer_name, proposal.number_symbol)
        duplicate = access.scoped_queryset(user, entity).filter(duplicate_key=key).order_by("id").first()
    return ScanReading(text=text, proposal=proposal, duplicate=duplicate)


def read_scan(doc: Any) -> None:
    """Before a save: a paper scan's recognised text and a PDF's signature verdict, once each."""
    if not doc.scan:
        return
    wants_text = not doc.ocr_text and doc.channel == "paper"
    wants_signature = not doc.signature_status
    if not (wants_text or wants_signature):
        return
    doc.scan.open("rb")
    data = doc.scan.read()
    doc.scan.seek(0)  # the save still has to store the upload
    if wants_signature and data[:5] == b"%PDF-":
        verdict = signing.verify(data)
        doc.signature_status, doc.signature_signer = verdict.status, verdict.signer[:300]
    if wants_text:
        text = cache.get(_key(data))
        if text is None and ocr.available():
            try:
                text = recognised_text(data)
            except Exception:  # an unreadable scan is registered all the same, without text
                LOG.warning("OCR failed on %s", doc.scan.name, exc_info=True)
        doc.ocr_text = text or ""
