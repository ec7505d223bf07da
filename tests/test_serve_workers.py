"""`manage.py serve --workers N`: the production layout, N Daphne processes on one address.

Checked on a running server: N Daphne children share the socket, concurrent requests
all get 200, a live event reaches every subscriber whichever process holds its socket,
a worker that dies is replaced, and several workers without a shared channel layer are
refused with the reason.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from modules.engine.models import ApiToken
from tests.live_server import _database_env, _free_port, collect_events, post_graphql

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUERY = "{ units(pagination: {limit: 20}) { totalCount results { code name } } }"


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def held_connections(pid: int, port: int) -> int:
    """Established TCP connections to `port` whose socket this process holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port and parts[3] == "01" and parts[9] in inodes:
                count += 1
    return count


@contextmanager
def served(workers: int) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = {
        **os.environ,
        **_database_env(),
        "REDIS_URL": REDIS,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    log = open(ROOT / "var" / f"serve-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--workers", str(workers), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (ROOT / "var" / f"serve-{port}.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not listen"
                time.sleep(0.2)
        # the socket listens before a worker is ready: wait for a first answer
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}"), 120)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        finally:
            log.close()
    assert process.returncode == 0
    assert not children(process.pid)


def ask(base: str, raw: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {raw}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, json.loads(response.read())


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/admin/login/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_one_address(org):
    _, raw = ApiToken.issue(org.admin, "ci")
    with served(2) as (base, process):
        wait_for(lambda: len(children(process.pid)) == 2)
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: ask(base, raw), range(48)))
        assert all(status == 200 and body["data"]["units"]["totalCount"] == 5 for status, body in answers)
        # a worker that dies is replaced, and the address keeps answering meanwhile
        first = children(process.pid)[0]
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: first not in children(process.pid) and len(children(process.pid)) == 2)
        assert all(ask(base, raw)[0] == 200 for _ in range(6))


SUBSCRIPTION = "subscription { unitChanged { action node { code name } } }"
CREATE = (
    'mutation { createUnit(input: {code: "SKHCN-02", name: "Sở KH&CN Hà Giang", kind: PROVINCIAL_DOST}) '
    "{ ok errors { field message } } }"
)


@pytest.mark.django_db(transaction=True)
def test_a_live_event_reaches_sockets_held_by_every_worker(org):
    """Eight sockets spread over two processes; a write through the address reaches all of them."""
    _, raw = ApiToken.issue(org.admin, "ci")

    async def scenario(base: str, process: subprocess.Popen) -> list[list] | None:
        """None when one worker holds no socket yet (it is still starting): the caller retries."""
        port = int(base.rsplit(":", 1)[1])
        received: list[list] = [[] for _ in range(8)]
        started = [asyncio.Event() for _ in range(8)]
        listeners = [
            asyncio.ensure_future(collect_events(base, raw, SUBSCRIPTION, {}, "unitChanged", got, ready))
            for got, ready in zip(received, started, strict=True)
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*(s.wait() for s in started)), 90)
            if not all(held_connections(pid, port) for pid in children(process.pid)):
                return None
            answer = await asyncio.to_thread(post_graphql, base, raw, CREATE)
            assert answer["data"]["createUnit"]["ok"] is True, answer
            deadline = time.monotonic() + 30
            while not all(received) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            return received
        finally:
            for listener in listeners:
                listener.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)

    with served(2) as (base, process):
        wait_for(lambda: len(children(process.pid)) == 2)
        for _ in range(30):
            received = asyncio.run(scenario(base, process))
            if received is not None:
                break
            time.sleep(1)
        assert received is not None, "the sockets never reached both workers"
    assert all(len(got) == 1 for got in received), received
    assert {(got[0]["action"], got[0]["node"]["name"]) for got in received} == {
        ("CREATED", "Sở KH&CN Hà Giang")
    }


@pytest.mark.django_db
@override_settings(CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}})
def test_several_workers_without_a_shared_layer_are_refused():
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("serve", workers=2, port=_free_port())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", workers=0, port=_free_port())
