"""Building documents for tests through the engine's write path (as the platform does)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from modules.engine import registry, services

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def incoming_entity(secret: bool = False) -> Any:
    name = "SecretIncomingDocument" if secret else "IncomingDocument"
    return registry.entity_by_label(f"documents.{name}")


def outgoing_entity() -> Any:
    return registry.entity_by_label("documents.OutgoingDocument")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


def register(user: Any, *, secret: bool = False, **values: Any) -> Any:
    """An incoming document registered by `user` (arrived today unless told)."""
    data = {
        "arrival_date": timezone.now(),
        "issuer_name": "Bộ Tài chính",
        "number_symbol": "15/QĐ-BTC",
        "issued_date": timezone.localdate() - dt.timedelta(days=1),
        "doc_type": "quyet_dinh",
        "subject": "Quyết định phân bổ dự toán ngân sách khoa học năm 2027",
        "signer": "Nguyễn Văn An",
    }
    if secret:
        data["confidentiality"] = "mat"
    return services.create_record(incoming_entity(secret), user, data | values)


def draft(user: Any, signer: Any, **values: Any) -> Any:
    data = {
        "doc_type": "quyet_dinh",
        "agency_code": "BKHCN",
        "subject": "Quyết định thành lập Hội đồng tư vấn",
        "signer": signer.pk,
        "recipients": "Như Điều 3; Lưu: VT, KHTC.",
    }
    return services.create_record(outgoing_entity(), user, data | values)


def fire(entity: Any, user: Any, doc: Any, name: str, comment: str = "") -> Any:
    doc.refresh_from_db()
    return services.fire_transition(entity, user, doc.pk, name, doc.version, comment)


def release(org: Any, doc: Any) -> Any:
    """Submit, approve (by the signer, the ministry leader) and release (by the Office's clerk)."""
    entity = outgoing_entity()
    fire(entity, org.office_clerk, doc, "submit")
    fire(entity, org.leader, doc, "approve")
    return fire(entity, org.office_clerk, doc, "release")
