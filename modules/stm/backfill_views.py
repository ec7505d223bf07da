"""The clerk's backfill page (`/stm/hoi-to/`): the template to fill, the upload, the progress
bar while the job runs, then the report row by row (nothing is kept unless every row is right)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from modules.engine import access, background, registry
from modules.reporting.extraction.detect import inflated_size

from . import backfill_jobs, backfill_sheet

MAX_BYTES = 20 * 1024 * 1024
MAX_INFLATED = 400 * 1024 * 1024  # a zip bomb is refused from the ZIP's directory alone
NO_RIGHT = "Bạn không có quyền nhập hồ sơ nhiệm vụ. / You may not import task records."
NO_UNIT = "Tài khoản chưa thuộc đơn vị nào. / Your account belongs to no unit."
NO_FILE = "Chọn tệp XLSX. / Choose an XLSX file."
TOO_LARGE = "Tệp quá lớn (tối đa 20 MB). / The file is too large (20 MB at most)."
NOT_FOUND = "Không tìm thấy lượt nhập. / Import not found."


def _may_import(user: Any) -> bool:
    return access.can(user, registry.entity_by_label("stm.Contract"), "add")


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        **admin.site.each_context(request),
        "title": "Nhập hồi tố nhiệm vụ đã thực hiện / Backfill past tasks",
        "columns": backfill_sheet.COLUMNS,
        "errors": [],
        "job": None,
        "status": None,
        "report": None,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def backfill_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_import(user):
        return render(request, "stm/backfill.html", _context(request, errors=[NO_RIGHT]), status=403)
    unit_id = access.directory().unit_id_of(user)
    unit = registry.model_for("org.Unit").objects.filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        return render(request, "stm/backfill.html", _context(request, errors=[NO_UNIT]), status=400)
    if request.method == "GET":
        job_id = request.GET.get("job")
        if not job_id:
            return render(request, "stm/backfill.html", _context(request, unit=unit))
        job = backfill_jobs.find(user, job_id)
        if job is None:
            return render(
                request, "stm/backfill.html", _context(request, unit=unit, errors=[NOT_FOUND]), status=404
            )
        status = background.status(job)
        report = job.result if status["state"] == "done" else None
        return render(
            request, "stm/backfill.html", _context(request, unit=unit, job=job, status=status, report=report)
        )
    upload = request.FILES.get("file")
    errors = []
    if upload is None:
        errors.append(NO_FILE)
    elif upload.size > MAX_BYTES:
        errors.append(TOO_LARGE)
    else:
        data = upload.read()
        if inflated_size(data) > MAX_INFLATED:
            errors.append(TOO_LARGE)
        else:
            job = backfill_jobs.start(user, unit, upload.name, data)
            return redirect(f"{reverse('stm-backfill')}?job={job.pk}")
    return render(request, "stm/backfill.html", _context(request, unit=unit, errors=errors), status=400)


@login_required
@require_GET
def backfill_template(request: HttpRequest) -> HttpResponse:
    """The empty spreadsheet with its column titles."""
    if not _may_import(request.user):
        return HttpResponse(NO_RIGHT, status=403, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        backfill_sheet.write_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-hoi-to-nhiem-vu.xlsx"'
    return response
