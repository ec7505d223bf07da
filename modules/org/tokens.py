"""Personal API tokens: `Authorization: Bearer <token>` for GraphQL and sockets.

Only a SHA-256 hash is stored; the token is shown once, when created.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

PREFIX = "omst_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def bearer_from_header(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def user_for_token(raw: str | None) -> Any | None:
    """The active user owning a valid (unrevoked, unexpired) token, else None.

    The user object carries `onemst_read_only` when the token is a read-only one.
    """
    if not raw:
        return None
    from .models import ApiToken

    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.onemst_read_only = token.read_only
    return token.user


class BearerTokenMiddleware:
    """Authenticate requests that carry a bearer token; refuse bad tokens with 401.

    Token requests are exempt from CSRF (no ambient credentials to abuse).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        header = request.META.get("HTTP_AUTHORIZATION")
        raw = bearer_from_header(header)
        if header and raw is None and header.lower().startswith("bearer"):
            return _unauthorized("Thiếu mã truy cập. / Missing token.")
        if raw is not None:
            user = user_for_token(raw)
            if user is None:
                return _unauthorized(
                    "Mã truy cập không hợp lệ, đã hết hạn hoặc bị thu hồi. / "
                    "Invalid, expired or revoked token."
                )
            request.user = user
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)


def _unauthorized(message: str) -> Any:
    from django.http import JsonResponse

    response = JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="onemst"'
    return response


def page_viewer(request: Any) -> tuple[Any, str | None] | Any:
    """Who is looking at a live page: the signed-in user, or the owner of `?token=`.

    Returns (user, raw token or None), or the response to send instead: 403 for a bad
    token, a redirect to the log-in page for an anonymous visitor. Wall screens use a
    read-only token so that no one has to stay signed in on them.
    """
    from django.contrib.auth.views import redirect_to_login
    from django.http import HttpResponse

    raw = request.GET.get("token", "").strip()
    if raw:
        user = user_for_token(raw)
        if user is None:
            return HttpResponse(
                "Mã bảng tin không hợp lệ hoặc đã hết hạn. / Invalid or expired board token.", status=403
            )
        return user, raw
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return request.user, None
