"""The kiosk page's session: its `?token=` traded for a signed cookie scoped to /kiosk/.

A kiosk's token is its own kind (`Kiosk.token_hash`, made on the kiosk's admin page), not
a person's API token. The page checks it once, sets the cookie and reloads without it, so
the token leaves the address bar, the history and the page's script; the page then posts
its captures to /kiosk/checkin with the cookie. Devices that are not browsers keep using
the X-Kiosk-Token header on /attendance/checkin. The claim names the kiosk and a piece
of its token's hash: a new token, or a disabled kiosk, ends the old sessions.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from modules.engine import pagesession

from . import services

KIOSK = pagesession.PageSession(cookie="onemst_kiosk", path="/kiosk/", salt="onemst.kiosk-session")
RENEW = "/kiosk/session"
CHECKIN = "/kiosk/checkin"


def claims_for(kiosk: Any) -> dict[str, Any]:
    return {"k": kiosk.pk, "h": kiosk.token_hash[:16]}


def session_kiosk(request: HttpRequest) -> Any | None:
    """The active kiosk of the request's kiosk session, else None."""
    claims = KIOSK.read(request)
    if not claims or not isinstance(claims.get("k"), int) or not claims.get("h"):
        return None
    return (
        services.model("Kiosk")
        .objects.select_related("site")
        .filter(pk=claims["k"], is_active=True, token_hash__startswith=str(claims["h"]))
        .first()
    )
