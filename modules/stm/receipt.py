"""The receipt an applicant gets for a filed dossier (domain.md §7.3): the dossier's number, what
was filed, how (online or on paper), the receipt date the law counts (the system's timestamp
online; the postmark or the "đến" stamp on paper) and, apart, when and by whom the system
recorded it (`paper.py`). Served at `/stm/dossiers/<id>/receipt.pdf` through `scoped_queryset`:
the applicant's own organisation and the managing unit, nobody else."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from modules.engine.display import display_name

from .paper import CHANNELS, EVIDENCE
from .pdfs import _build, _header, _money, _styles, _table, _when


def receipt(dossier: Any) -> bytes:
    styles = _styles()
    channel = dict((c, vi) for c, vi, _ in CHANNELS).get(dossier.channel, dossier.channel)
    if dossier.channel == "paper":
        evidence = dict((c, vi) for c, vi, _ in EVIDENCE).get(dossier.paper_evidence, "")
        basis = f"{evidence}: {_when(dossier.received_at)}"
    else:
        basis = f"Thời điểm hệ thống nhận: {_when(dossier.received_at)}"
    recorder = display_name(dossier.recorded_by) if dossier.recorded_by_id else "Người nộp (trực tuyến)"
    rows = [
        ["Mục / Item", "Nội dung / Details"],
        ["Số hồ sơ / Dossier number", dossier.number],
        ["Thông báo / Notice", f"{dossier.notice.number} — {dossier.notice.title}"],
        ["Tên nhiệm vụ / Task", dossier.title],
        ["Tổ chức chủ trì / Host organisation", dossier.organisation.name],
        ["Chủ nhiệm / Principal investigator", dossier.investigator.full_name],
        ["Kinh phí NSNN / State budget", _money(dossier.state_budget)],
        ["Hình thức nộp / Submitted", channel],
        ["Ngày nhận hồ sơ / Receipt date", basis],
        ["Hệ thống ghi nhận lúc / Recorded in the system at", _when(dossier.recorded_at)],
        ["Người tiếp nhận / Recorded by", recorder],
    ]
    story = [
        *_header(dossier.owner_unit.name),
        Paragraph("GIẤY XÁC NHẬN ĐÃ NHẬN HỒ SƠ", styles["title"]),
        Paragraph("Acknowledgement of receipt", styles["center"]),
        Spacer(1, 4 * mm),
        _table(rows, [62, 112]),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                "Ngày nhận hồ sơ là ngày trên dấu bưu điện, dấu đến, hoặc thời điểm hệ thống nhận hồ sơ "
                "trực tuyến (TT 20/2023/TT-BKHCN). / The receipt date is the postmark's, the "
                "“đến” stamp's, or the system's timestamp for an online dossier."
            ),
            styles["body"],
        ),
    ]
    return _build(story, f"Giấy xác nhận {dossier.number}")
