"""Origin check for WebSockets that still admits non-browser clients.

Browsers always send `Origin` and carry session cookies, so a browser socket
must come from an allowed host. Clients without `Origin` (scripts, apps) can
only authenticate with a token, which cross-site pages cannot read. A frontend served
from another origin is admitted when that origin is listed in WEBSOCKET_ALLOWED_ORIGINS
(by default, CORS_ALLOWED_ORIGINS).
"""

from __future__ import annotations

from typing import Any

from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    def __init__(self, application: Any) -> None:
        # our own host names, and the frontends' origins allowed from the environment
        allowed = list(settings.ALLOWED_HOSTS) + list(getattr(settings, "WEBSOCKET_ALLOWED_ORIGINS", []))
        if settings.DEBUG:
            allowed += [".localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    def valid_origin(self, parsed_origin: Any) -> bool:
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)
