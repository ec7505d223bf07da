"""The published weekly schedule as an A4 landscape PDF, in the form ministries publish it:
the ministry's heading, "LỊCH CÔNG TÁC CỦA LÃNH ĐẠO BỘ / Tuần N (từ ... đến ...)", then a
table by day (Thứ Hai, 07/12/2026 ...): time, content, chair, participants, place, preparing
unit; a change after publishing is marked "(Thay đổi)" with its reason, a cancelled item
"(Đã huỷ)". reportlab's platypus
with the DejaVu font (Vietnamese), the same as the one-stop forms."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape as e

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from modules.engine.display import display_name
from modules.engine.pdffonts import fonts

from .notices import place_of

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
HEADERS = ("Ngày", "Thời gian", "Nội dung", "Chủ trì", "Thành phần", "Địa điểm", "Chuẩn bị")
WIDTHS = (36, 26, 72, 36, 48, 32, 27)  # mm, 277 in all: A4 landscape less 10 mm margins
WEEK = dt.timedelta(days=6)  # Monday to Sunday


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    return {
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=10.5, alignment=1),
        "center": ParagraphStyle("center", fontName=regular, fontSize=9, leading=12, alignment=1),
        "title": ParagraphStyle("title", fontName=bold, fontSize=13, leading=17, alignment=1),
        "changed": ParagraphStyle("changed", fontName=regular, fontSize=8, leading=10, textColor=colors.red),
    }


def day_label(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def kind_heading(week: Any) -> str:
    if week.kind == "leaders":
        return "LỊCH CÔNG TÁC CỦA LÃNH ĐẠO BỘ"
    return f"LỊCH CÔNG TÁC CỦA {week.owner_unit.name.upper()}"


def render(week: Any, items: list[Any]) -> bytes:
    """The week's PDF; `items` in time order, read by the caller through its scope."""
    s = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=f"{kind_heading(week)} — {week.title}",
        author="Bộ Khoa học và Công nghệ",
    )
    end = week.week_start + WEEK
    heading = Table(
        [
            [
                [
                    Paragraph("BỘ KHOA HỌC VÀ CÔNG NGHỆ", s["center"]),
                    Paragraph("<b>VĂN PHÒNG</b>", s["center"]),
                ],
                [
                    Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", s["center"]),
                    Paragraph("Độc lập - Tự do - Hạnh phúc", s["center"]),
                ],
            ]
        ],
        colWidths=[100 * mm, 177 * mm],
    )
    story: list[Any] = [
        heading,
        Spacer(1, 5 * mm),
        Paragraph(kind_heading(week), s["title"]),
        Paragraph(
            f"Tuần {week.week_start.isocalendar()[1]} (từ ngày {week.week_start:%d/%m/%Y} "
            f"đến ngày {end:%d/%m/%Y})",
            s["center"],
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [[Paragraph(h, s["head"]) for h in HEADERS]]
    spans: list[tuple] = []
    by_day: dict[dt.date, list[Any]] = {}
    for item in items:
        by_day.setdefault(timezone.localtime(item.starts_at).date(), []).append(item)
    for day in sorted(by_day):
        first = len(rows)
        for item in by_day[day]:
            start = timezone.localtime(item.starts_at)
            time = f"{start:%H:%M}"
            if item.ends_at:
                time += f"–{timezone.localtime(item.ends_at):%H:%M}"  # no space: the cell never wraps it
            content = [Paragraph(e(item.title), s["cell"])]
            if item.cancelled:
                content.append(Paragraph(f"(Đã huỷ: {e(item.change_reason)})", s["changed"]))
            elif item.is_changed:
                content.append(Paragraph(f"(Thay đổi: {e(item.change_reason)})", s["changed"]))
            people = [display_name(u) for u in item.participants.all()]
            people += [u.name for u in item.participant_units.all()]
            rows.append(
                [
                    Paragraph(day_label(day), s["cell"]),
                    Paragraph(time, s["cell"]),
                    content,
                    Paragraph(e(display_name(item.chair)) if item.chair_id else "", s["cell"]),
                    Paragraph(e(", ".join(people)), s["cell"]),
                    Paragraph(e(place_of(item)), s["cell"]),
                    Paragraph(e(item.preparing_unit.name) if item.preparing_unit_id else "", s["cell"]),
                ]
            )
        if len(rows) - first > 1:
            spans.append(("SPAN", (0, first), (0, len(rows) - 1)))
    if len(rows) == 1:
        rows.append([Paragraph("Không có lịch. / No items.", s["cell"]), "", "", "", "", "", ""])
    table = Table(rows, colWidths=[w * mm for w in WIDTHS], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                *spans,
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
