"""XLSX export of a period's consolidated figures: one row per province, one column per indicator.

Built with openpyxl from `consolidation.consolidate`, the function behind GraphQL and
the admin chart, so the three agree. Only accepted reports are counted, through the
same permission filter: the export shows exactly what the requester may see.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from modules.engine import access, registry

from . import consolidation, submissions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DBEAFE")


def build_workbook(user: Any, period: Any) -> Workbook:
    indicators = [i for i in submissions.indicators_of_form(period.form) if i.numeric] if period.form else []
    figures = {ind.code: consolidation.consolidate(user, period.pk, ind.code) for ind in indicators}
    units: dict[int, tuple[str, str]] = {}
    for result in figures.values():
        for u in result.units:
            units[u.unit_id] = (u.unit_code, u.unit_name)

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([f"{period.regime.name} — {period.label}"])
    sheet.append(
        [f"Số liệu từ {period.cutoff_from:%d/%m/%Y} đến {period.cutoff_to:%d/%m/%Y}; báo cáo đã tiếp nhận"]
    )
    sheet.append([])
    header = [
        "Mã đơn vị",
        "Đơn vị / Unit",
        *(f"{i.label_vi} ({i.unit})" if i.unit else i.label_vi for i in indicators),
    ]
    sheet.append(header)
    sheet.append(["", "Mã chỉ tiêu / Code", *(i.code for i in indicators)])
    for row in (4, 5):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for unit_id, (code, name) in sorted(units.items(), key=lambda item: item[1][0]):
        values = []
        for ind in indicators:
            found = next((u.value for u in figures[ind.code].units if u.unit_id == unit_id), None)
            values.append(float(found) if found is not None else None)
        sheet.append([code, name, *values])
    sheet.append(["", "Tổng / Total", *(_number(figures[i.code].total) for i in indicators)])
    sheet.append(["", "Trung bình / Average", *(_number(figures[i.code].average) for i in indicators)])
    sheet.append(["", "Số đơn vị / Units", *(figures[i.code].count for i in indicators)])
    for row in sheet.iter_rows(min_row=sheet.max_row - 2, max_row=sheet.max_row):
        for cell in row:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 36
    for index in range(len(indicators)):
        sheet.column_dimensions[get_column_letter(index + 3)].width = 22
    sheet.freeze_panes = "C6"
    return book


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def export_view(request: HttpRequest, period_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not re.fullmatch(r"\d{1,12}", period_id):
        return HttpResponseBadRequest("Mã kỳ báo cáo không hợp lệ. / Invalid period id.")
    entity = registry.entity_by_label("reporting.ReportPeriod")
    period = (
        access.scoped_queryset(request.user, entity, "view")
        .select_related("regime", "form")
        .filter(pk=period_id)
        .first()
    )
    if period is None:
        return HttpResponseNotFound("Không tìm thấy kỳ báo cáo. / Period not found.")
    buffer = io.BytesIO()
    build_workbook(request.user, period).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"tong-hop-{period.regime.code}-{period.year}-{period.index:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
