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

from modules.engine.models import ApiToken

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


# --- GraphQL POSTs in one thread hop (config/onehop.py) ---

MUTATION = """mutation($t: String!) { createSampleProject(input: {title: $t, priority: NORMAL, budget: "10"}) {
    ok node { id } errors { message } } }"""


async def asgi_call(app: Any, body: bytes, headers: dict[str, str], path: str = "/graphql/") -> dict:
    """One HTTP request through an ASGI app, as Daphne sends it; status, headers and body back."""
    import asyncio

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost"), (b"content-type", b"application/json")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []

    async def receive() -> dict:
        if pending:
            return pending.pop(0)
        await asyncio.Event().wait()  # the client stays connected
        return {}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    return {
        "status": start["status"],
        "headers": sorted((k.decode().lower(), v.decode()) for k, v in start["headers"]),
        "body": b"".join(m.get("body", b"") for m in sent[1:]),
    }


def handlers() -> dict[str, Any]:
    from django.core.handlers.asgi import ASGIHandler

    from config.onehop import OneHopASGIHandler

    return {"django": ASGIHandler(), "one hop": OneHopASGIHandler()}


@pytest.mark.django_db(transaction=True)
async def test_one_hop_answers_as_djangos_handler(org: Any) -> None:
    """Same status, headers (security, frame, referrer, content type) and bytes as Django's own
    handler: with a token, with a refused token, without one, and for a body that is not JSON."""
    from asgiref.sync import sync_to_async

    _token, raw = await sync_to_async(ApiToken.issue)(org.officer_a, "one hop")
    query = json.dumps({"query": "{ units(pagination: {limit: 5}) { results { code name } } }"}).encode()
    cases = [
        (query, {"authorization": f"Bearer {raw}"}),
        (query, {"authorization": "Bearer omst_not-a-token"}),
        (query, {}),
        (b"{not json", {"authorization": f"Bearer {raw}"}),
    ]
    apps = handlers()
    for body, headers in cases:
        answers = {name: await asgi_call(app, body, headers) for name, app in apps.items()}
        assert answers["one hop"] == answers["django"], (headers, answers)
    ok = await asgi_call(apps["one hop"], query, cases[0][1])
    assert ok["status"] == 200 and b'"code"' in ok["body"], ok
    assert ("x-frame-options", "DENY") in ok["headers"]
    assert ("x-content-type-options", "nosniff") in ok["headers"]
    refused = await asgi_call(apps["one hop"], query, cases[1][1])
    assert refused["status"] == 401
    assert json.loads(refused["body"])["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.django_db(transaction=True)
async def test_one_hop_records_the_tokens_user_in_history(org: Any) -> None:
    """A mutation sent with a token: the history row names the token's user (HistoryRequestMiddleware)."""
    from asgiref.sync import sync_to_async

    from modules.engine import registry

    _token, raw = await sync_to_async(ApiToken.issue)(org.officer_a, "one hop")
    body = json.dumps({"query": MUTATION, "variables": {"t": "Một bước"}}).encode()
    made = await asgi_call(handlers()["one hop"], body, {"authorization": f"Bearer {raw}"})
    assert made["status"] == 200 and json.loads(made["body"])["data"]["createSampleProject"]["ok"], made

    def history_users() -> list[Any]:
        model = registry.model_for("sample.SampleProject")
        return list(model.history.filter(title="Một bước").values_list("history_user_id", flat=True))

    assert await sync_to_async(history_users)() == [org.officer_a.pk]


@pytest.mark.django_db(transaction=True)
async def test_one_hop_crosses_threads_once_on_kept_threads(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten GraphQL POSTs: one `sync_to_async` call each (Django's handler: three or more), all on
    the process's kept threads, and each request's start, view and finish on one thread."""
    import threading

    from asgiref.sync import sync_to_async
    from django.core import signals

    _token, raw = await sync_to_async(ApiToken.issue)(org.officer_a, "one hop")
    body = json.dumps({"query": "{ units(pagination: {limit: 5}) { results { code } } }"}).encode()
    headers = {"authorization": f"Bearer {raw}"}
    hops: list[str] = []
    original = asgiref_sync.SyncToAsync.__init__

    def counting(self: Any, func: Any, *args: Any, **kwargs: Any) -> None:
        hops.append(getattr(func, "__qualname__", repr(func)))
        original(self, func, *args, **kwargs)

    threads: list[tuple[str, int]] = []

    def started(**_kwargs: Any) -> None:
        threads.append(("started", threading.get_ident()))

    def finished(**_kwargs: Any) -> None:
        threads.append(("finished", threading.get_ident()))

    apps = handlers()  # building the chains makes adapters of their own: before counting
    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    monkeypatch.setattr(asgiref_sync.SyncToAsync, "__init__", counting)
    try:
        for _ in range(10):
            assert (await asgi_call(apps["one hop"], body, headers))["status"] == 200
        one_hop, one_hop_threads = list(hops), list(threads)
        hops.clear()
        for _ in range(3):
            assert (await asgi_call(apps["django"], body, headers))["status"] == 200
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert len(one_hop) == 10, one_hop
    assert len(hops) >= 9, hops  # Django's handler: the signal, the chain, the close, for each
    kept = {t.ident for t in threading.enumerate() if t.name.startswith("onemst-http")}
    assert {ident for _what, ident in one_hop_threads} <= kept
    pairs = list(zip(one_hop_threads[::2], one_hop_threads[1::2], strict=True))
    assert all(s[0] == "started" and f[0] == "finished" and s[1] == f[1] for s, f in pairs), pairs


def test_content_type_parsing_is_remembered_with_the_same_answers() -> None:
    """Twisted's parser (config/content_type_cache.py): the same media type for each header
    value as the parser's own, and a repeat is a cache hit."""
    from twisted.web import http

    from config import content_type_cache

    headers = [b"application/json", b"application/json; charset=utf-8", b"Multipart/Form-Data; boundary=x",
               b"text/plain;charset=UTF-8", b"", b"garbage"]
    content_type_cache.install()
    cached = http._parseContentType
    original = cached.__wrapped__
    assert [cached(h) for h in headers] == [original(h) for h in headers]
    assert [original(h) for h in headers[:3]] == [b"application/json", b"application/json", b"multipart/form-data"]
    hits = cached.cache_info().hits
    cached(b"application/json")
    assert cached.cache_info().hits == hits + 1
    content_type_cache.install()  # twice: still one wrapper
    assert http._parseContentType is cached


@pytest.mark.django_db(transaction=True)
def test_daphne_leaves_a_form_body_to_django() -> None:
    """config/raw_request_body.py: Twisted no longer parses a multipart body before Django.

    A body Twisted's parser refuses (multipart without a boundary) used to get Twisted's bare
    400 page and a disconnect, before the view ran; now the view answers it as it answers any
    request of an unknown kiosk, and a well-formed upload is answered the same way."""
    import urllib.error
    import urllib.request

    from tests.live_server import daphne_server

    def post(body: bytes, content_type: str) -> tuple[int, str, bytes]:
        request = urllib.request.Request(
            f"{base}/attendance/checkin",
            data=body,
            headers={"Content-Type": content_type, "X-Kiosk-Token": "omst_unknown"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.headers.get("Content-Type", ""), refused.read()

    well_formed = (
        b'--b\r\nContent-Disposition: form-data; name="image"; filename="f.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\nJPEG\r\n--b--\r\n"
    )
    with daphne_server() as base:
        answers = [post(well_formed, "multipart/form-data; boundary=b"),
                   post(b"not a multipart body", "multipart/form-data")]
    for status, content_type, body in answers:
        assert status == 401, (status, body[:200])
        assert content_type.startswith("application/json")
        assert json.loads(body)["error"] == "UNKNOWN_KIOSK"


@pytest.mark.django_db(transaction=True)
async def test_one_hop_answers_a_kiosk_check_in_as_djangos_handler(org: Any) -> None:
    """The kiosks' check-in also takes one hop (config/onehop.py `ONE_HOP_ROUTES`), with the same
    status, headers and bytes as Django's handler (but the stages' times in `Server-Timing`): an
    unknown kiosk, a known kiosk without a declared length, and a known kiosk's body that is no
    photo (each refusal typed)."""
    from asgiref.sync import sync_to_async

    from modules.engine import registry
    from modules.engine import services as engine
    from modules.engine.tokens import hash_token, new_token

    def make_kiosk() -> str:
        site = engine.create_record(
            registry.entity_by_label("attendance.Site"), org.admin, {"name": "Sảnh", "units": [org.office.pk]}
        )
        kiosk = engine.create_record(
            registry.entity_by_label("attendance.Kiosk"), org.admin, {"site": site.pk, "name": "Sảnh A"}
        )
        raw = new_token()
        type(kiosk).objects.filter(pk=kiosk.pk).update(token_hash=hash_token(raw), token_prefix=raw[:12])
        return raw

    raw = await sync_to_async(make_kiosk)()
    not_a_photo = b"GIF89a not a photo"
    cases = [
        (not_a_photo, {"x-kiosk-token": "omst_unknown", "content-length": str(len(not_a_photo))}, 401),
        (not_a_photo, {"x-kiosk-token": raw}, 411),
        (not_a_photo, {"x-kiosk-token": raw, "content-length": str(len(not_a_photo))}, 400),
    ]
    apps = handlers()
    path = "/attendance/checkin"
    assert apps["one hop"].one_hop({"method": "POST", "path": path, "root_path": ""})
    for body, headers, status in cases:
        answers = {name: await asgi_call(app, body, headers, path=path) for name, app in apps.items()}
        for answer in answers.values():
            answer["headers"] = [(k, v) for k, v in answer["headers"] if k != "server-timing"]
        assert answers["one hop"] == answers["django"], (headers, answers)
        assert answers["one hop"]["status"] == status, answers["one hop"]
        assert set(json.loads(answers["one hop"]["body"])) >= {"error", "message"}
