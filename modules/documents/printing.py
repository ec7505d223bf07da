"""The released copy of an outgoing document drafted without a file: a PDF in Decree 30's layout.

Decree 30/2020 (domain.md §5): a released document carries its number and symbol, the
place and date, its type and subject (a Công văn: "V/v …" under the number), its text and
the signer. When the clerk attached the document's own PDF, that is the copy signed and
sent; otherwise this renders one from the record (`specimens.render_pdf`, the layout the
OCR reads), so every release has a signed PDF to keep and to send through the exchange.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .rules import ABBREVIATIONS, DOCUMENT_TYPES

TITLES = {code: vi.split(" (", 1)[0].upper() for code, _abbr, vi, _en in DOCUMENT_TYPES}


def agency_lines(unit: Any) -> tuple[str, ...]:
    """The issuing agency, upper case, under its parent (Phụ lục I: "BỘ …" over "VĂN PHÒNG")."""
    parent = getattr(unit, "parent", None)
    names = (parent.name, unit.name) if parent is not None else (unit.name,)
    return tuple(name.upper() for name in names)


def released_pdf(doc: Any) -> bytes:
    """One page: agency, number and symbol, place and date, title, subject, text, signer."""
    from modules.engine.display import display_name

    from .specimens import render_pdf

    letter = not ABBREVIATIONS.get(doc.doc_type)  # Công văn, Thư công: no title, "V/v" subject
    return render_pdf(
        {
            "agency": agency_lines(doc.owner_unit),
            "number_symbol": doc.number_symbol,
            "place": getattr(settings, "ONEMST_PLACE", "Hà Nội"),
            "date": doc.released_on,
            "type_title": "" if letter else TITLES.get(doc.doc_type, ""),
            "subject": f"V/v {doc.subject}" if letter else doc.subject,
            "body": " ".join((doc.content or "").split()),
            "signer_title": (),
            "signer": display_name(doc.signer) if doc.signer_id else "",
        }
    )
