"""The settings before issue 13's per-request cuts, for `bench/request_overhead_ab.py`'s
"before" side: the token middleware back after AuthenticationMiddleware (so the three
middleware below it run async, a thread hop per hook) and Django's own Redis pool per
cache object (a new socket per request)."""

from tests.settings import *  # noqa: F403

TOKEN = "modules.engine.tokens.BearerTokenMiddleware"
MIDDLEWARE = [m for m in MIDDLEWARE if m != TOKEN]  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1, TOKEN)
CACHES["default"].get("OPTIONS", {}).pop("pool_class", None)  # noqa: F405
