"""The monthly vehicle-use report as a download for signed-in staff (their own scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from modules.engine import registry
from modules.engine.access import can

from . import report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def monthly_report(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404("Không có tháng này. / No such month.")
    if not can(request.user, registry.entity_by_label("vehicles.VehicleRequest"), "view"):
        raise Http404("Không tìm thấy. / Not found.")
    response = HttpResponse(report.workbook(request.user, year, month), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-su-dung-xe-{year}-{month:02d}.xlsx"'
    return response
