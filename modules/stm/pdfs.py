"""The S&T selection minutes as PDFs: the opening minutes (B2-1-BBHS, domain.md §7.4) and the
council's scoring minutes (§7.5-7.6). A4, DejaVu (Vietnamese glyphs), reportlab's platypus.
Values are written as people read them (dd/mm/yyyy HH:MM, 1.500.000 đồng, labels not codes)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from modules.engine import registry
from modules.engine.pdffonts import fonts

from . import results
from .councils import ROLES

ROLE_LABELS = {code: vi for code, vi, _ in ROLES}
STATE_LABELS = {"submitted": "Đã nộp", "valid": "Hợp lệ", "invalid": "Không hợp lệ"}


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=13),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11),
        "head": ParagraphStyle("head", fontName=bold, fontSize=9, leading=11),
        "title": ParagraphStyle("title", fontName=bold, fontSize=13, leading=17, alignment=1, spaceAfter=6),
        "center": ParagraphStyle("center", fontName=regular, fontSize=10, leading=13, alignment=1),
    }


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "(trống)"


def _money(value: Any) -> str:
    return f"{int(value or 0):,}".replace(",", ".") + " đồng"


def _number(value: Any) -> str:
    if value is None:
        return "(trống)"
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    styles = _styles()
    body = [
        [Paragraph(escape(str(c)), styles["head" if i == 0 else "cell"]) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(body, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _build(story: list[Any], title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
    )
    doc.build(story)
    return buffer.getvalue()


def _header(unit_name: str) -> list[Any]:
    styles = _styles()
    return [
        Paragraph(escape(unit_name.upper()), styles["head"]),
        Paragraph("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc", styles["center"]),
        Spacer(1, 5 * mm),
    ]


def opening_minutes(notice: Any, user: Any) -> bytes:
    """B2-1-BBHS: the dossiers received on the notice, their receipt time and validity (those
    the user may see: the managing unit sees them all)."""
    from modules.engine.access import scoped_queryset

    styles = _styles()
    dossiers = (
        scoped_queryset(user, registry.entity_by_label("stm.SelectionDossier"))
        .filter(notice=notice, state__in=("submitted", "valid", "invalid", "selected", "not_selected"))
        .select_related("organisation", "investigator")
        .order_by("received_at", "id")
    )
    rows = [["STT", "Số hồ sơ", "Tổ chức chủ trì", "Chủ nhiệm", "Thời điểm nhận", "Tình trạng", "Lý do"]]
    for index, d in enumerate(dossiers, 1):
        reasons = "; ".join(r["message"].split(" / ")[0] for r in d.eligibility or [])
        rows.append(
            [
                str(index),
                d.number,
                d.organisation.name,
                d.investigator.full_name,
                _when(d.received_at),
                STATE_LABELS.get(d.state, "Hợp lệ" if d.eligible else "Không hợp lệ"),
                reasons or "—",
            ]
        )
    story = [
        *_header(notice.owner_unit.name),
        Paragraph("BIÊN BẢN MỞ HỒ SƠ ĐĂNG KÝ TUYỂN CHỌN, GIAO TRỰC TIẾP (B2-1-BBHS)", styles["title"]),
        Paragraph(f"Thông báo số {escape(notice.number)}: {escape(notice.title)}", styles["body"]),
        Paragraph(
            f"Hạn nộp hồ sơ: {_when(notice.deadline)}. Hạn mở hồ sơ: "
            f"{notice.opening_due.strftime('%d/%m/%Y') if notice.opening_due else '(trống)'}.",
            styles["body"],
        ),
        Paragraph(f"Số hồ sơ nhận được: {len(rows) - 1}.", styles["body"]),
        Spacer(1, 4 * mm),
        _table(rows, [10, 24, 36, 28, 26, 20, 30]),
    ]
    return _build(story, f"Biên bản mở hồ sơ {notice.number}")


def council_minutes(council: Any) -> bytes:
    """The council's minutes: members and attendance, each dossier's ballots, mean, bonus,
    whether it qualifies and why not, and the winner with the rule that decided it."""
    styles = _styles()
    tally = results.tally(council)
    members = [["Thành viên", "Vai trò", "Có mặt"]]
    for row in council.members.select_related("expert").order_by("position"):
        members.append(
            [row.expert.full_name, ROLE_LABELS.get(row.role, row.role), "Có" if row.present else "Vắng"]
        )
    scores = [["Hồ sơ", "Phiếu", "Phiếu không hợp lệ", "Điểm TB", "Cộng 10%", "Điểm cuối", "Ghi chú"]]
    for row in tally.rows:
        o = row.outcome
        scores.append(
            [
                f"{row.dossier.number} — {row.dossier.organisation.name}",
                str(len(o.totals)),
                str(len(o.invalid)),
                _number(o.mean),
                "Có" if o.bonus else "Không",
                _number(o.final),
                "; ".join(r.split(" / ")[0] for r in o.reasons) or "Đạt yêu cầu",
            ]
        )
    decided = {
        "mean": "điểm trung bình cao nhất",
        "budget": "kinh phí ngân sách thấp hơn",
        "excellent": "có nhiệm vụ quốc gia xếp loại Xuất sắc trong 5 năm",
        "content": "điểm nội dung cao hơn",
        "tie": "bằng nhau mọi tiêu chí: hội đồng quyết định",
        "none": "không hồ sơ nào đạt",
        "pending": "chưa đủ phiếu",
    }[tally.decided_by]
    winner = next((r.dossier for r in tally.rows if r.dossier.pk == tally.winner), None)
    outcome = f"{winner.number} — {winner.organisation.name}" if winner else "không có hồ sơ trúng tuyển"
    story = [
        *_header(council.owner_unit.name),
        Paragraph("BIÊN BẢN HỌP HỘI ĐỒNG TƯ VẤN TUYỂN CHỌN, GIAO TRỰC TIẾP", styles["title"]),
        Paragraph(
            f"{escape(council.number)}: {escape(council.title)}. Thời gian: {_when(council.meeting_at)}.",
            styles["body"],
        ),
        Paragraph(
            f"Có mặt {tally.present}/{len(members) - 1} thành viên. Số phiếu: {tally.cast}/{tally.expected}.",
            styles["body"],
        ),
        Spacer(1, 3 * mm),
        _table(members, [80, 50, 30]),
        Spacer(1, 5 * mm),
        _table(scores, [44, 14, 20, 18, 18, 18, 42]),
        Spacer(1, 5 * mm),
        Paragraph(
            f"Kết quả: {escape(outcome)} ({decided}).",
            styles["body"],
        ),
    ]
    return _build(story, f"Biên bản hội đồng {council.number}")
