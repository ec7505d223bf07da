"""Room bookings at scale (issue 16): the overlap check on write, and a week's availability.

Run:  .venv/bin/python bench/bookings.py [--database postgres] [--rounds 200] [--no-write]

With 100,000 bookings in the table (10 rooms, 10,000 each, inserted in bulk):

- a booking write through the real write path (`services.create_record`: permission, fields,
  numbering, history, the `NoOverlap` lock and look-up; on PostgreSQL the exclusion constraint
  too), against the same write with the check switched off (`timeranges.claim` replaced by a
  no-op for that call: "a row with no conflict check"), alternating, `--rounds` of each; each
  written booking is deleted again so the table stays the same;
- the week's availability for all rooms (`rooms.availability.availability`), with its SQL
  query count, against the same query with only that week's bookings left in the table (the
  same rows returned: the cost of the table's size), and with the table emptied.

Target (the issue): a booking write under 2x the unchecked write; the week's availability in
one to three SQL queries. Results are printed and written into docs/benchmarks.md (between
markers) unless --no-write. The database is a throwaway SQLite file in var/, or with
`--database postgres` a throwaway database `bench_bookings` on BENCH_POSTGRES_URL's server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    machine,
    postgres_url,
    recreate_postgres,
    setup_django,
    write_section,
)

DB_PATH = ROOT / "var" / "bench-bookings.sqlite3"
PG_NAME = "bench_bookings"
TEMPLATE = "bench_bookings_template"  # migrated once, kept: `--fresh-template` makes it again
ROOMS = 10
PER_ROOM = 10_000


def setup(database: str, fresh_template: bool) -> None:
    """Django on a fresh bench database, copied from a migrated template (`TEMPLATE`: made once,
    in a process of its own, and kept), so that a run spends its minutes measuring, not
    migrating (a fresh PostgreSQL migration took over 25 minutes on the busy machine)."""
    if fresh_template or not template_exists(database):
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", f"from bench.common import migrate_template; "
             f"migrate_template({TEMPLATE!r}, {database!r})"],
            cwd=ROOT, check=True,
        )
        stage(f"template {TEMPLATE} migrated in {time.perf_counter() - began:.0f} s")
    setup_django(DB_PATH, database, PG_NAME, template=TEMPLATE)
    stage("bench database copied from the template")


def template_exists(database: str) -> bool:
    if database != "postgres":
        return (ROOT / "var" / f"{TEMPLATE}.sqlite3").exists()
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone() is not None


def stage(text: str) -> None:
    """Where a run is, on stderr: a slow stage is seen, not guessed."""
    print(f"[bookings {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def fill() -> tuple[Any, list[Any], dt.datetime]:
    """An officer, 10 rooms, 100,000 one-hour bookings two hours apart (none overlapping)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from modules.engine import registry, services
    from modules.engine.roles import sync_roles
    from tests.conftest import make_unit, make_user

    sync_roles()
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    unit = make_unit(root, "SKHCN-01", "Sở KH&CN Hà Nội", "provincial_dost", province_code="01")
    officer = make_user("officer", unit, ("provincial_officer",))
    room_entity = registry.entity_by_label("rooms.Room")
    rooms = [
        services.create_record(room_entity, root, {"code": f"P{i:02d}", "name": f"Phòng {i}", "capacity": 30})
        for i in range(ROOMS)
    ]
    model = registry.model_for("rooms.RoomBooking")
    first = timezone.make_aware(dt.datetime(2024, 1, 1, 0, 0))
    batch = []
    for room in rooms:
        for i in range(PER_ROOM):
            start = first + dt.timedelta(hours=2 * i)
            batch.append(
                model(
                    room=room,
                    title="Họp",
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    owner_unit_id=unit.pk,
                    number=f"B-{room.pk}-{i}",
                    state="confirmed",
                    version=1,
                )
            )
        model.objects.bulk_create(batch, batch_size=2000)
        batch.clear()
    middle = first + dt.timedelta(hours=PER_ROOM)  # the week in the middle of the series
    return officer, rooms, middle


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_writes(officer: Any, rooms: list[Any], middle: dt.datetime, rounds: int) -> dict[str, Any]:
    """Alternate checked and unchecked writes of a free odd hour in the middle of the table."""
    from modules.engine import registry, services, timeranges

    entity = registry.entity_by_label("rooms.RoomBooking")
    model = registry.model_for(entity)
    real_claim = timeranges.claim
    checked: list[float] = []
    unchecked: list[float] = []
    for i in range(rounds * 2):
        room = rooms[i % ROOMS]
        start = middle + dt.timedelta(hours=2 * (i // 2) + 1)  # the free hour between two bookings
        values = {
            "room": room.pk,
            "title": "Đo",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=1),
        }
        off = (i + (i // 2)) % 2 == 1  # ABBA order: neither side always goes first
        if off:
            timeranges.claim = lambda entity, instance: None
        try:
            began = time.perf_counter()
            row = services.create_record(entity, officer, values)
            took = time.perf_counter() - began
        finally:
            timeranges.claim = real_claim
        (unchecked if off else checked).append(took * 1000)
        model.objects.filter(pk=row.pk).delete()
    ratios = [a / b for a, b in zip(checked, unchecked, strict=False)]
    return {
        "checked_p50": statistics.median(checked),
        "checked_p99": percentile(checked, 0.99),
        "unchecked_p50": statistics.median(unchecked),
        "unchecked_p99": percentile(unchecked, 0.99),
        "ratio": statistics.median(ratios),
        "samples": len(checked),
    }


def measure_week(middle: dt.datetime, rounds: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modules.rooms import availability

    start = middle - dt.timedelta(days=middle.weekday())
    end = start + dt.timedelta(days=7)
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        week = availability.availability(start, end)
        samples.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        week = availability.availability(start, end)
    assert len(week) == ROOMS
    return statistics.median(samples), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--fresh-template", action="store_true", help="migrate the kept template again")
    args = parser.parse_args()
    setup(args.database, args.fresh_template)
    load = os.getloadavg()
    officer, rooms, middle = fill()
    from django.db import connection

    from modules.engine import registry

    model = registry.model_for("rooms.RoomBooking")
    total = model.objects.count()
    stage(f"{total} bookings in the table")
    writes = measure_writes(officer, rooms, middle, args.rounds)
    stage("writes measured")
    week_full, queries_full = measure_week(middle, args.rounds)
    # The week's own rows alone (the table's other ~99,000 deleted): the same rows come back, so
    # a gap to the full table is the table's size, a gap to the empty table is the rows returned.
    # Nothing refers to the bulk rows: plain DELETEs, no cascade to collect.
    week_start = middle - dt.timedelta(days=middle.weekday())
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {model._meta.db_table} WHERE starts_at < %s OR starts_at >= %s",
            [week_start - dt.timedelta(days=1), week_start + dt.timedelta(days=8)],
        )
    alone = model.objects.count()
    week_alone, queries_alone = measure_week(middle, args.rounds)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table}")
    stage("week measured; bookings emptied")
    week_empty, queries_empty = measure_week(middle, args.rounds)
    after = os.getloadavg()
    if args.database == "postgres":
        recreate_postgres(PG_NAME, drop_only=True)
    block = "\n".join(
        [
            f"{args.database}, {machine()}; load average {load[0]:.2f} before, {after[0]:.2f} after"
            f" (1 min); {total:_} bookings over {ROOMS} rooms".replace("_", "."),
            "",
            "| measure | p50 | p99 | SQL queries |",
            "|---|---|---|---|",
            f"| booking write, overlap check on | {writes['checked_p50']:.2f} ms | {writes['checked_p99']:.2f} ms | |",
            f"| booking write, check off | {writes['unchecked_p50']:.2f} ms | {writes['unchecked_p99']:.2f} ms | |",
            f"| ratio (median of paired rounds, {writes['samples']} each) | {writes['ratio']:.2f}× | | |",
            f"| week's availability, all rooms, {total:,} bookings | {week_full:.2f} ms | | {queries_full} |".replace(
                ",", "."
            ),
            f"| the same, only that week's {alone} bookings in the table | {week_alone:.2f} ms | | {queries_alone} |",
            f"| the same, no bookings | {week_empty:.2f} ms | | {queries_empty} |",
        ]
    )
    print(block)
    if not args.no_write:
        write_section(
            f"bench/bookings.py {args.database}",
            f"Room bookings: overlap check and availability ({args.database})",
            "`bench/bookings.py` (issue 16). Target: a booking write under 2× the same write without "
            "the overlap check; a week's availability for all rooms in one to three SQL queries.",
            block,
        )


if __name__ == "__main__":
    main()
