"""A new version of a report form from the admin: copy the indicators into a draft to edit and publish.

The published version stays in force (and periods keep theirs) until the draft is published.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from modules.engine import access, registry
from modules.engine.errors import EngineError, NotFound, PermissionDenied

from .api import new_form_version


@login_required
@require_http_methods(["GET", "POST"])
def new_version_view(request: HttpRequest, form_id: str) -> HttpResponse:
    """GET asks to confirm; POST makes the draft and opens it."""
    if request.method == "GET":
        entity = registry.entity_by_label("reporting.ReportForm")
        form = access.scoped_queryset(request.user, entity, "view").filter(pk=form_id).first()
        if form is None:
            raise Http404("Không tìm thấy biểu mẫu. / Form not found.")
        context = {
            **admin.site.each_context(request),
            "title": f"Phiên bản mới của «{form.title}»",
            "form": form,
        }
        return render(request, "reporting/new_version.html", context)
    try:
        draft = new_form_version(request.user, form_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        return HttpResponseForbidden(exc.message)
    except EngineError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("admin:reporting_reportform_change", args=[form_id]))
    messages.success(request, f"Đã tạo phiên bản {draft.version_no} (bản nháp). / Draft version created.")
    return redirect(reverse("admin:reporting_reportform_change", args=[draft.pk]))


def form_links(form: Any, user: Any) -> list[dict[str, str]]:
    if form.state == "draft":
        return []
    return [
        {
            "title": "Tạo phiên bản mới / New version",
            "url": reverse("reporting-new-version", args=[form.pk]),
            "icon": "content_copy",
        }
    ]
