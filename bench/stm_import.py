"""Backfilling past S&T tasks (issue 19): importing 5,000 past tasks from one spreadsheet.

Run:  .venv/bin/python bench/stm_import.py [--database postgres] [--sizes 1000,5000] [--no-write]

Each size runs in its own fresh process on a fresh database (so each peak memory is its own):
the organisation, a province's Department and its officer, then a spreadsheet of N past tasks
written by `backfill_demo.rows` (six host organisations, investigators found again across
rows, completed tasks with their registered results), imported by `backfill.import_file` as the
clerk's job does: every row checked and written through the write path in one transaction.
Reported: the import's wall time, the process's peak RSS (`ru_maxrss`) and its growth over the
RSS just before the import (Django loaded, the file in memory). Target: 5,000 tasks under 60 s,
and memory that does not grow with the file (the rows are streamed; what remains per row is the
task-code set for duplicates and the commit's queued live events).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    machine,
    migrate_template,
    recreate_postgres,
    setup_django,
    teardown_django,
    write_section,
)

PG_NAME = "bench_stm_import"
TEMPLATE = "bench_stm_import_template"  # migrated once, copied for each size


def rss_mb() -> float:
    """The current resident set (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(size: int, database: str) -> dict:
    db_path = ROOT / "var" / f"bench_stm_import_{size}.sqlite3"
    setup_django(db_path, database, PG_NAME, template=TEMPLATE)
    from django.contrib.auth.models import User

    from modules.engine import registry, services
    from modules.engine.roles import sync_roles
    from modules.stm import backfill, backfill_demo, backfill_sheet
    from tests.conftest import make_user

    sync_roles()
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    unit = services.create_record(
        registry.entity_by_label("org.Unit"),
        root,
        {
            "code": "SKHCN-79",
            "name": "Sở KH&CN TP. Hồ Chí Minh",
            "kind": "provincial_dost",
            "province_code": "79",
        },
    )
    clerk = make_user("clerk", unit, ("provincial_officer",))
    data = backfill_sheet.write_template(backfill_demo.rows(size, seed=size))
    from django.db import connection

    queries = [0]

    def count(execute, sql, params, many, context):  # every statement the import sends
        queries[0] += 1
        return execute(sql, params, many, context)

    before = rss_mb()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        report = backfill.import_file(clerk, unit, data, "bench.xlsx")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    contracts = registry.model_for("stm.Contract").objects.count()
    teardown_django(db_path, database, PG_NAME)
    return {
        "size": size,
        "ok": report.ok,
        "created": report.created,
        "contracts": contracts,
        "seconds": round(seconds, 2),
        "queries_per_row": round(queries[0] / size, 2),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1),
        "file_kb": round(len(data) / 1024),
    }


def teardown_template(database: str) -> None:
    """Drop the migrated template (its PostgreSQL database, or its SQLite file)."""
    if database == "postgres":
        recreate_postgres(TEMPLATE, drop_only=True)
    else:
        (ROOT / "var" / f"{TEMPLATE}.sqlite3").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--template", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.template:
        migrate_template(TEMPLATE, args.database)
        return
    if args.child:
        print(json.dumps(child(args.child, args.database)))
        return
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--template", "--database", args.database], check=True)
    print(f"migrated template in {time.perf_counter() - started:.0f} s", flush=True)
    load = os.getloadavg()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--database", args.database],
            stdout=subprocess.PIPE,  # the child's errors reach the terminal
            text=True,
            check=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    end_load = os.getloadavg()
    teardown_template(args.database)
    lines = [
        f"{args.database}, {machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"load average {load[0]:.2f} at the start, {end_load[0]:.2f} at the end.",
        "",
        "| past tasks | imported | import time | s per 1,000 | queries a row | RSS before | peak RSS | growth "
        "| file |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['created']:,} | {r['seconds']:.1f} s | {1000 * r['seconds'] / r['size']:.1f} s "
            f"| {r['queries_per_row']:.2f} "
            f"| {r['rss_before_mb']:.0f} MB | {r['peak_rss_mb']:.0f} MB "
            f"| {r['peak_rss_mb'] - r['rss_before_mb']:.0f} MB | {r['file_kb']} kB |"
        )
    block = "\n".join(lines)
    print(block)
    if not args.no_write:
        write_section(
            f"stm_import_{args.database}",
            f"S&T backfill import ({args.database})",
            "`bench/stm_import.py` (issue 19): a province's past tasks imported from one XLSX, every row "
            "checked and written through the write path in one transaction (all or nothing). "
            "Target: 5,000 tasks under 60 s, memory not growing with the file.",
            block,
        )


if __name__ == "__main__":
    main()
