"""Rules plugged into the generated document entities (domain.md §5, Decree 30/2020)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import registry

from . import live, rules
from .grants import grant

NOT_BEFORE_ISSUE = "Ngày đến trước ngày văn bản. / The arrival date is before the document's date."
SECRET_NOT_HERE = "Văn bản mật phải vào sổ văn bản mật. / A secret document goes to the secret register."


def _entity_of(instance: Any) -> Any:
    return type(instance)._onemst_entity


# --- Incoming ---------------------------------------------------------------------


def validate_incoming(doc: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if doc.arrival_date and doc.issued_date and timezone.localdate(doc.arrival_date) < doc.issued_date:
        problems["arrival_date"] = [NOT_BEFORE_ISSUE]
    return problems


def before_incoming_save(doc: Any, user: Any, created: bool) -> None:
    """The register it goes to, the timing verdict, and the duplicate warning (§5)."""
    if created:
        doc.register_of_id = doc.owner_unit_id  # one yearly series per receiving agency
        doc.registered_on = timezone.localdate()
    if doc.arrival_date:
        doc.register_by = rules.register_by(timezone.localdate(doc.arrival_date))
        doc.registered_late = bool(doc.registered_on and doc.registered_on > doc.register_by)
    from .intake import read_scan

    read_scan(doc)  # the scan's recognised text (searched with the rest), a PDF's signature
    doc.duplicate_key = rules.duplicate_key(doc.issuer_name, doc.number_symbol)
    doc.duplicate_of = find_duplicate(type(doc), doc.duplicate_key, exclude=doc.pk)


def find_duplicate(model: Any, key: str, exclude: Any = None) -> Any:
    """The earliest registration of the same number, symbol and issuer in this register."""
    rows = model._default_manager.filter(duplicate_key=key).order_by("id")
    if exclude is not None:
        rows = rows.exclude(pk=exclude).filter(pk__lt=exclude)
    return rows.first()


def after_incoming_save(doc: Any, user: Any, created: bool) -> None:
    """A newly registered urgent document is pushed to whoever must direct it (`live.py`)."""
    if created:
        live.announce(doc, user)


def after_secret_save(doc: Any, user: Any, created: bool) -> None:
    """Whoever registers a secret document keeps it in their register; nobody else by role."""
    if created and getattr(user, "pk", None) and not user.is_superuser:
        grant(_entity_of(doc), user, doc, SECRET_KEEPER)
    after_incoming_save(doc, user, created)


SECRET_KEEPER = (
    "view",
    "change",
    "transition:propose",
    "transition:direct",
    "transition:assign",
    "transition:finish",
)


def incoming_entity(secret: bool) -> Any:
    return registry.entity_by_label(
        "documents.SecretIncomingDocument" if secret else "documents.IncomingDocument"
    )
