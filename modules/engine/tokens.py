"""Personal API tokens: `Authorization: Bearer <token>` for GraphQL and sockets.

Platform plumbing, not a domain: the table is `settings.ONEMST_TOKEN_MODEL` (the org
module's `ApiToken`); the logic is here. Only a SHA-256 hash is stored; the token is
shown once, when created.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.apps import apps
from django.conf import settings
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


def token_model() -> Any:
    return apps.get_model(settings.ONEMST_TOKEN_MODEL)


def live_tokens() -> Any:
    """Tokens that still work: unrevoked, unexpired, of an active user."""
    return (
        token_model()
        .objects.select_related("user")
        .filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
    )


def _touch(token: Any) -> None:
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token_model().objects.filter(pk=token.pk).update(last_used_at=now)


def active_token(raw: str | None) -> Any | None:
    """The valid token row for a raw token, else None (its use is recorded, once a minute)."""
    if not raw:
        return None
    token = live_tokens().filter(key_hash=hash_token(raw)).first()
    if token is not None:
        _touch(token)
    return token


def token_user(token: Any) -> Any:
    """The token's user, marked `onemst_read_only` for a read-only token."""
    user = token.user
    user.onemst_read_only = token.read_only
    return user


def user_for_token(raw: str | None) -> Any | None:
    """The active user owning a valid (unrevoked, unexpired) token, else None.

    The user object carries `onemst_read_only` when the token is a read-only one.
    """
    token = active_token(raw)
    return token_user(token) if token is not None else None


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
