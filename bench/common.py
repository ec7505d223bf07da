"""What every benchmark script shares: the machine line, and writing its section of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    """`nproc N, <CPU model>; Python X.Y.Z`, for the line above each table."""
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        cpu = ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("Model name")), "?"
    )
    return f"nproc {os.cpu_count()}, {model}; Python {platform.python_version()}"


def write_section(script: str, heading: str, intro: str, block: str) -> None:
    """Replace the text between the script's markers, or append a new section with its intro."""
    begin, end = f"<!-- {script}: begin -->", f"<!-- {script}: end -->"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n{intro.strip()}\n\n{section}\n"
    DOC.write_text(text)


def postgres_url(name: str) -> str:
    """The address of database `name` on the bench's PostgreSQL server (BENCH_POSTGRES_URL)."""
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://onemst:onemst@127.0.0.1:5432/onemst")
    return base.rsplit("/", 1)[0] + "/" + name


def recreate_postgres(name: str, drop_only: bool = False) -> None:
    """A throwaway database for one bench: dropped (sessions ended), then made anew."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            admin.execute(f"CREATE DATABASE {name}")


def setup_django(db_path: Path) -> None:
    """Django on a throwaway SQLite file under var/, migrated, with the tests' settings."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DEBUG"] = "false"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_daphne(db_path: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """One Daphne process on that database; returns it and its host:port once it listens."""
    import socket
    import sys
    import time

    root = DOC.parent.parent
    port = free_port()
    env = {**os.environ, "SQLITE_PATH": str(db_path), "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("REDIS_URL", None)
    env.update(extra_env or {})
    log = open(root / "var" / f"bench-daphne-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(1200):  # two minutes: on a loaded 2-core machine the imports alone take long
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("daphne did not start")
