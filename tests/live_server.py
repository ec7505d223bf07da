"""Run the real platform (Daphne + config.asgi) against the test database, for socket tests."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_env() -> dict[str, str]:
    """Point the server at the database pytest-django created for this test run."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return {"SQLITE_PATH": str(settings["NAME"])}
    user, password = settings.get("USER", ""), settings.get("PASSWORD", "")
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or "5432"
    return {"DATABASE_URL": f"postgres://{user}:{password}@{host}:{port}/{settings['NAME']}"}


@contextmanager
def daphne_server(extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Start Daphne on a free port; yield its base URL (http://127.0.0.1:PORT)."""
    port = _free_port()
    env = {
        **os.environ,
        **_database_env(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **(extra_env or {}),
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"daphne-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"daphne exited: {(ROOT / 'var' / f'daphne-{port}.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# --- GraphQL over the running server -------------------------------------------------


def post_graphql(base: str, token: str, query: str, variables: dict | None = None) -> dict:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


async def wait_until_listening(group: str, settle: float = 1.0) -> None:
    """Wait until a subscription has joined `group`: in Redis when REDIS_URL is set, else a short settle."""

    url = os.environ.get("REDIS_URL")
    if not url:
        await asyncio.sleep(settle)
        return
    import redis.asyncio

    prefix = os.environ.get("CHANNELS_PREFIX", "onemst")
    client = redis.asyncio.from_url(url)
    try:
        for _ in range(300):
            if await client.zcard(f"{prefix}:group:{group}"):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"no subscriber joined {group!r}")
    finally:
        await client.aclose()


async def server_listening(transport: Any, timeout: float = 20) -> None:
    """Wait for the server's word that a subscription hears every event from now on:
    a graphql-transport-ws `ping` whose payload is `{"listening": <operation id>}`."""

    async def announced() -> None:
        while True:
            await transport.ping_received.wait()
            transport.ping_received.clear()
            if "listening" in (transport.payloads.get("ping") or {}):
                return

    await asyncio.wait_for(announced(), timeout)


async def collect_events(
    base: str,
    token: str,
    document: str,
    variables: dict,
    field: str,
    received: list,
    started: asyncio.Event,
) -> None:
    """Subscribe and append every event to `received` until cancelled; set `started` once the
    server says it listens."""

    from gql import Client, gql
    from gql.transport.websockets import WebsocketsTransport

    transport = WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql/",
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=["graphql-transport-ws"],
        connect_timeout=20,
        ack_timeout=20,
    )
    async with Client(transport=transport) as session:
        subscription = session.subscribe(gql(document), variable_values=variables)
        pending = asyncio.ensure_future(subscription.__anext__())
        await server_listening(transport)
        started.set()
        while True:
            received.append((await pending)[field])
            pending = asyncio.ensure_future(subscription.__anext__())


def run_manage(*args: str, extra_env: dict[str, str] | None = None, timeout: int = 180) -> str:
    """Run `manage.py` in a separate process against the test database (like the job worker)."""
    env = {**os.environ, **_database_env(), "DJANGO_SETTINGS_MODULE": "tests.settings", **(extra_env or {})}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    return done.stdout


def post_image(url: str, image: bytes, headers: dict[str, str], field: str = "image") -> dict:
    """POST one JPEG as multipart/form-data (what a kiosk sends) and return the JSON answer."""
    import json
    import urllib.request
    import uuid

    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="frame.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + image
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **headers}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())
