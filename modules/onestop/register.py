"""The tracking register (Sổ theo dõi hồ sơ) of one one-stop unit over a period, as an A4 PDF.

TT 01/2018 Art. 9–10 (domain.md §1.2): Mẫu 06 (Mẫu 07 under TT 03/2025), A4, one register
per one-stop unit, opened yearly and numbered continuously from 01. Its rows are the dossiers
that unit received in the period, by their register number.

domain.md gives the register's size and numbering, not its columns. The columns here are
the dossier's own facts along the steps domain.md §1.3 names (received, promised, passed to
the processing unit, processed, result handed back with its date) plus the applicant and the
procedure, as the slip has them.

Who may read it: the unit must be one the user sees, and only dossiers the user may see
are listed (`access.scoped_queryset`, the rule of every other route); another unit's
register is "not found".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as e

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from modules.engine import access, registry
from modules.engine.errors import FieldProblem, InvalidInput, NotFound
from modules.engine.pdffonts import fonts

from . import forms
from .pdfs import _styles

MAX_DAYS = 366  # a register is yearly: one period is at most a year
STATE_NOTES = {
    "refused": "Từ chối tiếp nhận",
    "withdrawn": "Rút hồ sơ",
    "stopped": "Dừng xử lý",
    "supplement": "Chờ bổ sung",
}


@dataclass(frozen=True)
class Period:
    desk: Any
    start: dt.date
    end: dt.date


def resolve(user: Any, desk_id: Any, start: Any, end: Any) -> Period:
    """The unit and period asked for, or a typed error (bad dates, a unit the user cannot see)."""
    problems = []
    dates = {}
    for name, value in (("dateFrom", start), ("dateTo", end)):
        try:
            dates[name] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(FieldProblem(name, "INVALID", "Ngày không hợp lệ (YYYY-MM-DD). / Invalid date."))
    if not problems and dates["dateFrom"] > dates["dateTo"]:
        problems.append(FieldProblem("dateTo", "INVALID", "Đến ngày trước từ ngày. / The period ends first."))
    elif not problems and (dates["dateTo"] - dates["dateFrom"]).days >= MAX_DAYS:
        problems.append(
            FieldProblem("dateTo", "INVALID", "Sổ mở theo năm: tối đa một năm. / At most one year.")
        )
    if problems:
        raise InvalidInput(problems)
    units = registry.model_for("org.Unit").objects.filter(pk=desk_id) if str(desk_id).isdigit() else None
    desk = units.first() if units is not None else None
    seen = None if user.is_superuser else access.directory().visible_unit_ids(user)
    if desk is None or (seen is not None and desk.pk not in seen):
        raise NotFound("Không tìm thấy bộ phận một cửa. / One-stop unit not found.")
    return Period(desk, dates["dateFrom"], dates["dateTo"])


def rows(user: Any, period: Period) -> Any:
    entity = registry.entity_by_label("onestop.Dossier")
    return (
        access.scoped_queryset(user, entity, "view")
        .filter(desk_id=period.desk.pk, receipt_date__gte=period.start, receipt_date__lte=period.end)
        .select_related("procedure")
        .prefetch_related("handovers")
        .order_by("received_at", "register_no", "id")
    )


def _day(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def _processing_unit(dossier: Any) -> str:
    first = next(iter(sorted(dossier.handovers.all(), key=lambda h: (h.position, h.id))), None)
    return first.to_unit if first else ""


def _note(dossier: Any) -> str:
    notes = [STATE_NOTES[dossier.state]] if dossier.state in STATE_NOTES else []
    if dossier.rescheduled:
        notes.append(f"Hẹn lại (Mẫu 04) từ {_day(dossier.original_promised_date)}")
    if dossier.transfer_late:
        notes.append("Chuyển xử lý muộn")
    if dossier.classification in ("in_progress_overdue", "done_late"):
        notes.append("Quá hạn")
    return "; ".join(notes)


HEADINGS = (  # widths in mm: 281 between A4 landscape's margins; a code and a date fit one line
    ("Số TT", 11),
    ("Mã hồ sơ", 38),
    ("Tên thủ tục hành chính", 32),
    ("Số bộ", 9),
    ("Tên cá nhân, tổ chức", 28),
    ("Địa chỉ, số điện thoại", 30),
    ("Cơ quan chủ trì giải quyết", 25),
    ("Nhận hồ sơ", 17),
    ("Hẹn trả kết quả", 17),
    ("Chuyển cơ quan giải quyết", 18),
    ("Đã xử lý xong", 17),
    ("Trả kết quả", 17),
    ("Ghi chú", 20),
)


def pdf(user: Any, period: Period) -> bytes:
    """Mẫu 06 (TT 01/2018) / Mẫu 07 (TT 03/2025): one line per dossier received."""
    s = _styles()
    regular, _bold = fonts()
    cell = ParagraphStyle("cell", parent=s["small"], fontSize=7, leading=8.5)
    table_rows: list[list[Any]] = [[Paragraph(f"<b>{h}</b>", cell) for h, _w in HEADINGS]]
    for d in rows(user, period):
        table_rows.append(
            [
                Paragraph(f"{d.register_no:02d}" if d.register_no else "", cell),
                Paragraph(e(d.number), cell),
                Paragraph(e(d.procedure.name), cell),
                Paragraph(str(d.sets or 1), cell),
                Paragraph(e(d.applicant_name), cell),
                Paragraph(f"{e(d.address)}<br/>{e(d.phone)}", cell),
                Paragraph(e(_processing_unit(d)), cell),
                Paragraph(_day(d.received_at), cell),
                Paragraph(_day(d.promised_date), cell),
                Paragraph(_day(d.transferred_at), cell),
                Paragraph(_day(d.finished_at) if d.state in ("processed", "returned") else "", cell),
                Paragraph(_day(d.returned_at), cell),
                Paragraph(e(_note(d)), cell),
            ]
        )
    table = Table(table_rows, colWidths=[w * mm for _h, w in HEADINGS], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
            ]
        )
    )
    same_year = period.start.year == period.end.year
    heading = f"SỔ THEO DÕI HỒ SƠ NĂM {period.start.year}" if same_year else "SỔ THEO DÕI HỒ SƠ"
    story = [
        Paragraph(forms.REGISTER.label(), s["small"]),
        Paragraph(f"<b>{e(period.desk.name).upper()}</b> — BỘ PHẬN MỘT CỬA", s["center"]),
        Paragraph(heading, s["title"]),
        Paragraph(f"Từ ngày {_day(period.start)} đến ngày {_day(period.end)}", s["center"]),
        Spacer(1, 3 * mm),
        table,
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=8 * mm,
        rightMargin=8 * mm,
        topMargin=8 * mm,
        bottomMargin=8 * mm,
        title=f"Sổ theo dõi hồ sơ {period.desk.name} {_day(period.start)}–{_day(period.end)}",
        author="Bộ phận một cửa — Bộ Khoa học và Công nghệ",
    ).build(story)
    return buffer.getvalue()
