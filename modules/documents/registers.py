"""The registers of Phụ lục IV (domain.md §5): incoming, outgoing, and the handling tracker."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine.display import display_name
from modules.engine.registers import Column, Register

from .rules import TYPE_CHOICES, URGENCY

TYPE_NAMES = {code: vi for code, vi, _en in TYPE_CHOICES}
URGENCY_NAMES = {code: vi for code, vi, _en in URGENCY}
PROGRESS = {
    "registered": "Chưa xử lý",
    "proposed": "Đang trình lãnh đạo",
    "directed": "Đang xử lý",
    "assigned": "Đang xử lý",
    "finished": "Đã xử lý xong",
}


def _type_and_subject(doc: Any) -> str:
    return f"{TYPE_NAMES.get(doc.doc_type, '')}: {doc.subject}"


def _recipient(doc: Any) -> str:
    parts = [
        doc.lead_unit.name if doc.lead_unit_id else "",
        display_name(doc.handler) if doc.handler_id else "",
    ]
    return "; ".join(p for p in parts if p)


def _first_step_at(doc: Any) -> Any:
    steps = [s for s in doc.steps.all() if s.kind in ("direct", "assign")]
    return timezone.localdate(steps[0].at) if steps and steps[0].at else None


def _progress(doc: Any) -> str:
    return PROGRESS.get(doc.state, "")


def _note(doc: Any) -> str:
    notes = [URGENCY_NAMES[doc.urgency]] if doc.urgency != "normal" else []
    if doc.registered_late:
        notes.append("Vào sổ muộn")
    return "; ".join(notes)


INCOMING = Register(
    name="incoming",
    title_vi="Sổ đăng ký văn bản đến",
    title_en="Incoming register",
    entity="documents.IncomingDocument",
    date_field="arrival_date",
    ordering=("arrival_number", "id"),
    select_related=("lead_unit", "handler"),
    prefetch_related=("steps",),
    columns=(
        Column("Ngày đến / Arrived", lambda d: timezone.localdate(d.arrival_date), 0.8),
        Column("Số đến / No.", lambda d: d.arrival_number, 0.5),
        Column("Tác giả / Author", lambda d: d.issuer_name, 1.4),
        Column("Số, ký hiệu / Number", lambda d: d.number_symbol, 1.0),
        Column("Ngày văn bản / Dated", lambda d: d.issued_date, 0.8),
        Column("Tên loại và trích yếu nội dung / Type and subject", _type_and_subject, 3.0),
        Column("Đơn vị hoặc người nhận / Recipient", _recipient, 1.4),
        Column("Ngày chuyển / Passed on", _first_step_at, 0.8),
        Column("Ký nhận / Signed for", lambda d: "", 0.7),
        Column("Ghi chú / Notes", _note, 0.9),
    ),
)

OUTGOING = Register(
    name="outgoing",
    title_vi="Sổ đăng ký văn bản đi",
    title_en="Outgoing register",
    entity="documents.OutgoingDocument",
    date_field="released_on",
    ordering=("released_on", "seq", "id"),
    select_related=("signer",),
    columns=(
        Column("Số, ký hiệu / Number", lambda d: d.number_symbol, 1.0),
        Column("Ngày / Date", lambda d: d.released_on, 0.8),
        Column("Tên loại và trích yếu nội dung / Type and subject", _type_and_subject, 3.0),
        Column("Người ký / Signer", lambda d: display_name(d.signer) if d.signer_id else "", 1.2),
        Column("Nơi nhận / Recipients", lambda d: d.recipients, 1.6),
        Column("Đơn vị, người nhận bản lưu / File copy", lambda d: "Văn thư (VT)", 1.0),
        Column("Số lượng bản / Copies", lambda d: d.copies, 0.6),
        Column("Ngày chuyển / Sent", lambda d: d.released_on, 0.8),
        Column("Ký nhận / Signed for", lambda d: "", 0.7),
        Column("Ghi chú / Notes", lambda d: "Đã thu hồi" if d.state == "recalled" else "", 0.8),
    ),
)

HANDLING = Register(
    name="handling",
    title_vi="Sổ theo dõi giải quyết văn bản đến",
    title_en="Handling tracker",
    entity="documents.IncomingDocument",
    date_field="arrival_date",
    ordering=("arrival_number", "id"),
    select_related=("lead_unit", "handler"),
    columns=(
        Column("Số đến / No.", lambda d: d.arrival_number, 0.5),
        Column("Văn bản đến / Document", lambda d: f"{d.number_symbol}: {d.subject}", 3.0),
        Column("Đơn vị hoặc người nhận / Recipient", _recipient, 1.4),
        Column("Thời hạn / Deadline", lambda d: d.due_date, 0.8),
        Column("Tiến độ / Progress", _progress, 1.0),
        Column("Số, ký hiệu văn bản trả lời / Reply", lambda d: "", 1.0),
        Column("Ghi chú / Notes", _note, 0.9),
    ),
)

REGISTERS = {r.name: r for r in (INCOMING, OUTGOING, HANDLING)}
