"""The one-stop forms as PDFs (TT 01/2018 Art. 9): the receipt slip (Mẫu 01) and the tracking sheet (Mẫu 05).

A5, with a Vietnamese TTF font (DejaVu, Debian's fonts-dejavu-core). The slip carries
the dossier code as a QR code pointing at the public lookup, and the promised return
date computed in working days. Built with reportlab's platypus.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape as e

from django.conf import settings
from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from modules.engine.display import display_name
from modules.engine.pdffonts import fonts

from . import rules

COPY_LABELS = {"original": "Bản chính", "copy": "Bản sao", "either": "Bản chính/bản sao"}
COLLECTION_LABELS = {"counter": "Tại Bộ phận một cửa", "post": "Qua dịch vụ bưu chính công ích"}
VERDICT_LABELS = {code: vi for code, vi, _en in rules.VERDICTS}


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "body": ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=11, alignment=1),
        "title": ParagraphStyle("title", fontName=bold, fontSize=11, leading=14, alignment=1, spaceBefore=4),
        "center": ParagraphStyle("center", fontName=regular, fontSize=8.5, leading=11, alignment=1),
    }


def lookup_url(code: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}/tra-cuu/?ma={code}"


def _qr(code: str, size: float = 26 * mm) -> Drawing:
    widget = QrCodeWidget(lookup_url(code))
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def _header(s: dict[str, ParagraphStyle]) -> Table:
    left = [
        Paragraph("BỘ KHOA HỌC VÀ CÔNG NGHỆ", s["center"]),
        Paragraph("<b>BỘ PHẬN MỘT CỬA</b>", s["head"]),
    ]
    right = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s["head"]),
        Paragraph("Độc lập - Tự do - Hạnh phúc", s["center"]),
    ]
    table = Table([[left, right]], colWidths=[52 * mm, 76 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _document(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A5,
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=9 * mm,
        bottomMargin=9 * mm,
        title=title,
        author="Bộ phận một cửa — Bộ Khoa học và Công nghệ",
    )


def receipt_slip(dossier: Any) -> bytes:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    s = _styles()
    received = timezone.localtime(dossier.received_at) if dossier.received_at else None
    code_row = Table(
        [
            [
                [
                    Paragraph(f"Mã hồ sơ: <b>{dossier.number}</b>", s["body"]),
                    Paragraph(f"Tra cứu tại: {lookup_url(dossier.number)}", s["small"]),
                ],
                _qr(dossier.number),
            ]
        ],
        colWidths=[100 * mm, 28 * mm],
    )
    code_row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    who = "Tổ chức" if dossier.applicant_kind == "organisation" else "Ông/Bà"
    lines = [
        "Bộ phận một cửa Bộ Khoa học và Công nghệ tiếp nhận hồ sơ của: "
        f"<b>{who} {e(dossier.applicant_name)}</b>",
        f"Địa chỉ: {e(dossier.address)}",
        f"Số điện thoại: {e(dossier.phone)}"
        + (f" — Thư điện tử: {e(dossier.email)}" if dossier.email else ""),
        f"Nội dung yêu cầu giải quyết: <b>{e(dossier.procedure.name)}</b> "
        f"(mã thủ tục {e(dossier.procedure.code)})",
    ]
    documents = [["TT", "Tên giấy tờ", "Hình thức", "SL"]] + [
        [str(i), Paragraph(e(c.name), s["small"]), COPY_LABELS.get(c.copy_kind, ""), str(c.count)]
        for i, c in enumerate(dossier.components.filter(provided=True).order_by("position", "id"), start=1)
    ]
    table = Table(documents, colWidths=[8 * mm, 78 * mm, 30 * mm, 10 * mm], repeatRows=1)
    regular, bold = fonts()
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 7.5),
                ("FONT", (0, 0), (-1, 0), bold, 7.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    after = [
        f"Số lượng hồ sơ: {dossier.sets or 1} bộ.",
        f"Thời gian giải quyết hồ sơ theo quy định: {dossier.procedure.processing_days} ngày làm việc.",
        "Thời gian nhận hồ sơ: "
        + (f"{received:%H} giờ {received:%M} phút, ngày {received:%d/%m/%Y}" if received else "—"),
        f"Thời gian trả kết quả: <b>ngày {dossier.promised_date:%d/%m/%Y}</b>"
        if dossier.promised_date
        else "",
        f"Nhận kết quả: {COLLECTION_LABELS.get(dossier.collection, '')}",
        register_line(dossier),
    ]
    signatures = Table(
        [
            [
                Paragraph("<b>NGƯỜI NỘP HỒ SƠ</b><br/>(Ký và ghi rõ họ tên)", s["center"]),
                Paragraph("<b>NGƯỜI TIẾP NHẬN HỒ SƠ</b><br/>(Ký và ghi rõ họ tên)", s["center"]),
            ],
            ["", ""],
            [
                Paragraph(e(dossier.applicant_name), s["center"]),
                Paragraph(
                    e(display_name(dossier.received_by)) if dossier.received_by else "",
                    s["center"],
                ),
            ],
        ],
        colWidths=[64 * mm, 64 * mm],
        rowHeights=[None, 14 * mm, None],
    )
    story = [
        _header(s),
        Paragraph("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", s["title"]),
        Spacer(1, 2 * mm),
        code_row,
        *(Paragraph(line, s["body"]) for line in lines),
        Paragraph("Thành phần hồ sơ nộp gồm:", s["body"]),
        table,
        Spacer(1, 2 * mm),
        *(Paragraph(line, s["body"]) for line in after if line),
        Spacer(1, 3 * mm),
        signatures,
        Paragraph(
            "Giấy này lập thành 02 liên: 01 liên giao người nộp hồ sơ, 01 liên lưu kèm Phiếu kiểm soát.",
            s["small"],
        ),
    ]
    buffer = io.BytesIO()
    _document(buffer, f"Giấy tiếp nhận {dossier.number}").build(story)
    return buffer.getvalue()


def register_line(dossier: Any) -> str:
    """The "Vào Sổ theo dõi hồ sơ" line: the register of the receiving unit, opened yearly and numbered
    continuously from 01 (TT 01/2018 Art. 10), not the code's sequence of the day."""
    if not dossier.register_no or not dossier.received_at:
        return ""
    year = timezone.localtime(dossier.received_at).year
    return f"Vào Sổ theo dõi hồ sơ năm {year}, số thứ tự {dossier.register_no:02d}"


def transfer_line(dossier: Any) -> str:
    """The 15:00 rule on the tracking sheet: when it was due at the processing unit, when it went."""
    if not dossier.transfer_deadline:
        return ""
    due = timezone.localtime(dossier.transfer_deadline)
    line = f"Hạn chuyển xử lý: {due:%H:%M %d/%m/%Y}"
    if dossier.transferred_at:
        line += f" — Đã chuyển lúc {timezone.localtime(dossier.transferred_at):%H:%M %d/%m/%Y}"
    else:
        line += " — Chưa chuyển"
    return line + (" — <b>QUÁ HẠN CHUYỂN XỬ LÝ</b>" if dossier.transfer_late else "")


def supplement_line(dossier: Any) -> str:
    """Mẫu 02 asked for after its 3-working-day limit (the first request after receipt)."""
    return (
        f"Yêu cầu bổ sung (Mẫu 02) sau hạn {dossier.supplement_due:%d/%m/%Y}: <b>QUÁ HẠN 3 NGÀY LÀM VIỆC</b>"
    )


def tracking_sheet(dossier: Any) -> bytes:
    """Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ, one row per hand-over."""
    s = _styles()
    regular, bold = fonts()
    rows = [["Tên cơ quan / bước", "Giao", "Nhận / hoàn thành", "Kết quả", "Ghi chú"]]
    for h in dossier.handovers.order_by("position", "id"):
        given = timezone.localtime(h.given_at) if h.given_at else None
        done = timezone.localtime(h.done_at) if h.done_at else None
        rows.append(
            [
                Paragraph(f"{e(h.step_name)}<br/>{e(h.from_unit)} → {e(h.to_unit)}", s["small"]),
                Paragraph(f"{given:%H:%M %d/%m/%Y}" if given else "", s["small"]),
                Paragraph(f"{done:%H:%M %d/%m/%Y}" if done else "", s["small"]),
                Paragraph(VERDICT_LABELS.get(h.verdict, "") if h.verdict else "", s["small"]),
                Paragraph(f"{h.allowed_days} ngày làm việc", s["small"]),
            ]
        )
    table = Table(rows, colWidths=[44 * mm, 22 * mm, 22 * mm, 18 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 7.5),
                ("FONT", (0, 0), (-1, 0), bold, 7.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
            ]
        )
    )
    story = [
        _header(s),
        Paragraph("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", s["title"]),
        Spacer(1, 2 * mm),
        Paragraph(f"Mã hồ sơ: <b>{dossier.number}</b>", s["body"]),
        Paragraph(f"(Kèm theo hồ sơ của: {e(dossier.applicant_name)})", s["body"]),
        Paragraph(f"Thủ tục: {e(dossier.procedure.name)}", s["body"]),
        Paragraph(
            f"Ngày hẹn trả: {dossier.promised_date:%d/%m/%Y}" if dossier.promised_date else "Ngày hẹn trả: —",
            s["body"],
        ),
        *([Paragraph(transfer_line(dossier), s["body"])] if dossier.transfer_deadline else []),
        *([Paragraph(supplement_line(dossier), s["body"])] if dossier.supplement_late else []),
        Spacer(1, 2 * mm),
        table,
    ]
    buffer = io.BytesIO()
    _document(buffer, f"Phiếu kiểm soát {dossier.number}").build(story)
    return buffer.getvalue()
