"""Subscription fan-out: N WebSocket subscribers to `taskDeadlines` against a real Daphne.

For N = 100, 1,000 and 5,000 (every account of One MST on one machine), the script
opens N sockets (graphql-transport-ws, token in `connection_init`), subscribes each to
`taskDeadlines(unit: <province A>)`, then completes tasks through the GraphQL HTTP API,
one every few tenths of a second. Each completion is one deadline event that every
subscriber may see. It prints the delivery latency (from just before the mutation is
sent to the frame's arrival at the client, same machine, same clock) at p50/p95/p99,
and the number of events lost. Run with the in-memory layer and with Redis.

    .venv/bin/python bench/subscriptions.py                 # both layers, writes docs/benchmarks.md
    .venv/bin/python bench/subscriptions.py --sizes 100,1000 --layers memory --no-write

Not a test: nothing fails a build. A throwaway SQLite file in var/ is used and removed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import machine  # noqa: E402

DB_PATH = ROOT / "var" / "bench-subscriptions.sqlite3"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench/subscriptions.py: begin -->"
END = "<!-- bench/subscriptions.py: end -->"
WARM_UP = 5  # at most, per size
USERS = 20  # subscribers share these accounts (leaders, the head and officers of province A)
DEADLINES = "subscription($unit: ID) { taskDeadlines(unit: $unit) { id number status } }"
COMPLETE = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok errors { message } } }"


# --- the platform under test -------------------------------------------------------------


def setup_django() -> None:
    common.setup_django(DB_PATH)


def build_world(tasks: int) -> dict[str, Any]:
    """Units, the subscribers' accounts and tokens, an officer who completes tasks, and the tasks."""
    from django.contrib.auth.models import User

    from modules.engine import registry, services, workdays
    from modules.engine.roles import sync_roles
    from modules.org.models import ApiToken
    from tests.conftest import make_unit, make_user

    sync_roles()
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    ministry = make_unit(root, "BKHCN", "Bộ Khoa học và Công nghệ", "ministry")
    province = make_unit(root, "SKHCN-01", "Sở KH&CN Hà Nội", "provincial_dost", province_code="01")
    make_unit(root, "SKHCN-79", "Sở KH&CN TP. Hồ Chí Minh", "provincial_dost", province_code="79")
    viewers = [make_user(f"leader{i}", ministry, ("ministry_leader",)) for i in range(5)]
    viewers.append(make_user("head", province, ("unit_head",)))
    viewers += [make_user(f"officer{i}", province, ("provincial_officer",)) for i in range(USERS - 6)]
    tokens = [ApiToken.issue(user, "bench")[1] for user in viewers]
    doer = viewers[-1]
    entity = registry.entity_by_label("tasks.Task")
    deadline = workdays.add_working_days(workdays.today(), 10)
    made = [
        services.create_record(
            entity,
            viewers[0],
            {
                "title": f"Nhiệm vụ {i}",
                "content": "Đo độ trễ",
                "assigned_by": viewers[0].pk,
                "owner_unit": province.pk,
                "deadline": deadline,
            },
        )
        for i in range(tasks)
    ]
    return {
        "unit": str(province.pk),
        "tokens": tokens,
        "doer_token": ApiToken.issue(doer, "doer")[1],
        "tasks": [(str(t.pk), t.number, t.version) for t in made],
    }


def start_daphne(redis_url: str | None) -> tuple[subprocess.Popen, str]:
    extra = (
        {"REDIS_URL": redis_url, "CHANNELS_PREFIX": f"bench-{os.getpid()}-{time.monotonic_ns()}"}
        if redis_url
        else {}
    )
    return common.start_daphne(DB_PATH, extra)


def redis_reachable() -> str | None:
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None
    return url


# --- the subscribers -----------------------------------------------------------------------


class Subscriber(asyncio.Protocol):
    """A minimal graphql-transport-ws client on a raw socket.

    The measuring client must cost far less than the server it measures, on the
    same two cores: a general WebSocket library spends more per frame than the
    server does. Server frames are unmasked and small, so parsing is a few slices;
    the arrival time is taken once per read, before any parsing.
    """

    def __init__(self, index: int) -> None:
        self.index = index
        self.arrivals: dict[str, float] = {}  # task number -> arrival time
        self.transport: Any = None
        self.buffer = b""
        self.handshaken = False
        self.upgraded: asyncio.Future | None = None
        self.acked: asyncio.Future | None = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        if not self.handshaken:
            _head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            self.handshaken = True
            self.buffer = rest
            if self.upgraded and not self.upgraded.done():
                self.upgraded.set_result(True)
        while len(self.buffer) >= 2:
            length = self.buffer[1] & 0x7F
            start = 2
            if length == 126:
                if len(self.buffer) < 4:
                    return
                length, start = int.from_bytes(self.buffer[2:4], "big"), 4
            elif length == 127:
                if len(self.buffer) < 10:
                    return
                length, start = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < start + length:
                return
            opcode, payload = self.buffer[0] & 0x0F, self.buffer[start : start + length]
            self.buffer = self.buffer[start + length :]
            if opcode == 1:
                self.on_text(payload, now)
            elif opcode == 9:  # ping: answer, or the server closes the socket
                self.frame(0x8A, payload)

    def on_text(self, payload: bytes, now: float) -> None:
        at = payload.find(b'"number":')
        if at >= 0:
            start = payload.index(b'"', at + 9) + 1
            self.arrivals[payload[start : payload.index(b'"', start)].decode()] = now
        elif b"connection_ack" in payload and self.acked and not self.acked.done():
            self.acked.set_result(True)
        elif b'"ping"' in payload:
            self.send({"type": "pong"})

    def send(self, message: dict[str, Any]) -> None:
        self.frame(0x81, json.dumps(message).encode())

    def frame(self, first: int, data: bytes) -> None:
        header = bytes([first])
        length = len(data)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + length.to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + length.to_bytes(8, "big")
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.transport.write(header + mask + masked)

    def close(self) -> None:
        if self.transport:
            self.transport.close()


async def subscribe(host: str, token: str, unit: str, subscriber: Subscriber) -> None:
    import base64

    loop = asyncio.get_running_loop()
    address, port = host.split(":")
    subscriber.upgraded = loop.create_future()
    await loop.create_connection(lambda: subscriber, address, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    subscriber.transport.write(
        (
            f"GET /graphql/ HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
    )
    await asyncio.wait_for(subscriber.upgraded, 120)
    subscriber.acked = loop.create_future()
    subscriber.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    await asyncio.wait_for(subscriber.acked, 120)
    subscriber.send(
        {"id": "1", "type": "subscribe", "payload": {"query": DEADLINES, "variables": {"unit": unit}}}
    )


def complete(host: str, token: str, task: tuple[str, str, int]) -> None:
    request = urllib.request.Request(
        f"http://{host}/graphql/",
        data=json.dumps({"query": COMPLETE, "variables": {"id": task[0], "v": task[2]}}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    if not body.get("data", {}).get("taskComplete", {}).get("ok"):
        raise RuntimeError(f"completion failed: {body}")


async def run_size(
    host: str, world: dict[str, Any], size: int, events: int, offset: int, on_measure: Any = None
) -> dict[str, Any]:
    subscribers = [Subscriber(i) for i in range(size)]
    tokens = world["tokens"]
    gate = asyncio.Semaphore(100)

    async def open_one(s: Subscriber) -> None:
        async with gate:
            await subscribe(host, tokens[s.index % len(tokens)], world["unit"], s)

    started = time.perf_counter()
    await asyncio.gather(*(open_one(s) for s in subscribers))
    subscribe_seconds = time.perf_counter() - started
    loop = asyncio.get_running_loop()
    tasks = world["tasks"][offset : offset + events + WARM_UP]

    written: dict[str, float] = {}  # how long each mutation took, as its client saw it

    async def fire(task: tuple[str, str, int]) -> float:
        at = time.perf_counter()
        await loop.run_in_executor(None, complete, host, world["doer_token"], task)
        written[task[1]] = (time.perf_counter() - at) * 1000
        return at

    async def all_arrived(number: str, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and any(number not in s.arrivals for s in subscribers):
            await asyncio.sleep(0.05)

    # Warm-up: events until every subscription has shown it is live (a subscribe message
    # is acknowledged before the server has finished setting the subscription up).
    warm = 0
    while warm < WARM_UP:
        await fire(tasks[warm])
        await all_arrived(tasks[warm][1], 10 + size / 100)
        warm += 1
        if all(s.arrivals for s in subscribers):
            break
    live = sum(bool(s.arrivals) for s in subscribers)
    gap = max(0.3, size / 5000 * 1.0)
    fired: dict[str, float] = {}
    stop_measuring = on_measure() if on_measure else None
    for task in tasks[warm : warm + events]:
        fired[task[1]] = await fire(task)
        await asyncio.sleep(gap)
    for number in fired:
        await all_arrived(number, 15)
    if stop_measuring:
        stop_measuring()
    latencies = [
        (s.arrivals[number] - at) * 1000
        for s in subscribers
        for number, at in fired.items()
        if number in s.arrivals
    ]
    lost = size * len(fired) - len(latencies)
    if os.environ.get("BENCH_PER_EVENT"):
        for number, at in fired.items():
            mine = sorted((s.arrivals[number] - at) * 1000 for s in subscribers if number in s.arrivals)
            if mine:
                print(
                    f"  {number}: mutation {written[number]:.0f}, frames first {mine[0]:.0f} "
                    f"median {mine[len(mine) // 2]:.0f} last {mine[-1]:.0f} ms"
                )
    for s in subscribers:
        s.close()
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else float("nan")
        )

    return {
        "size": size,
        "subscribe_s": subscribe_seconds,
        "live": live,
        "events": len(fired),
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mutation_p50": statistics.median(written[n] for n in fired) if fired else float("nan"),
        "mutation_max": max(written[n] for n in fired) if fired else float("nan"),
        "max": latencies[-1] if latencies else float("nan"),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
        "lost": lost,
    }


def profiler(pid: int, path: str) -> Any:
    """Start py-spy on the server for the measured events only; returns a starter of a stopper."""

    def start() -> Any:
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--format",
                "raw",
                "-o",
                path,
                "-p",
                str(pid),
                "-r",
                "250",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1)

        def stop() -> None:
            spy.send_signal(2)
            spy.wait(timeout=60)

        return stop

    return start


# --- report ----------------------------------------------------------------------------------


def report(results: dict[str, list[dict[str, Any]]], events: int) -> str:
    lines = [
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M}, `{' '.join(sys.argv)}`; {machine()}; "
        f"one Daphne process, the client in one process on the same machine; {events} events per size.",
        "",
        "| layer | subscribers | subscribed in | live | p50 | p95 | p99 | max | lost | mutation p50 / max |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for layer, rows in results.items():
        for r in rows:
            lines.append(
                f"| {layer} | {r['size']:,} | {r['subscribe_s']:.1f} s | {r['live']:,} | {r['p50']:.0f} ms | "
                f"{r['p95']:.0f} ms | {r['p99']:.0f} ms | {r['max']:.0f} ms | {r['lost']} | "
                f"{r['mutation_p50']:.0f} / {r['mutation_max']:.0f} ms |"
            )
    return "\n".join(lines)


def write_doc(block: str) -> None:
    text = DOC.read_text()
    section = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Subscriptions (`bench/subscriptions.py`)\n\n" + section + "\n"
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--layers", default="memory,redis")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--profile", help="py-spy folded stacks of the server during the last size, to this file"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    setup_django()
    per_size = args.events + WARM_UP
    world = build_world(tasks=len(sizes) * per_size * 2)
    results: dict[str, list[dict[str, Any]]] = {}
    offset = 0
    for layer in args.layers.split(","):
        redis_url = redis_reachable() if layer == "redis" else None
        if layer == "redis" and redis_url is None:
            print("redis: no server on 127.0.0.1:6379, skipped")
            continue
        process, host = start_daphne(redis_url)
        try:
            for size in sizes:
                profile = None
                if args.profile and size == sizes[-1]:
                    profile = profiler(process.pid, args.profile)
                row = asyncio.run(run_size(host, world, size, args.events, offset, profile))
                offset += per_size
                results.setdefault(layer, []).append(row)
                print(
                    f"{layer:6} N={size:5}: subscribed {row['subscribe_s']:.1f}s live {row['live']} "
                    f"p50 {row['p50']:.0f} p95 {row['p95']:.0f} p99 {row['p99']:.0f} max {row['max']:.0f} ms "
                    f"lost {row['lost']} mutation p50 {row['mutation_p50']:.0f} max {row['mutation_max']:.0f} ms",
                    flush=True,
                )
        finally:
            process.terminate()
            process.wait(timeout=30)
    block = report(results, args.events)
    print(block)
    if not args.no_write:
        write_doc(block)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
