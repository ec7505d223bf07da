"""Origin check for WebSockets that still admits non-browser clients.

Browsers always send `Origin` and carry session cookies, so a browser socket
must come from an allowed host. Clients without `Origin` (scripts, apps) can
only authenticate with a token, which cross-site pages cannot read.
"""

from __future__ import annotations

from typing import Any

from channels.security.websocket import OriginValidator
from django.conf import settings


class BrowserOriginValidator(OriginValidator):
    def __init__(self, application: Any) -> None:
        allowed = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG:
            allowed += [".localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, allowed)

    def valid_origin(self, parsed_origin: Any) -> bool:
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)
