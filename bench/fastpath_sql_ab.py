"""PostgreSQL writing the list's JSON against the Python path, side by side (issue 13.4).

Two onemst processes (one Daphne each) on the peer bench's database (bench/peer_postgraphile.py,
100,000 tasks): one with `ONEMST_FASTPATH_SQL=0` (the fast path renders in Python), one as
shipped (PostgreSQL writes the JSON, schema/fastpath_sql.py). wrk sends both the peer's
200-row list with two nested links, alternating servers (the order flips each round), so the
ratio is taken within one run on however busy the machine is. The answers are checked to be
byte-identical first.

    .venv/bin/python bench/fastpath_sql_ab.py [--seconds 10] [--rounds 3] [--concurrency 1,8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peer_postgraphile as peer  # noqa: E402
from bench.common import free_port, machine  # noqa: E402


def start(sql_json: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": peer.DB_URL,
        "REDIS_URL": peer.REDIS,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DEBUG": "false",
        "ONEMST_FASTPATH_SQL": "1" if sql_json else "0",
    }
    log = open(ROOT / "var" / f"bench-fastpath-sql-{int(sql_json)}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peer.wait_port(port, process, "onemst")
    return process, f"http://127.0.0.1:{port}/graphql/"


def body(url: str, headers: dict[str, str]) -> bytes:
    import json

    request = urllib.request.Request(
        url,
        json.dumps({"query": peer.ONEMST_QUERY}).encode(),
        {"Content-Type": "application/json", **headers},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def in_process(requests: int, cases: list[str]) -> None:
    """CPU seconds of this process per request, both paths alternating, through Django's test
    client (the view, the middleware, the fast path; no HTTP server). CPU time, unlike
    throughput, hardly moves with other people's load on the machine."""
    import time

    from django.test import Client

    from schema import fastpath_sql

    users = peer.bench_users()
    for case in cases:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {peer.api_token(users[case])}", HTTP_HOST="127.0.0.1")
        payload = {"query": peer.ONEMST_QUERY}
        cpu: dict[bool, list[float]] = {False: [], True: []}
        wall: dict[bool, list[float]] = {False: [], True: []}
        bodies = {}
        for i in range(requests + 10):
            for written in (i % 2 == 0, i % 2 == 1):
                fastpath_sql.ENABLED = written
                started, started_wall = time.process_time(), time.perf_counter()
                response = client.post("/graphql/", payload, content_type="application/json")
                took, took_wall = time.process_time() - started, time.perf_counter() - started_wall
                assert response.status_code == 200
                bodies[written] = response.content
                if i >= 10:  # warm-up
                    cpu[written].append(took * 1000)
                    wall[written].append(took_wall * 1000)
        assert bodies[True] == bodies[False], "the two paths answered differently"
        med = {w: statistics.median(v) for w, v in cpu.items()}
        print(
            f"RESULT in-process {case}: CPU ms/request median python {med[False]:.2f} sql {med[True]:.2f} "
            f"(ratio sql/python {med[True] / med[False]:.2f}); wall median python "
            f"{statistics.median(wall[False]):.2f} sql {statistics.median(wall[True]):.2f}; "
            f"{requests} each, alternating; load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--cases", default="superuser,officer")
    parser.add_argument("--in-process", type=int, default=0, help="N requests each through the test client")
    args = parser.parse_args()
    peer.ensure_database(fresh=False)
    peer.setup_django()
    if args.in_process:
        in_process(args.in_process, args.cases.split(","))
        return
    users = peer.bench_users()
    servers = {"python": start(False), "sql": start(True)}
    print(machine(), flush=True)
    try:
        for case in args.cases.split(","):
            headers = {"Authorization": f"Bearer {peer.api_token(users[case])}"}
            answers = {name: body(url, headers) for name, (_, url) in servers.items()}
            assert answers["python"] == answers["sql"], "the two paths answered differently"
            for _, url in servers.values():  # warm-up
                peer.wrk(url, peer.ONEMST_QUERY, headers, 8, 2)
            for concurrency in [int(c) for c in args.concurrency.split(",")]:
                rps: dict[str, list[float]] = {"python": [], "sql": []}
                loads = []
                for round_ in range(args.rounds):
                    order = ("python", "sql") if round_ % 2 == 0 else ("sql", "python")
                    for name in order:
                        loads.append(os.getloadavg()[0])
                        row = peer.wrk(
                            servers[name][1], peer.ONEMST_QUERY, headers, concurrency, args.seconds
                        )
                        assert row["bad"] == 0, row
                        rps[name].append(row["rps"])
                        print(f"{case} c={concurrency} {name}: {row}", flush=True)
                ratio = statistics.median(rps["sql"]) / statistics.median(rps["python"])
                print(
                    f"RESULT {case} c={concurrency}: python {rps['python']} sql {rps['sql']} req/s; "
                    f"ratio sql/python {ratio:.2f}; load {min(loads):.2f}-{max(loads):.2f}; "
                    f"{len(answers['sql'])} bytes",
                    flush=True,
                )
    finally:
        for process, _ in servers.values():
            peer.stop(process)


if __name__ == "__main__":
    main()
