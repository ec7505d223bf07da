"""Enrollment in the admin: choose the person, record their consent, upload 1–5 photos.

Only the biometric role sees the page (and its sidebar link). Every photo is checked
as GraphQL's `enrollFace` does (`services.enroll`), and each problem is shown beside
its photo with a 400; nothing is stored until all photos pass.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from modules.engine import registry
from modules.engine.errors import EngineError, problems_by_field

from . import faces, services

CONSENT_TEMPLATE = (
    "Tôi đồng ý để Bộ Khoa học và Công nghệ thu thập, xử lý dữ liệu khuôn mặt của tôi nhằm chấm công "
    "và nhắc việc; dữ liệu chỉ dùng cho mục đích này và được xoá khi tôi yêu cầu (Nghị định 13/2023/NĐ-CP)."
)


@login_required
@require_http_methods(["GET", "POST"])
def enroll_view(request: HttpRequest) -> HttpResponse:
    if not services.may_manage(request.user):
        return HttpResponse(
            "Cần quyền quản trị dữ liệu sinh trắc học. / The biometric permission is needed.", status=403
        )
    people = registry.model_for("org.Person").objects.select_related("owner_unit").order_by("full_name")
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": "Đăng ký khuôn mặt / Face enrollment",
        "people": people[:2000],
        "consent": CONSENT_TEMPLATE,
        "errors": {},
        "general": [],
        "chosen": request.POST.get("person", ""),
    }
    status = 200
    if request.method == "POST":
        photos = [faces.bounded_read(f) for f in request.FILES.getlist("photos")]
        consent = request.POST.get("consent", "")
        context["consent"] = consent
        if request.POST.get("agreed") != "yes":
            context["general"], status = ["Người được đăng ký phải đồng ý. / The person must agree."], 400
        else:
            try:
                services.enroll(
                    request.user,
                    request.POST.get("person", ""),
                    photos,
                    consent,
                    keep_photos=request.POST.get("keep_photos") == "yes",
                    via="admin",
                )
            except EngineError as exc:
                context["errors"], general = problems_by_field(exc)
                context["general"] += general
                status = 400
            else:
                messages.success(request, "Đã đăng ký khuôn mặt. / Face enrolled.")
                return redirect(reverse("admin:attendance_enrollment_changelist"))
    return render(request, "attendance/enroll.html", context, status=status)


def sidebar_links(request: HttpRequest) -> list[dict[str, Any]]:
    if not services.may_manage(request.user):
        return []
    return [{"title": "Đăng ký khuôn mặt", "icon": "add_a_photo", "link": reverse("attendance-enroll")}]
