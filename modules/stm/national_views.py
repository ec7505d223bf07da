"""The national S&T database's two doors: the province's package as a file (GET, for manual
upload) and the national list of tasks in progress coming down (POST, machine to machine)."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from modules.engine import registry
from modules.engine.access import directory, has_role_permission
from modules.engine.errors import InvalidInput

from . import national_export, national_list

MAX_LIST_BYTES = 20 * 1024 * 1024
NOT_AUTHENTICATED = (
    "Thiếu hoặc sai khóa của CSDL quốc gia về KH&CN. / Missing or wrong national S&T database token."
)
NOT_JSON = "Nội dung không phải JSON. / The body is not JSON."
TOO_LARGE = "Danh sách quá lớn (tối đa 20 MB). / The list is too large (20 MB at most)."
NO_UNIT = "Không tìm thấy đơn vị. / Unit not found."
FORBIDDEN = "Bạn không có quyền xuất dữ liệu nhiệm vụ KH&CN. / You may not export S&T task data."


def exporter_unit(user: Any, unit_id: Any) -> Any | None:
    """The unit whose package `user` asks for: theirs by default; another only within their sight."""
    units = registry.model_for("org.Unit").objects
    if unit_id in (None, ""):
        unit_id = directory().unit_id_of(user)
    try:
        unit = units.filter(pk=int(unit_id)).first()
    except (TypeError, ValueError):
        return None
    if unit is None:
        return None
    visible = None if user.is_superuser else directory().visible_unit_ids(user)
    return unit if visible is None or unit.pk in visible else None


def may_export(user: Any) -> bool:
    return bool(
        user.is_superuser or has_role_permission(user, registry.entity_by_label("stm.Expert"), "view")
    )


@login_required
@require_GET
def national_export_view(request: HttpRequest) -> HttpResponse:
    if not may_export(request.user):
        return JsonResponse({"error": "FORBIDDEN", "message": FORBIDDEN}, status=403)
    unit = exporter_unit(request.user, request.GET.get("unit"))
    if unit is None:
        return JsonResponse({"error": "NOT_FOUND", "message": NO_UNIT}, status=404)
    document = national_export.for_user(request.user, unit)
    day = document["generated_at"][:10]
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-khcn-{unit.code}-{day}.json"'
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def national_tasks_view(request: HttpRequest) -> HttpResponse:
    """The national database posts its whole list of tasks in progress."""
    token = getattr(settings, "STM_NATIONAL_INBOUND_TOKEN", "")
    # its own header: `Authorization: Bearer` belongs to the platform's API tokens (middleware)
    given = request.headers.get("X-National-Token", "").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "UNAUTHENTICATED", "message": NOT_AUTHENTICATED}, status=401)
    if len(request.body) > MAX_LIST_BYTES:
        return JsonResponse({"error": "TOO_LARGE", "message": TOO_LARGE}, status=413)
    try:
        document = json.loads(request.body or b"")
    except ValueError:
        return JsonResponse({"error": "BAD_INPUT", "message": NOT_JSON}, status=400)
    try:
        counts = national_list.store(document)
    except InvalidInput as exc:
        return JsonResponse(
            {
                "error": "BAD_INPUT",
                "message": exc.problems[0].message,
                "errors": [{"field": p.field, "code": p.code, "message": p.message} for p in exc.problems],
            },
            status=400,
        )
    return JsonResponse({"ok": True, **counts})
