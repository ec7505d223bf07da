"""Two onemst servers side by side over HTTP, for the A/B benches of issue 13.

`bench/fastpath_sql_ab.py` (Python against PostgreSQL-written JSON) and
`bench/request_overhead_ab.py` (the per-request cuts, before against after) both start one
Daphne process per side on the peer bench's database and send the same wrk load to each,
the order flipping every round, so a ratio is taken within one run however busy the
machine is. This is that shared part.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bench import peer_postgraphile as peer
from bench.common import free_port

ROOT = Path(__file__).resolve().parent.parent
Server = tuple[subprocess.Popen, str]
Measure = Callable[[str, subprocess.Popen, str, dict[str, str], int, float], dict]


def start_daphne(env: dict[str, str], log_name: str) -> Server:
    """One Daphne process with `env` over the environment; its log in var/<log_name>.log."""
    port = free_port()
    log = open(ROOT / "var" / f"{log_name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": peer.REDIS, "DEBUG": "false", **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    peer.wait_port(port, process, "onemst")
    return process, f"http://127.0.0.1:{port}/graphql/"


def alternate(
    servers: dict[str, Server],
    cases: Iterable[str],
    concurrencies: Iterable[int],
    rounds: int,
    seconds: float,
    measure: Measure,
    body: Callable[[str, dict[str, str]], bytes],
) -> list[dict]:
    """wrk on each side in turn for each case, concurrency and round (the order flips every
    round), after checking the sides answer the same bytes; the servers are stopped at the end."""
    users = peer.bench_users()
    sides = list(servers)
    rows: list[dict] = []
    try:
        for case in cases:
            headers = {"Authorization": f"Bearer {peer.api_token(users[case])}"}
            answers = {side: body(url, headers) for side, (_, url) in servers.items()}
            assert len(set(answers.values())) == 1, "the two sides answered differently"
            for _, url in servers.values():  # warm-up
                peer.wrk(url, peer.ONEMST_QUERY, headers, 8, 2)
            for concurrency in concurrencies:
                for round_ in range(rounds):
                    for side in sides if round_ % 2 == 0 else reversed(sides):
                        process, url = servers[side]
                        row = measure(side, process, url, headers, concurrency, seconds)
                        assert row["bad"] == 0, row
                        row.update(side=side, case=case, concurrency=concurrency, bytes=len(answers[side]))
                        rows.append(row)
                        print(row, flush=True)
    finally:
        for process, _ in servers.values():
            peer.stop(process)
    return rows


def median_of(rows: list[dict], case: str, concurrency: int, side: str, key: str) -> float:
    """The median of `key` over the rounds of one case, concurrency and side."""
    return statistics.median(
        r[key] for r in rows if (r["case"], r["concurrency"], r["side"]) == (case, concurrency, side)
    )
