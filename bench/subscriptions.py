"""Subscription tail, end to end: N WebSocket subscribers to `taskDeadlines` on a real Daphne.

For each setup (SQLite + the in-memory layer, PostgreSQL + Redis) and each N (1,000 and
5,000 by default) the script opens N sockets (graphql-transport-ws, token in
`connection_init`), subscribes each to `taskDeadlines(unit: <province A>)`, then completes
at least 100 tasks through the GraphQL HTTP API, one at a time, a gap apart. Each completion
is one deadline event that every subscriber may see. A user's wait is split in two:

- write: from just before the mutation is sent to its HTTP answer (the commit is inside);
- fan-out: from the commit (stamped by the server's `realtime.timing` log, realtime/bus.py,
  on the machine-wide monotonic clock) to the frame's arrival at each subscriber;
- end to end: from just before the mutation is sent to the frame's arrival;
- per event, the fan-out split at the server's own stamp of its last written frame
  (realtime/hub.py): server fan-out (commit -> last frame written) and client read
  (-> the last frame read by this script's one client process).

Each is reported at p50/p95/p99/max, with the load average while it ran.

    .venv/bin/python bench/subscriptions.py             # both setups, writes docs/benchmarks.md
    .venv/bin/python bench/subscriptions.py --sizes 1000 --setups sqlite+memory --no-write

Not a test: nothing fails a build. A throwaway SQLite file in var/ and a throwaway
PostgreSQL database (`bench_subscriptions`) are used and removed. Each setup runs in a
child process of its own (Django is configured once per process).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402
from bench.common import machine, postgres_url, recreate_postgres  # noqa: E402

DB_PATH = ROOT / "var" / "bench-subscriptions.sqlite3"
TIMING_LOG = ROOT / "var" / f"bench-subscriptions-timing-{os.getpid()}.log"
PG_NAME = "bench_subscriptions"
TEMPLATE = "bench_subscriptions_template"  # migrated once, copied by each run
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench/subscriptions.py: begin -->"
END = "<!-- bench/subscriptions.py: end -->"
WARM_UP = 5  # at most, per size
USERS = 20  # subscribers share these accounts (leaders, the head and officers of province A)
DEADLINES = "subscription($unit: ID) { taskDeadlines(unit: $unit) { id number status } }"
COMPLETE = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok errors { message } } }"


# --- the platform under test -------------------------------------------------------------

SETUPS = ("sqlite+memory", "postgres+redis", "sqlite+redis")


def setup_django(setup: str) -> dict[str, str]:
    """Django on the setup's database, migrated; returns the environment its Daphne needs."""
    database, layer = setup.split("+")
    template = ensure_template(database)
    if database == "sqlite":
        common.setup_django(DB_PATH, template=template)
        env: dict[str, str] = {}
    else:
        common.setup_django(DB_PATH, "postgres", PG_NAME, template=template)
        env = {"DATABASE_URL": os.environ["DATABASE_URL"]}
    if layer == "redis":
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        env["CHANNELS_PREFIX"] = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    return env


def ensure_template(database: str) -> str:
    """The migrated database each run copies (made once, in a process of its own): migrating
    afresh took minutes of CPU, which a quiet run should not spend. BENCH_FRESH_TEMPLATE=1 makes it again."""
    exists = (ROOT / "var" / f"{TEMPLATE}.sqlite3").exists()
    if database == "postgres":
        import psycopg

        with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
            exists = bool(
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone()
            )
    if not exists or os.environ.get("BENCH_FRESH_TEMPLATE"):
        code = f"from bench.common import migrate_template; migrate_template({TEMPLATE!r}, {database!r})"
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return TEMPLATE


def build_world(tasks: int) -> dict[str, Any]:
    """Units, the subscribers' accounts and tokens, an officer who completes tasks, and the tasks."""
    from django.contrib.auth.models import User

    from modules.engine import registry, services, workdays
    from modules.engine.models import ApiToken
    from modules.engine.roles import sync_roles
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


def start_daphne(env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen, str]:
    """Daphne with the bench settings: the tests' settings plus the `realtime.timing` log.

    With several workers, `manage.py serve --workers N` (the production layout): N Daphne
    processes on one listening socket, the kernel handing each new socket to one of them, and
    every event reaching each process through the Redis layer."""
    TIMING_LOG.unlink(missing_ok=True)
    extra = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_TIMING_LOG": str(TIMING_LOG)}
    port = common.free_port()
    if workers == 1:
        command = [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ]
    else:
        command = [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", str(workers)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "SQLITE_PATH": str(DB_PATH), **extra},
        stdout=open(ROOT / "var" / f"bench-daphne-{port}.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    for _ in range(1800):  # a loaded machine took over 30 s to start it
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("daphne did not start")


def timing_records(kind: str | None = None) -> Iterator[dict[str, str]]:
    """The server's timing log (bench/settings.py, realtime/bus.py and hub.py), one dict of its
    `key=value` fields a line; only the lines that start with `kind` when it is given."""
    if not TIMING_LOG.exists():
        return
    for line in TIMING_LOG.read_text().splitlines():
        if kind is None or line.startswith(kind + " "):
            yield dict(part.split("=", 1) for part in line.split() if "=" in part)


def commit_times() -> dict[str, float]:
    """Task number -> when its event left the committed write, from the server's timing log."""
    stamps: dict[str, float] = {}
    for fields in timing_records():
        if "number" in fields and "committed" in fields:
            stamps.setdefault(fields["number"], float(fields["committed"]))
    return stamps


def fan_outs() -> dict[str, dict[str, float]]:
    """Task number -> the server's fan-out of its event (realtime/hub.py `fanout` line): when the
    hub received it, began offering it to the sinks, wrote the last frame, and how many frames.
    With several server processes each writes its own line: the event's fan-out runs from the
    first process's start to the last one's last frame, and `split` is the frames per process."""
    found: dict[str, dict[str, float]] = {}
    for fields in timing_records("fanout"):
        stamp = {k: float(fields[k]) for k in ("received", "offered", "written", "frames")}
        seen = found.get(fields["number"])
        if seen is None:
            found[fields["number"]] = {**stamp, "processes": 1, "largest": stamp["frames"]}
            continue
        seen["received"] = min(seen["received"], stamp["received"])
        seen["offered"] = min(seen["offered"], stamp["offered"])
        seen["written"] = max(seen["written"], stamp["written"])
        seen["frames"] += stamp["frames"]
        seen["processes"] += 1
        seen["largest"] = max(seen["largest"], stamp["frames"])
    return found


def transactions() -> list[tuple[float, dict[str, float]]]:
    """Each commit the server logged (bench/settings.py `txn`): when, statements, ms in the driver
    and in the commit itself, in time order."""
    found = [
        (float(fields["at"]), {k: float(fields[k]) for k in ("statements", "db_ms", "commit_ms")})
        for fields in timing_records("txn")
    ]
    return sorted(found, key=lambda item: item[0])


def write_of(commits: list[tuple[float, dict[str, float]]], published: float) -> dict[str, float] | None:
    """The transaction whose commit an event's publish stamp followed (the last one before it)."""
    before = [tally for at, tally in commits if at <= published]
    return before[-1] if before else None


def stalls(start: float, end: float) -> dict[str, list[float]]:
    """Slow commits and full garbage collections the server logged between two instants."""
    found: dict[str, list[float]] = {"commit": [], "gc": [], "stall": []}
    if not TIMING_LOG.exists():
        return found
    for line in TIMING_LOG.read_text().splitlines():
        if not line.startswith("slow "):
            continue
        fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
        if start <= float(fields["at"]) <= end:
            found.setdefault(line.split()[1], []).append(float(fields["ms"]))
    return found


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
        self.handshaken, self.buffer = False, b""

    def connection_lost(self, exc: Exception | None) -> None:
        """The server dropped the socket (e.g. Daphne's 5 s handshake limit on a swamped
        machine): fail the wait at once instead of after 600 s, so the socket is retried."""
        for waiting in (self.upgraded, self.acked):
            if waiting is not None and not waiting.done():
                waiting.set_exception(ConnectionError("the server closed the socket while subscribing"))
                waiting.exception()  # retrieved here; the awaiting subscribe() raises it

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
    await asyncio.wait_for(subscriber.upgraded, 600)
    subscriber.acked = loop.create_future()
    subscriber.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    await asyncio.wait_for(subscriber.acked, 600)
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


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99/max by nearest rank (the value below which that share of samples lies)."""
    ordered = sorted(values)
    if not ordered:
        return {"p50": math.nan, "p95": math.nan, "p99": math.nan, "max": math.nan, "n": 0}

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": rank(50), "p95": rank(95), "p99": rank(99), "max": ordered[-1], "n": len(ordered)}


async def run_size(
    host: str, world: dict[str, Any], size: int, events: int, offset: int, on_measure: Any = None
) -> dict[str, Any]:
    subscribers = [Subscriber(i) for i in range(size)]
    tokens = world["tokens"]
    gate = asyncio.Semaphore(100)

    retried = 0

    async def open_one(s: Subscriber) -> None:
        nonlocal retried
        async with gate:
            for attempt in range(3):
                try:
                    await subscribe(host, tokens[s.index % len(tokens)], world["unit"], s)
                    return
                except ConnectionError:
                    if attempt == 2:
                        raise
                    retried += 1
                    # a fresh protocol object: the dropped socket's late callbacks stay with the old one
                    s = subscribers[s.index] = Subscriber(s.index)

    started = time.perf_counter()
    await asyncio.gather(*(open_one(s) for s in subscribers))
    subscribe_seconds = time.perf_counter() - started
    loop = asyncio.get_running_loop()
    tasks = world["tasks"][offset : offset + events + WARM_UP]

    answered: dict[str, float] = {}  # task number -> when its mutation's HTTP answer arrived

    async def fire(task: tuple[str, str, int]) -> float:
        at = time.perf_counter()
        await loop.run_in_executor(None, complete, host, world["doer_token"], task)
        answered[task[1]] = time.perf_counter()
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
    sent: dict[str, float] = {}
    stop_measuring = on_measure() if on_measure else None
    load_before = os.getloadavg()[0]
    for task in tasks[warm : warm + events]:
        sent[task[1]] = await fire(task)
        await asyncio.sleep(gap)
    for number in sent:
        await all_arrived(number, 15)
    load_after = os.getloadavg()[0]
    if stop_measuring:
        stop_measuring()
    await asyncio.sleep(0.5)  # let the server flush its timing log
    committed = commit_times()
    slow = stalls(min(sent.values()), time.perf_counter())
    end_to_end = [
        (s.arrivals[number] - at) * 1000
        for s in subscribers
        for number, at in sent.items()
        if number in s.arrivals
    ]
    fan_out = [
        (s.arrivals[number] - committed[number]) * 1000
        for s in subscribers
        for number in sent
        if number in s.arrivals and number in committed
    ]
    write = [(answered[number] - at) * 1000 for number, at in sent.items()]
    # The fan-out split at the server's last written frame: what the server spent (commit ->
    # last frame written) and what the client spent after it (-> last frame read).
    served = fan_outs()
    last_read = {
        number: max(s.arrivals[number] for s in subscribers if number in s.arrivals)
        for number in sent
        if any(number in s.arrivals for s in subscribers)
    }
    timed = [n for n in sent if n in served and n in committed and n in last_read]
    server_fan_out = [(served[n]["written"] - committed[n]) * 1000 for n in timed]
    to_hub = [(served[n]["offered"] - committed[n]) * 1000 for n in timed]
    offering = [(served[n]["written"] - served[n]["offered"]) * 1000 for n in timed]
    client_read = [(last_read[n] - served[n]["written"]) * 1000 for n in timed]
    to_commit = [(committed[number] - at) * 1000 for number, at in sent.items() if number in committed]
    commits = transactions()
    writes = {n: write_of(commits, committed[n]) for n in sent if n in committed}
    if os.environ.get("BENCH_PER_EVENT"):
        for number, at in sent.items():
            mine = sorted((s.arrivals[number] - at) * 1000 for s in subscribers if number in s.arrivals)
            txn = writes.get(number) or {"statements": math.nan, "db_ms": math.nan, "commit_ms": math.nan}
            if mine:
                print(
                    f"  {number}: answer {(answered[number] - at) * 1000:.0f}, commit "
                    f"{(committed.get(number, math.nan) - at) * 1000:.0f} (statements {txn['statements']:.0f}, "
                    f"in the driver {txn['db_ms']:.1f}, commit {txn['commit_ms']:.1f}), frames first "
                    f"{mine[0]:.0f} median {mine[len(mine) // 2]:.0f} last {mine[-1]:.0f} ms"
                    + (
                        f"; server: offered {(served[number]['offered'] - at) * 1000:.0f}, last written "
                        f"{(served[number]['written'] - at) * 1000:.0f} ({served[number]['frames']:.0f} frames)"
                        if number in served
                        else ""
                    )
                )
    for s in subscribers:
        s.close()
    return {
        "size": size,
        "subscribe_s": subscribe_seconds,
        "retried": retried,  # sockets the server dropped while they subscribed, opened again
        "live": live,
        "events": len(sent),
        "stamped": len(to_commit),
        "lost": size * len(sent) - len(end_to_end),
        "load": (load_before, load_after),
        "end_to_end": percentiles(end_to_end),
        "write": percentiles(write),
        "to_commit": percentiles(to_commit),
        "fan_out": percentiles(fan_out),
        "server_fan_out": percentiles(server_fan_out),  # commit -> last frame written, per event
        "to_hub": percentiles(to_hub),  # commit -> the hub begins offering (the layer's transit)
        "offering": percentiles(offering),  # first sink offered -> last frame written
        "client_read": percentiles(client_read),  # last frame written -> last frame read
        "frames": percentiles([served[n]["frames"] for n in timed]),
        # the busiest server process's share of an event's frames (1.0 with one process)
        "largest_share": percentiles([served[n]["largest"] / max(served[n]["frames"], 1) for n in timed]),
        # per write: statements since the thread's previous commit, and their time in the driver
        "statements": percentiles([w["statements"] for w in writes.values() if w]),
        "in_driver": percentiles([w["db_ms"] for w in writes.values() if w]),
        "slow": slow,
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


def run_setup(
    setup: str, sizes: list[int], events: int, profile: str | None, workers: int = 1
) -> list[dict[str, Any]]:
    """One setup, in this process: its database, its Daphne, every size in turn."""
    env = setup_django(setup)
    per_size = events + WARM_UP
    world = build_world(tasks=len(sizes) * per_size)
    rows = []
    process, host = start_daphne(env, workers)
    try:
        for number, size in enumerate(sizes):
            spy = profiler(process.pid, profile) if profile and size == sizes[-1] else None
            try:
                row = asyncio.run(run_size(host, world, size, events, number * per_size, spy))
            except (OSError, TimeoutError, RuntimeError) as exc:  # e.g. 5,000 sockets on a swamped machine
                print(f"{setup} N={size}: not measured ({exc!r}), load {os.getloadavg()[0]:.2f}", flush=True)
                break
            row["setup"] = setup
            row["workers"] = workers
            rows.append(row)
            print(line(row), flush=True)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
        if setup.startswith("postgres"):
            from django.db import connections

            connections.close_all()
            recreate_postgres(PG_NAME, drop_only=True)
    return rows


# --- report ----------------------------------------------------------------------------------


def cell(stats: dict[str, float]) -> str:
    return " / ".join(f"{stats[k]:.0f}" for k in ("p50", "p95", "p99", "max"))


def line(row: dict[str, Any]) -> str:
    return (
        f"{row['setup']:14} N={row['size']:5} x{row.get('workers', 1)} process(es): subscribed {row['subscribe_s']:.0f}s "
        f"(reopened {row.get('retried', 0)}) live {row['live']} "
        f"events {row['events']} (stamped {row['stamped']}) lost {row['lost']} "
        f"load {row['load'][0]:.2f}->{row['load'][1]:.2f}; p50/p95/p99/max ms: "
        f"end-to-end {cell(row['end_to_end'])}; write {cell(row['write'])}; "
        f"to commit {cell(row['to_commit'])}; fan-out {cell(row['fan_out'])}; "
        f"per event: server fan-out {cell(row['server_fan_out'])} (to the hub {cell(row['to_hub'])}, "
        f"offering {cell(row['offering'])}, frames {cell(row['frames'])}, "
        f"busiest process's share p50 {row['largest_share']['p50']:.2f}, max {row['largest_share']['max']:.2f}), "
        f"client read {cell(row['client_read'])}; "
        f"statements per write {cell(row['statements']) if row.get('statements') else '?'}, "
        f"their ms in the driver {cell(row['in_driver']) if row.get('in_driver') else '?'}; "
        f"commits > 10 ms: {sorted(row['slow']['commit'])[-5:]}, gc > 10 ms: {sorted(row['slow']['gc'])[-5:]}, "
        f"stalls > 20 ms: {len(row['slow'].get('stall', []))} {sorted(row['slow'].get('stall', []))[-5:]}"
    )


def report(rows: list[dict[str, Any]], events: int) -> str:
    lines = [
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M}, `{' '.join(sys.argv)}`; {machine()}; "
        "Daphne processes as the table says (several: `manage.py serve --workers N`, one listening "
        f"socket), the client in one process on the same machine; {events} events per "
        "size, one at a time. Milliseconds, p50 / p95 / p99 / max. *Write*: mutation sent → its "
        "HTTP answer. *Fan-out*: commit (server stamp) → frame at each subscriber. *End to end*: "
        "mutation sent → frame. Per event: *server fan-out*: commit → the server's last frame "
        "written (its own stamp); *client read*: that → the last frame read by the bench's client. "
        "Load: 1-minute load average before → after the measured events.",
        "",
        "| setup | server processes | subscribers | events | load | end to end | write | fan-out "
        "| server fan-out | client read | lost |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['setup']} | {r.get('workers', 1)} | {r['size']:,} | {r['events']} | {r['load'][0]:.2f} → {r['load'][1]:.2f} | "
            f"{cell(r['end_to_end'])} | {cell(r['write'])} | {cell(r['fan_out'])} | "
            f"{cell(r['server_fan_out'])} | {cell(r['client_read'])} | {r['lost']} |"
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
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--setups", default="sqlite+memory,postgres+redis", help=f"of {', '.join(SETUPS)}")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--profile", help="py-spy folded stacks of the server during the last size, to this file"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (`manage.py serve --workers N`); more than one needs a Redis setup",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # run one setup, print its rows as JSON
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        rows = run_setup(args.child, sizes, args.events, args.profile, args.workers)
        print("ROWS " + json.dumps(rows), flush=True)
        return
    rows = []
    for setup in args.setups.split(","):
        if setup not in SETUPS:
            parser.error(f"unknown setup {setup}")
        if args.workers > 1 and not setup.endswith("+redis"):
            parser.error(f"{setup}: several server processes share events only through Redis")
        child = [
            sys.executable,
            __file__,
            "--child",
            setup,
            "--sizes",
            args.sizes,
            "--events",
            str(args.events),
            "--workers",
            str(args.workers),
        ]
        if args.profile:
            child += ["--profile", f"{args.profile}.{setup}"]
        done = subprocess.run(child, stdout=subprocess.PIPE, text=True, check=True)
        for out in done.stdout.splitlines():
            if out.startswith("ROWS "):
                rows += json.loads(out[5:])
            else:
                print(out, flush=True)
    block = report(rows, args.events)
    print(block)
    if not args.no_write:
        write_doc(block)


if __name__ == "__main__":
    main()
