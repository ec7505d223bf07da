"""A credential that arrives in a link, traded at once for a short-lived signed cookie.

Wall screens and kiosks are opened from a link that carries a token (`?token=`). Left
there, the token stays in the address bar, the history, the page's script and every
access-log line. The page instead checks it once, sets a signed, HttpOnly, SameSite
cookie scoped to its own path, and redirects to the same address without it.

The cookie holds only a signed claim (which token row, when), made with
`django.core.signing` and the SECRET_KEY; it lives `settings.BOARD_SESSION_SECONDS`
and the page renews it while the token stays valid. Whoever reads the claim checks
the token row again, so a revoked token ends its sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def max_age() -> int:
    return int(settings.BOARD_SESSION_SECONDS)


def recheck_seconds() -> float:
    """How often an open socket re-checks its token: a third of the session's life."""
    return max(1.0, max_age() / 3)


@dataclass(frozen=True)
class PageSession:
    cookie: str  # the cookie's name
    path: str  # the pages (and their endpoints) it is sent to, e.g. "/board/"
    salt: str  # keeps one kind's signatures from passing as another's

    def sign(self, claims: dict[str, Any]) -> str:
        return signing.dumps(claims, salt=self.salt)

    def claims(self, value: str | None) -> dict[str, Any] | None:
        """The claims of a cookie value signed by us within `max_age()`, else None."""
        if not value:
            return None
        try:
            data = signing.loads(value, salt=self.salt, max_age=max_age())
        except signing.BadSignature:  # tampered, or expired (SignatureExpired is one)
            return None
        return data if isinstance(data, dict) else None

    def read(self, request: HttpRequest) -> dict[str, Any] | None:
        return self.claims(request.COOKIES.get(self.cookie))

    def attach(self, response: HttpResponse, claims: dict[str, Any]) -> HttpResponse:
        """Set (or renew: a fresh timestamp) the cookie on `response`."""
        response.set_cookie(
            self.cookie,
            self.sign(claims),
            max_age=max_age(),
            path=self.path,
            secure=settings.SESSION_COOKIE_SECURE,  # on with HTTPS=true
            httponly=True,  # the page's script never sees it
            samesite="Lax",  # sent when the link is opened, never with another site's requests
        )
        return response

    def clear(self, response: HttpResponse) -> HttpResponse:
        response.delete_cookie(self.cookie, path=self.path, samesite="Lax")
        return response

    def trade(self, request: HttpRequest, claims: dict[str, Any], param: str = "token") -> HttpResponse:
        """The answer to a valid `?token=`: the cookie, and a redirect to the address without it."""
        response = HttpResponseRedirect(without_param(request, param))
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return self.attach(response, claims)


def without_param(request: HttpRequest, name: str) -> str:
    """The request's path and query string, minus one parameter."""
    kept = [(key, value) for key, values in request.GET.lists() if key != name for value in values]
    return request.path + (f"?{urlencode(kept)}" if kept else "")
