"""XLSX of the one-stop report (TT 01/2018 Art. 11), like the consolidated reports' export.

`/reporting/onestop-report.xlsx?from=2026-10-01&to=2026-12-31` (or `?year=2026&quarter=4`,
the quarter's Decree 09 data window). Built from `onestop_report.build`, the function behind
GraphQL's `onestopReport`, so both agree and both show only what the requester may see.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import onestop_report, periods
from .export import HEADER_FILL, XLSX

BAD_PERIOD = (
    "Kỳ báo cáo không hợp lệ: cho from và to (YYYY-MM-DD), hoặc year và quarter (1–4). / "
    "Invalid period: give from and to (YYYY-MM-DD), or year and quarter (1–4)."
)


def period_of(params: Any) -> tuple[dt.date, dt.date] | None:
    """The period the query string asks for, or None when it cannot be read."""
    try:
        if params.get("year") or params.get("quarter"):
            year, quarter = int(params.get("year", "")), int(params.get("quarter", ""))
            if not (1900 <= year <= 9999 and 1 <= quarter <= 4):
                return None
            window = periods.window("quarterly", year, quarter)
            return window.cutoff_from, window.cutoff_to
        start = dt.date.fromisoformat(params.get("from", ""))
        end = dt.date.fromisoformat(params.get("to", ""))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def build_workbook(report: onestop_report.Report) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Một cửa"
    sheet.append(["Báo cáo kết quả thực hiện cơ chế một cửa (TT 01/2018/TT-VPCP, Điều 11)"])
    sheet.append([f"Số liệu từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y} / Data from–to"])
    sheet.append([f"Số thủ tục đang áp dụng (danh mục công bố): {report.procedures_published}"])
    sheet.append([])
    sheet.append(
        [
            "Bộ phận một cửa / One-stop unit",
            *(vi for _f, vi, _en in onestop_report.COLUMNS),
            "Tỷ lệ đúng hạn (%)",
        ]
    )
    sheet.append(["", *(en for _f, _vi, en in onestop_report.COLUMNS), "On-time rate (%)"])
    for row in (5, 6):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in [*report.units, report.total]:
        sheet.append(
            [row.unit, *(getattr(row, f) for f, _vi, _en in onestop_report.COLUMNS), row.on_time_rate]
        )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["Các nội dung đơn vị tự viết (không có trong dữ liệu hồ sơ) / Written by the unit:"])
    for vi, en in onestop_report.NOT_FROM_DATA:
        sheet.append([f"{vi} / {en}"])
    sheet.column_dimensions["A"].width = 36
    for index in range(len(onestop_report.COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index + 2)].width = 16
    sheet.freeze_panes = "B7"
    return book


def export_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = period_of(request.GET)
    if found is None:
        return HttpResponseBadRequest(BAD_PERIOD)
    report = onestop_report.build(request.user, *found)
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"bao-cao-mot-cua-{found[0]:%Y%m%d}-{found[1]:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
