"""Issue 13's per-request cuts, before against after, over HTTP in one run.

Two Daphne processes on the peer bench's database (bench/peer_postgraphile.py, 100,000
tasks; PostgreSQL writes the list's JSON on both): "before" with
`bench/overhead_stock_settings.py` (the token middleware after AuthenticationMiddleware,
a Redis socket per request), "after" as shipped (config/settings.py). wrk sends both the
peer's 200-row list with two nested links, sides alternating (the order flips each round);
each run records req/s, p50/p99 and the server process's CPU per request. Answers are
checked byte-identical first.

    .venv/bin/python bench/request_overhead_ab.py [--seconds 8] [--rounds 2] [--concurrency 1,8,32] [--no-write]

`--compare hop-rules` measures this round's two cuts instead, both sides as shipped except
for the switches: "before" with `ONEMST_HTTP_ONE_HOP=0` (Django's ASGI handler for GraphQL
POSTs) and `ONEMST_FASTPATH_RULES=0` (the list's rule querysets compiled every request);
`--compare hop` and `--compare rules` switch one of them only. These runs print only
(`--no-write` implied): their table goes into docs/benchmarks.md by hand, with the load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import peer_postgraphile as peer  # noqa: E402
from bench.ab_http import Server, alternate, median_of, start_daphne  # noqa: E402
from bench.common import machine, write_section  # noqa: E402
from bench.fastpath_sql_ab import body  # noqa: E402

SETTINGS = {"before": "bench.overhead_stock_settings", "after": "tests.settings"}
SWITCHES = {"hop": {"ONEMST_HTTP_ONE_HOP": "0"}, "rules": {"ONEMST_FASTPATH_RULES": "0"}}


def start(side: str, compare: str = "stock") -> Server:
    env = {"DATABASE_URL": peer.DB_URL, "DJANGO_SETTINGS_MODULE": SETTINGS[side]}
    if compare != "stock":
        env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
        if side == "before":
            for switch in compare.split("-"):
                env.update(SWITCHES[switch])
    return start_daphne(env, f"bench-overhead-{side}")


def measured(
    side: str, process: subprocess.Popen, url: str, headers: dict[str, str], c: int, s: float
) -> dict:
    load = os.getloadavg()[0]
    cpu0 = peer.group_cpu(process.pid)
    row = peer.wrk(url, peer.ONEMST_QUERY, headers, c, s)
    row.update(load=load, cpu_ms=1000 * (peer.group_cpu(process.pid) - cpu0) / max(1, row["requests"]))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--cases", default="superuser,officer")
    parser.add_argument("--no-write", action="store_true", help="print only (no docs/benchmarks.md)")
    parser.add_argument("--compare", default="stock", choices=["stock", "hop-rules", "hop", "rules"])
    args = parser.parse_args()
    peer.ensure_database(fresh=False)
    peer.setup_django()
    servers = {side: start(side, args.compare) for side in SETTINGS}
    print(machine(), flush=True)
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    rows = alternate(servers, args.cases.split(","), concurrencies, args.rounds, args.seconds, measured, body)
    block = render(rows, args)
    print(block)
    if not args.no_write and args.compare == "stock":
        write_section("bench/request_overhead_ab.py", "Where a request's CPU goes", "", block)


def render(rows: list[dict], args: argparse.Namespace) -> str:
    """Per case and concurrency: medians over the rounds, ratios after/before."""

    def med(case: str, c: int, side: str, key: str) -> float:
        return median_of(rows, case, c, side, key)

    loads = [r["load"] for r in rows]
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, `bench/request_overhead_ab.py --seconds "
        f"{args.seconds:g} --rounds {args.rounds} --compare {args.compare}`; {machine()}; one Daphne process per side, the peer bench's "
        f"100,000 tasks and 200-row list with two nested links (PostgreSQL writes the JSON on both sides), wrk, "
        f"sides alternating; medians over the rounds; 1-minute load average before the runs "
        f"{min(loads):.1f}–{max(loads):.1f}.",
        "",
        "| case | concurrency | req/s before / after | ratio | onemst CPU ms per request before / after "
        "| ratio | p50 / p99 ms before | p50 / p99 ms after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in dict.fromkeys(r["case"] for r in rows):
        for c in dict.fromkeys(r["concurrency"] for r in rows if r["case"] == case):
            b, a = (lambda key, side=side, case=case, c=c: med(case, c, side, key) for side in ("before", "after"))
            lines.append(
                f"| {case} | {c} | {b('rps'):.1f} / {a('rps'):.1f} | **{a('rps') / b('rps'):.2f}** "
                f"| {b('cpu_ms'):.2f} / {a('cpu_ms'):.2f} | **{a('cpu_ms') / b('cpu_ms'):.2f}** "
                f"| {b('p50'):.1f} / {b('p99'):.1f} | {a('p50'):.1f} / {a('p99'):.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
