"""Per-request waste cut for issue 13: no Redis socket per request, no thread hops per
middleware hook. Each test counts the waste itself (sockets Redis accepted, hooks that
crossed threads), so it fails if the waste comes back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import redis
from asgiref import sync as asgiref_sync
from django.core.cache.backends.redis import RedisCache
from django.test import AsyncClient

from modules.org.models import ApiToken

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
SHARED = "config.redispool.SharedConnectionPool"


def accepted_connections() -> int:
    """Connections Redis has accepted since it started (its own counter)."""
    return int(redis.Redis.from_url(REDIS).info("stats")["total_connections_received"])


def per_request_caches(pool_class: str | None, requests: int) -> int:
    """What `requests` requests do: each builds its own cache object (Django keeps one per
    async context) and reads two keys, as the token check does. Returns sockets opened."""
    options = {"pool_class": pool_class} if pool_class else {}
    before = accepted_connections()
    for _ in range(requests):
        RedisCache(REDIS, {"KEY_PREFIX": "overhead-test", "OPTIONS": options}).get_many(["a", "b"])
    return accepted_connections() - 1 - before  # minus the counter's own connection


def test_requests_cache_objects_share_one_redis_socket() -> None:
    assert per_request_caches(None, 20) >= 20  # the stock pool: a new socket each time
    opened = per_request_caches(SHARED, 20)
    assert opened <= 1, f"{opened} sockets for 20 requests"


PROBE = """
import json
from django.core.cache import caches
a, b = caches.create_connection("default"), caches.create_connection("default")
print(json.dumps({"pool": type(a._cache._get_connection_pool(False)).__name__,
                  "same": a._cache._get_connection_pool(False) is b._cache._get_connection_pool(False)}))
"""


def test_production_settings_use_the_shared_pool() -> None:
    """With REDIS_URL (production), two requests' cache objects hold the one pool."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(REDIS_URL=REDIS, DJANGO_SETTINGS_MODULE="config.settings")
    env["SQLITE_PATH"] = str(ROOT / "var" / "probe.sqlite3")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"pool": "SharedConnectionPool", "same": True}


async def asgi_post(body: bytes, authorization: str) -> tuple[int, Any, bytes]:
    """One request through Django's async handler (the middleware chain Daphne runs)."""
    response = await AsyncClient().post(
        "/graphql/", body, content_type="application/json", headers={"authorization": authorization}
    )
    return response.status_code, response, response.content


@pytest.mark.django_db(transaction=True)
async def test_middleware_hooks_run_without_thread_hops(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A token request crosses threads at the chain's top and around the view, never per
    middleware hook (`process_request`/`process_response` sent through sync_to_async)."""
    from asgiref.sync import sync_to_async

    _token, raw = await sync_to_async(ApiToken.issue)(org.officer_a, "overhead")
    hooks: list[str] = []
    original = asgiref_sync.SyncToAsync.__init__

    def counting(self: Any, func: Any, *args: Any, **kwargs: Any) -> None:
        name = getattr(func, "__name__", "")
        if name in {"process_request", "process_response"}:
            hooks.append(f"{type(getattr(func, '__self__', None)).__name__}.{name}")
        original(self, func, *args, **kwargs)

    monkeypatch.setattr(asgiref_sync.SyncToAsync, "__init__", counting)
    body = json.dumps({"query": "{ units(pagination: {limit: 5}) { results { code } } }"}).encode()
    status, headers, answer = await asgi_post(body, f"Bearer {raw}")
    assert status == 200 and b'"code"' in answer, answer
    assert hooks == [], hooks

    # The token is still checked, and the refusal still passes the outer middleware (headers).
    status, headers, answer = await asgi_post(body, "Bearer omst_not-a-token")
    assert status == 401 and json.loads(answer)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert headers.headers.get("X-Frame-Options") == "DENY"
    assert hooks == [], hooks
