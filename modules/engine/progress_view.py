"""GET /jobs/<id>/progress: a background job's state as JSON, for its owner only (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from . import background


@login_required
@require_GET
def progress_view(request: HttpRequest, job_id: str) -> JsonResponse:
    job = background.find(request.user, job_id)
    if job is None:
        raise Http404("Không tìm thấy việc nền. / Job not found.")
    response = JsonResponse(background.status(job), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
