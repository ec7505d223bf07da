"""PostgreSQL writing the list's JSON against the Python path, side by side (issue 13.4).

Two onemst processes (one Daphne each) on the peer bench's database (bench/peer_postgraphile.py,
100,000 tasks): one with `ONEMST_FASTPATH_SQL=0` (the fast path renders in Python), one as
shipped (PostgreSQL writes the JSON, schema/fastpath_sql.py). wrk sends both the peer's
200-row list with two nested links, alternating servers (the order flips each round), so the
ratio is taken within one run on however busy the machine is. The answers are checked to be
byte-identical first.

    .venv/bin/python bench/fastpath_sql_ab.py [--seconds 10] [--rounds 2] [--concurrency 1,8,32] [--no-write]
    .venv/bin/python bench/fastpath_sql_ab.py --in-process 150   # CPU per request in one process
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
from bench.ab_http import Server, alternate, median_of, start_daphne  # noqa: E402
from bench.common import machine, write_section  # noqa: E402


def start(sql_json: bool) -> Server:
    return start_daphne(
        {
            # its own application name, so its PostgreSQL backends' CPU can be told apart
            "DATABASE_URL": f"{peer.DB_URL}?application_name={APP[sql_json]}",
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "ONEMST_FASTPATH_SQL": "1" if sql_json else "0",
        },
        f"bench-fastpath-sql-{int(sql_json)}",
    )


APP = {False: "onemst-bench-python", True: "onemst-bench-sql"}


def backend_cpu(app: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving `app` (from /proc; same machine)."""
    import psycopg

    tick = os.sysconf("SC_CLK_TCK")
    with psycopg.connect(peer.DB_URL, autocommit=True) as conn:
        pids = [
            r[0] for r in conn.execute("select pid from pg_stat_activity where application_name=%s", (app,))
        ]
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def measured(
    name: str, process: subprocess.Popen, url: str, headers: dict[str, str], c: int, s: float
) -> dict:
    """One wrk run with the CPU per request of the server process and of its PostgreSQL backends."""
    app = APP[name == "sql"]
    load = os.getloadavg()[0]
    cpu0, db0 = peer.group_cpu(process.pid), backend_cpu(app)
    row = peer.wrk(url, peer.ONEMST_QUERY, headers, c, s)
    cpu1, db1 = peer.group_cpu(process.pid), backend_cpu(app)
    db = sum(v - db0.get(pid, 0.0) for pid, v in db1.items())
    done = max(1, row["requests"])
    row.update(load=load, cpu_ms=1000 * (cpu1 - cpu0) / done, db_ms=1000 * db / done)
    return row


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
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--cases", default="superuser,officer")
    parser.add_argument("--in-process", type=int, default=0, help="N requests each through the test client")
    parser.add_argument("--no-write", action="store_true", help="print only (no docs/benchmarks.md)")
    args = parser.parse_args()
    peer.ensure_database(fresh=False)
    peer.setup_django()
    if args.in_process:
        in_process(args.in_process, args.cases.split(","))
        return
    servers = {"python": start(False), "sql": start(True)}
    print(machine(), flush=True)
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    rows = alternate(servers, args.cases.split(","), concurrencies, args.rounds, args.seconds, measured, body)
    block = render(rows, args)
    print(block)
    if not args.no_write:
        write_section("bench/fastpath_sql_ab.py", "PostgreSQL writes the JSON", "", block)


def render(rows: list[dict], args: argparse.Namespace) -> str:
    """The markdown table: per case and concurrency, medians over the rounds, ratios sql/python."""
    import time

    def med(case: str, c: int, side: str, key: str) -> float:
        return median_of(rows, case, c, side, key)

    loads = [r["load"] for r in rows]
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, `bench/fastpath_sql_ab.py --seconds "
        f"{args.seconds:g} --rounds {args.rounds}`; {machine()}; one Daphne process per side, the peer "
        f"bench's 100,000 tasks and 200-row list with two nested links, wrk, sides alternating; medians "
        f"over the rounds; 1-minute load average before the runs {min(loads):.1f}–{max(loads):.1f}.",
        "",
        "| case | concurrency | req/s Python / SQL | ratio | onemst CPU ms per request Python / SQL | ratio "
        "| PostgreSQL CPU ms per request Python / SQL | p50 / p99 ms Python | p50 / p99 ms SQL |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for case in dict.fromkeys(r["case"] for r in rows):
        for c in dict.fromkeys(r["concurrency"] for r in rows if r["case"] == case):
            p, q = (
                lambda key, side=side, case=case, c=c: med(case, c, side, key) for side in ("python", "sql")
            )
            lines.append(
                f"| {case} | {c} | {p('rps'):.1f} / {q('rps'):.1f} | **{q('rps') / p('rps'):.2f}** "
                f"| {p('cpu_ms'):.2f} / {q('cpu_ms'):.2f} | **{q('cpu_ms') / p('cpu_ms'):.2f}** "
                f"| {p('db_ms'):.2f} / {q('db_ms'):.2f} | {p('p50'):.1f} / {p('p99'):.1f} "
                f"| {q('p50'):.1f} / {q('p99'):.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
