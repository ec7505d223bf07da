"""The registers' downloads (`/van-ban/so/<name>.xlsx|pdf?from=YYYY-MM-DD&to=YYYY-MM-DD`) and the
exchange's acknowledgements (`/van-ban/lien-thong/phan-hoi`)."""

from __future__ import annotations

import datetime as dt
import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from modules.engine import registers as engine_registers

from . import exchange
from .registers import REGISTERS

BAD_PERIOD = (
    "Kỳ không hợp lệ: cần from và to dạng YYYY-MM-DD, from không sau to. / "
    "Invalid period: from and to as YYYY-MM-DD, from not after to."
)
TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@login_required
def register_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    register = REGISTERS.get(name)
    if register is None or fmt not in TYPES:
        raise Http404
    try:
        start = dt.date.fromisoformat(request.GET["from"])
        end = dt.date.fromisoformat(request.GET["to"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest(BAD_PERIOD, content_type="text/plain; charset=utf-8")
    if start > end or (end - start).days > 366 * 5:
        return HttpResponseBadRequest(BAD_PERIOD, content_type="text/plain; charset=utf-8")
    build = engine_registers.xlsx if fmt == "xlsx" else engine_registers.pdf
    response = HttpResponse(build(register, request.user, start, end), content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="so-{name}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


BAD_ACK = (
    'Phản hồi không hợp lệ: cần JSON {{"key", "status"}}; status là một trong {codes}. / '
    'Invalid acknowledgement: JSON {{"key", "status"}} expected; status is one of {codes}.'
)


@csrf_exempt
@require_POST
def exchange_acknowledgement(request: HttpRequest) -> HttpResponse:
    """The exchange reports a receipt or a handling status for a message it was sent."""
    token = getattr(settings, "DOCUMENT_EXCHANGE_TOKEN", "")
    # its own header: `Authorization: Bearer` belongs to the platform's API tokens (middleware)
    given = request.headers.get("X-Exchange-Token", "").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "UNAUTHENTICATED", "message": NOT_AUTHENTICATED}, status=401)
    try:
        data = json.loads(request.body or b"{}")
        key, status, note = str(data["key"]), str(data["status"]), str(data.get("note", ""))
    except (ValueError, KeyError, TypeError):
        key, status, note = "", "", ""
    codes = ", ".join(sorted(exchange.STATUS_CODES - {"sent", "recalled"}))
    if not key or status not in exchange.STATUS_CODES - {"sent", "recalled"}:
        return JsonResponse({"error": "BAD_INPUT", "message": BAD_ACK.format(codes=codes)}, status=400)
    with transaction.atomic():
        receipt = exchange.acknowledge(key, status, note)
    if receipt is None:
        return JsonResponse({"error": "NOT_FOUND", "message": UNKNOWN_KEY}, status=404)
    return JsonResponse({"ok": True})


NOT_AUTHENTICATED = "Thiếu hoặc sai khóa của trục liên thông. / Missing or wrong exchange token."
UNKNOWN_KEY = "Không có văn bản đã gửi với khóa này. / No document was sent with this key."
