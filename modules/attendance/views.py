"""HTTP for kiosks: POST /attendance/checkin, the kiosk page /kiosk/, and a kiosk's token.

A kiosk sends its token in the X-Kiosk-Token header. The check-in answers JSON: 200
with the match (or "not recognised"), 400 for an image that cannot be used, 401 for an
unknown kiosk, 413 for a too-large upload (the body's declared length is judged before it
is parsed; 411 without one), with the reason; a photo claiming more pixels than allowed is
a 400 TOO_MANY_PIXELS, refused before decoding; two or more faces of similar size are a
400 SEVERAL_FACES ("step closer"), with nothing recorded. An answer about a photo carries
the stages' times in a Server-Timing header (stages.py). The kiosk page runs in a
browser on a tablet: camera, steady-face capture, greeting and tasks.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from modules.engine import pagesession
from modules.engine.tokens import hash_token, new_token

from . import faces, kiosk_session, services
from .stages import StageTimer

# A frame (at most faces.MAX_BYTES) and the multipart envelope around it.
MAX_BODY = faces.MAX_BYTES + 64 * 1024


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _answer(payload: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(
        payload, status=status, json_dumps_params={"ensure_ascii": False, "default": _json_default}
    )


@csrf_exempt  # kiosks authenticate with their token, not a session
@require_POST
def checkin_view(request: HttpRequest) -> HttpResponse:
    raw = request.headers.get("X-Kiosk-Token")  # Authorization: Bearer is for people's API tokens
    # the kiosk page (/kiosk/checkin) comes with its session cookie instead: SameSite, so no CSRF
    kiosk = services.kiosk_for_token(raw) if raw else kiosk_session.session_kiosk(request)
    if kiosk is None:
        return _answer({"error": "UNKNOWN_KIOSK", "message": "Mã ki-ốt không hợp lệ. / Unknown kiosk."}, 401)
    refused = _body_refused(request)
    if refused is not None:
        return refused
    upload = request.FILES.get("image")
    if upload is not None and upload.size > faces.MAX_BYTES:
        return _answer({"error": faces.TOO_LARGE[0], "message": faces.TOO_LARGE[1]}, 413)
    data = upload.read() if upload is not None else request.body
    if not data:
        return _answer({"error": "NO_IMAGE", "message": "Thiếu ảnh. / No image sent."}, 400)
    timer = StageTimer()
    try:
        result = services.check_in(kiosk, data, timer=timer)
    except faces.FaceError as exc:
        timer.log(exc.code)
        status = 413 if exc.code == "TOO_LARGE" else 400
        return _timed(_answer({"error": exc.code, "message": exc.message}, status), timer)
    with timer.stage("answer"):
        response = _answer(result.__dict__)
    timer.log("recognised" if result.recognised else "not recognised")
    return _timed(response, timer)


def _timed(response: HttpResponse, timer: StageTimer) -> HttpResponse:
    """The stages' milliseconds in a Server-Timing header (shown by browsers' developer tools)."""
    response["Server-Timing"] = timer.server_timing()
    return response


def _body_refused(request: HttpRequest) -> HttpResponse | None:
    """411 without a declared length, 413 over MAX_BODY: judged before the body is parsed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or -1)
    except ValueError:
        length = -1
    if length < 0:
        return _answer(
            {"error": "LENGTH_REQUIRED", "message": "Thiếu độ dài nội dung. / Content-Length is required."},
            411,
        )
    if length > MAX_BODY:
        return _answer({"error": faces.TOO_LARGE[0], "message": faces.TOO_LARGE[1]}, 413)
    return None


def kiosk_view(request: HttpRequest) -> HttpResponse:
    """The kiosk screen. Its link's ?token= is traded for the kiosk session (a signed cookie)
    and the page reloads without it; the page's script never holds the token."""
    raw = request.GET.get("token", "").strip()
    if raw:
        kiosk = services.kiosk_for_token(raw)
        if kiosk is None:
            return HttpResponse("Mã ki-ốt không hợp lệ. / Unknown kiosk token.", status=403)
        return kiosk_session.KIOSK.trade(request, kiosk_session.claims_for(kiosk))
    kiosk = kiosk_session.session_kiosk(request)
    if kiosk is None:
        return HttpResponse(
            "Phiên ki-ốt đã hết hạn hoặc mã đã đổi: mở lại đường dẫn của ki-ốt. / "
            "The kiosk session has expired or its token changed: open the kiosk's link again.",
            status=403,
        )
    config = {
        "site": kiosk.site.name,
        "kiosk": kiosk.name,
        "checkin": kiosk_session.CHECKIN,
        "renew": {"url": kiosk_session.RENEW, "every": pagesession.recheck_seconds()},
    }
    return kiosk_session.KIOSK.attach(
        render(request, "attendance/kiosk.html", {"config": config}), kiosk_session.claims_for(kiosk)
    )


def kiosk_renew_view(request: HttpRequest) -> HttpResponse:
    """GET /kiosk/session: 204 with a fresh cookie while the kiosk and its token stand, else 401."""
    kiosk = kiosk_session.session_kiosk(request)
    if kiosk is None:
        return kiosk_session.KIOSK.clear(HttpResponse(status=401))
    return kiosk_session.KIOSK.attach(HttpResponse(status=204), kiosk_session.claims_for(kiosk))


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_token_view(request: HttpRequest, kiosk_id: str) -> HttpResponse:
    """A new token for a kiosk, shown once (only its hash is kept)."""
    if not request.user.has_perm("attendance.change_kiosk"):
        return HttpResponse("Không có quyền. / Not allowed.", status=403)
    kiosk = services.model("Kiosk").objects.filter(pk=kiosk_id).first() if kiosk_id.isdigit() else None
    if kiosk is None:
        raise Http404("Không tìm thấy ki-ốt. / Kiosk not found.")
    raw = None
    if request.method == "POST":
        raw = new_token()
        services.model("Kiosk").objects.filter(pk=kiosk.pk).update(
            token_hash=hash_token(raw), token_prefix=raw[:12]
        )
    context = {
        **admin.site.each_context(request),
        "title": f"Mã ki-ốt — {kiosk.name}",
        "kiosk": kiosk,
        "raw": raw,
        "url": request.build_absolute_uri(f"/kiosk/?token={raw}") if raw else "",
    }
    return render(request, "attendance/kiosk_token.html", context)
