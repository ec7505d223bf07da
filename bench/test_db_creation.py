"""Time a fresh `migrate` (what creating the test database costs), optionally against an older revision.

    .venv/bin/python bench/test_db_creation.py --before 8b391b8 --databases sqlite,postgres --rounds 1

Each run is `manage.py migrate` under tests.settings (the sample module included, as pytest does)
on an empty SQLite file or an empty PostgreSQL database `hci_bench_<side>`. With `--before REV`
that revision's tree is exported (`git archive`) and the two sides alternate, so both see the same
load; the 1-minute load average is printed beside every figure (docs/benchmarks.md, "Test
database creation").
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://onemst:onemst@127.0.0.1:5432")


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def fresh_migrate(tree: Path, side: str, database: str, scratch: Path) -> float:
    """Seconds for one `migrate` of an empty database from the migrations in `tree`."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        name = f"hci_bench_{side}"
        admin = ["psql", f"{PG_URL}/postgres", "-qc"]
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = f"{PG_URL}/{name}"
    else:
        path = scratch / f"{side}.sqlite3"
        for stale in scratch.glob(f"{side}.sqlite3*"):
            stale.unlink()
        env["SQLITE_PATH"] = str(path)
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=tree, env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a git revision to compare with (alternating runs)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="test-db-creation-") as tmp:
        scratch = Path(tmp)
        sides = {"after": ROOT}
        if args.before:
            old = scratch / "before-tree"
            old.mkdir()
            archive = subprocess.run(
                ["git", "archive", args.before], cwd=ROOT, check=True, capture_output=True
            )
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
            sides = {"before": old, "after": ROOT}
        for database in args.databases.split(","):
            for round_no in range(1, args.rounds + 1):
                for side, tree in sides.items():
                    before_load = load()
                    seconds = fresh_migrate(tree, side, database, scratch)
                    print(
                        f"{datetime.now(UTC):%H:%M:%S} UTC {database:8} round {round_no} {side:6} "
                        f"{seconds:6.1f} s  load {before_load} -> {load()}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
