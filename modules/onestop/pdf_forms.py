"""Mẫu 02, 03 and 04 as A5 PDFs, with the machinery of the receipt slip (`pdfs.py`).

What each carries, from NĐ 61/2018 as domain.md §1.3 gives it:

- Mẫu 02, request to supplement: the missing items stated once and completely, asked within
  3 working days of receipt, and that the time limit restarts from zero once complete;
- Mẫu 03, refusal: the reason for not taking the dossier in;
- Mẫu 04, apology and new date: the reason, the date first promised and the new one, sent at
  least a day before the deadline, once only.

The "Mẫu số" line follows `forms.py` (TT 01/2018 numbers, and TT 03/2025's where domain.md
gives one).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape as e

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from modules.engine.display import display_name

from . import forms
from .pdfs import _document, _header, _styles


def _who(dossier: Any) -> str:
    return "Tổ chức" if dossier.applicant_kind == "organisation" else "Ông/Bà"


def _applicant_lines(dossier: Any) -> list[str]:
    lines = [
        f"Hồ sơ của: <b>{_who(dossier)} {e(dossier.applicant_name)}</b>",
        f"Địa chỉ: {e(dossier.address)}",
        f"Số điện thoại: {e(dossier.phone)}"
        + (f" — Thư điện tử: {e(dossier.email)}" if dossier.email else ""),
        f"Nội dung yêu cầu giải quyết: <b>{e(dossier.procedure.name)}</b> "
        f"(mã thủ tục {e(dossier.procedure.code)})",
    ]
    if dossier.number:
        lines.insert(0, f"Mã hồ sơ: <b>{dossier.number}</b>")
    return lines


def _signature(title: str, name: str, s: dict[str, Any]) -> Table:
    return Table(
        [
            ["", Paragraph(f"<b>{title}</b><br/>(Ký và ghi rõ họ tên)", s["center"])],
            ["", ""],
            ["", Paragraph(e(name), s["center"])],
        ],
        colWidths=[64 * mm, 64 * mm],
        rowHeights=[None, 14 * mm, None],
    )


def _build(form: forms.Form, dossier: Any, title: str, body: list[Any], signature: Table) -> bytes:
    s = _styles()
    story = [
        _header(s),
        Paragraph(form.label(), s["small"]),
        Paragraph(title, s["title"]),
        Spacer(1, 2 * mm),
        *body,
        Spacer(1, 3 * mm),
        signature,
    ]
    buffer = io.BytesIO()
    _document(buffer, f"{form.title} {dossier.number}".strip()).build(story)
    return buffer.getvalue()


def _date(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def supplement_request(dossier: Any) -> bytes:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (the latest request)."""
    s = _styles()
    asked = timezone.localtime(dossier.supplement_requested_at)
    missing = [c for c in dossier.components.order_by("position", "id") if not c.provided]
    items = [line.strip() for line in (dossier.supplement_request or "").splitlines() if line.strip()]
    items += [f"{c.name} (chưa nộp)" for c in missing if c.name not in dossier.supplement_request]
    body = [Paragraph(line, s["body"]) for line in _applicant_lines(dossier)]
    body += [
        Paragraph(f"Ngày tiếp nhận: {_date(dossier.receipt_date)}", s["body"]),
        Paragraph("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", s["body"]),
        *(Paragraph(f"{i}. {e(item)}", s["body"]) for i, item in enumerate(items, start=1)),
        Spacer(1, 2 * mm),
        Paragraph(
            "Các nội dung trên được nêu một lần, đầy đủ. Thời hạn giải quyết được tính lại từ đầu "
            "kể từ ngày nhận đủ hồ sơ.",
            s["body"],
        ),
        Paragraph(
            f"Ngày yêu cầu: {asked:%d/%m/%Y}"
            + (f" (hạn yêu cầu bổ sung: {_date(dossier.supplement_due)})" if dossier.supplement_due else ""),
            s["body"],
        ),
    ]
    return _build(
        forms.SUPPLEMENT,
        dossier,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        body,
        _signature("NGƯỜI HƯỚNG DẪN", display_name(dossier.received_by) if dossier.received_by else "", s),
    )


def refusal(dossier: Any) -> bytes:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ, with its reason."""
    s = _styles()
    when = timezone.localtime(dossier.finished_at) if dossier.finished_at else None
    body = [Paragraph(line, s["body"]) for line in _applicant_lines(dossier)]
    body += [
        Paragraph(
            "Qua xem xét, Bộ phận một cửa thông báo không tiếp nhận, giải quyết hồ sơ này "
            "với lý do cụ thể như sau:",
            s["body"],
        ),
        Paragraph(f"<b>{e(dossier.refusal_reason)}</b>", s["body"]),
        Paragraph(f"Ngày: {_date(when)}", s["body"]),
        Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện.", s["body"]),
    ]
    return _build(
        forms.REFUSAL,
        dossier,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        body,
        _signature(
            "NGƯỜI TIẾP NHẬN HỒ SƠ", display_name(dossier.updated_by) if dossier.updated_by else "", s
        ),
    )


def apology(dossier: Any) -> bytes:
    """Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (the reason, the old and the new date)."""
    s = _styles()
    received = timezone.localtime(dossier.received_at) if dossier.received_at else None
    sent = timezone.localtime(dossier.rescheduled_at) if dossier.rescheduled_at else None
    body = [Paragraph(line, s["body"]) for line in _applicant_lines(dossier)]
    body += [
        Paragraph(f"Ngày tiếp nhận hồ sơ: {_date(received)}", s["body"]),
        Paragraph(f"Thời gian hẹn trả kết quả: ngày {_date(dossier.original_promised_date)}", s["body"]),
        Paragraph(
            f"Tuy nhiên đến nay chưa thể trả kết quả giải quyết hồ sơ của {_who(dossier)}. "
            f"Lý do: <b>{e(dossier.reschedule_reason)}</b>",
            s["body"],
        ),
        Paragraph(
            f"Sự chậm trễ này đã gây phiền hà cho {_who(dossier)}. Chúng tôi xin lỗi "
            f"{_who(dossier)} và sẽ trả kết quả giải quyết hồ sơ vào <b>ngày "
            f"{_date(dossier.promised_date)}</b>.",
            s["body"],
        ),
        Paragraph("Kính mong nhận được sự thông cảm.", s["body"]),
        Paragraph(f"Ngày lập phiếu: {_date(sent)}", s["body"]),
    ]
    if forms.APOLOGY.title_2025:
        body.append(Paragraph(f"(Thông tư 03/2025/TT-VPCP: {forms.APOLOGY.title_2025})", s["small"]))
    return _build(
        forms.APOLOGY,
        dossier,
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        body,
        _signature("THỦ TRƯỞNG CƠ QUAN", "", s),
    )
