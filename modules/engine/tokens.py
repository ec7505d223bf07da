"""Personal API tokens: `Authorization: Bearer <token>` for GraphQL and sockets.

Platform plumbing, not a domain: the table is the engine's `ApiToken` (models.py); the
logic is here. Only a SHA-256 hash is stored; the token is
shown once, when created.

A valid token is kept in the process for `ONEMST_TOKEN_CACHE_SECONDS` (5 s), so a
request costs one shared-cache read instead of a database query. The entry carries
two generations (the tokens' and the users' facts, `authcache`), read on every
request: revoking, expiring or deleting a token through the ORM (`save`, `delete`,
a queryset's `update`) or changing its user moves them, so every process refuses
the token at its next request. Only a change made outside Django (raw SQL) waits
for the short bound.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import time
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from . import authcache

PREFIX = "omst_"
GENERATION_KEY = "onemst:tokens:generation"
MAX_ENTRIES = 10_000


class _Entry(NamedTuple):
    generations: tuple[str, str]
    fetched: float  # time.monotonic()
    token: Any


_entries: dict[str, _Entry] = {}


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
    return apps.get_model("engine", "ApiToken")  # not imported: models.py imports this module


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
        token.last_used_at = now


def _generations() -> tuple[str, str]:
    """The tokens' and the users' generations, in one read of the shared cache."""
    found = cache.get_many([GENERATION_KEY, authcache.GENERATION_KEY])
    if len(found) < 2:
        return authcache.generation_of(GENERATION_KEY), authcache.current_generation()
    return found[GENERATION_KEY], found[authcache.GENERATION_KEY]


def _cached(key_hash: str, generations: tuple[str, str]) -> Any | None:
    entry = _entries.get(key_hash)
    if entry is None:
        return None
    ttl = getattr(settings, "ONEMST_TOKEN_CACHE_SECONDS", 5)
    fresh = entry.generations == generations and time.monotonic() - entry.fetched < ttl
    if not fresh or entry.token.expires_at <= timezone.now():
        _entries.pop(key_hash, None)
        return None
    return entry.token


def active_token(raw: str | None) -> Any | None:
    """The valid token row for a raw token, else None (its use is recorded, once a minute)."""
    if not raw:
        return None
    key_hash = hash_token(raw)
    generations = _generations()
    token = _cached(key_hash, generations)
    if token is None:
        token = live_tokens().filter(key_hash=key_hash).first()
        if token is None:
            return None
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key_hash] = _Entry(generations, time.monotonic(), token)
    _touch(token)
    return token


def forget(*_args: Any, **_kwargs: Any) -> None:
    """Every process drops its kept tokens at its next request (a signal receiver)."""
    authcache.move_generation(GENERATION_KEY)


class TokenQuerySet(models.QuerySet):
    """A token table's queryset: a bulk `update` (e.g. the admin's revoke) is seen at once too."""

    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        if set(kwargs) != {"last_used_at"}:
            forget()
        return count


def connect_token_signals() -> None:
    """Saving or deleting a token (one by one) moves the generation."""
    authcache.invalidate_when_saved(token_model(), receiver=forget)


def token_user(token: Any) -> Any:
    """The token's user (a copy per request), marked `onemst_read_only` for a read-only token."""
    user = copy.copy(token.user)
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
