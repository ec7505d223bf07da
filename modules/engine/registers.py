"""Registers (sổ): a declared list of columns over an entity's rows in a period, exported as
XLSX and as an A4 landscape PDF.

A module declares a `Register` (its title, the entity, the date field that places a row in
a period, the columns, each a heading and a function of the row) and serves it with
`xlsx(register, user, start, end)` / `pdf(...)`. Rows always come through
`access.scoped_queryset`, so a register shows the caller exactly what every other route
shows them. Nothing here knows a domain.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from . import access, registry
from .pdffonts import fonts


@dataclass(frozen=True)
class Column:
    heading: str  # "Tiếng Việt / English" as people read it on the sheet
    value: Callable[[Any], Any]
    width: float = 1.0  # relative width on the PDF page


@dataclass(frozen=True)
class Register:
    name: str
    title_vi: str
    title_en: str
    entity: str  # "app.Entity"
    date_field: str
    columns: tuple[Column, ...]
    ordering: tuple[str, ...] = ("id",)
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()


def rows(register: Register, user: Any, start: dt.date, end: dt.date) -> QuerySet:
    """The register's rows the user may see, dated from `start` to `end` (both included)."""
    entity = registry.entity_by_label(register.entity)
    model = registry.model_for(entity)
    field = model._meta.get_field(register.date_field)
    lookup = (
        f"{register.date_field}__date"
        if field.get_internal_type() == "DateTimeField"
        else register.date_field
    )
    queryset = access.scoped_queryset(user, entity).filter(**{f"{lookup}__gte": start, f"{lookup}__lte": end})
    if register.select_related:
        queryset = queryset.select_related(*register.select_related)
    if register.prefetch_related:
        queryset = queryset.prefetch_related(*register.prefetch_related)
    return queryset.order_by(*register.ordering)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def table(register: Register, user: Any, start: dt.date, end: dt.date) -> list[list[str]]:
    """Headings, then one line per row, as the sheet and the page show them."""
    body = [[as_text(c.value(row)) for c in register.columns] for row in rows(register, user, start, end)]
    return [[c.heading for c in register.columns], *body]


def _period(start: dt.date, end: dt.date) -> str:
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y} / From {start:%d/%m/%Y} to {end:%d/%m/%Y}"


def xlsx(register: Register, user: Any, start: dt.date, end: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = register.title_vi[:31]
    sheet.append([f"{register.title_vi.upper()} / {register.title_en}"])
    sheet.append([_period(start, end)])
    sheet.append([])
    lines = table(register, user, start, end)
    for line in lines:
        sheet.append(line)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(register.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = 14 * column.width
    sheet["A1"].font = Font(bold=True, size=13)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(register: Register, user: Any, start: dt.date, end: dt.date) -> bytes:
    """A4 landscape, the headings repeated on every page, text wrapped in its cell."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    regular, bold = fonts()
    cell = ParagraphStyle("cell", fontName=regular, fontSize=7, leading=8.5)
    head = ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.5)
    title = ParagraphStyle("title", fontName=bold, fontSize=12, leading=15, alignment=1)
    period = ParagraphStyle("period", fontName=regular, fontSize=8, leading=10, alignment=1)
    lines = table(register, user, start, end)
    data = [[Paragraph(_escape(v), head) for v in lines[0]]]
    data += [[Paragraph(_escape(v), cell) for v in line] for line in lines[1:]]
    page = landscape(A4)
    usable = page[0] - 20 * mm
    total = sum(c.width for c in register.columns)
    widths = [usable * c.width / total for c in register.columns]
    grid = LongTable(data, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{register.title_vi} / {register.title_en}",
    )
    heading = f"{register.title_vi.upper()} / {register.title_en}"
    document.build(
        [Paragraph(_escape(heading), title), Paragraph(_period(start, end), period), Spacer(1, 4 * mm), grid]
    )
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
