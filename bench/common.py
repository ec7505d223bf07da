"""What every benchmark script shares: the machine line, and writing its section of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

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


def recreate_postgres(name: str, drop_only: bool = False, template: str = "") -> None:
    """A throwaway database for one bench: dropped (sessions ended), then made anew (as a copy
    of database `template` if given: a migrated schema in seconds instead of minutes)."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def setup_django(db_path: Path, database: str = "sqlite", pg_name: str = "", template: str = "") -> None:
    """Django with the tests' settings on a fresh database, migrated: a throwaway SQLite file
    under var/, or (database="postgres") a PostgreSQL database `pg_name` dropped and made anew.

    `template` names a database `migrate_template` made: the fresh one is its copy (the SQLite
    file `var/<template>.sqlite3`, or the PostgreSQL database `<template>`), then migrated, which
    finds nothing left to do; a bench with several fresh databases migrates once."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["SQLITE_PATH"] = str(db_path)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DEBUG"] = "false"
    if database == "postgres":
        if not pg_name:
            raise ValueError("pg_name is required with database='postgres'")
        recreate_postgres(pg_name, template=template)
        os.environ["DATABASE_URL"] = postgres_url(pg_name)
    else:  # the SQLite file is only touched when it is the database
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        db_path.parent.mkdir(exist_ok=True)
        if template:
            import shutil

            shutil.copyfile(DOC.parent.parent / "var" / f"{template}.sqlite3", db_path)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def provincial_department(code: str, name: str, province_code: str, officer: str) -> tuple[Any, Any, Any]:
    """The superuser `root`, a provincial Department of S&T and one officer of it (role
    provincial_officer) on a fresh database: whom the S&T benches act as (councils, stm_import)."""
    from django.contrib.auth.models import User

    from modules.engine.roles import sync_roles
    from tests.conftest import make_unit, make_user

    sync_roles()
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    unit = make_unit(root, code, name, "provincial_dost", province_code=province_code)
    return root, unit, make_user(officer, unit, ("provincial_officer",))


def migrate_template(name: str, database: str = "sqlite") -> None:
    """Make the migrated database `name` that `setup_django(template=name)` copies; run it in a
    process of its own (it sets Django up). The SQLite form is one file, checkpointed whole."""
    db_path = DOC.parent.parent / "var" / f"{name}.sqlite3"
    setup_django(db_path, database, name)
    from django.db import connections

    if database != "postgres":
        with connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connections.close_all()


def teardown_django(db_path: Path, database: str = "sqlite", pg_name: str = "") -> None:
    """Undo `setup_django`: close the connections, drop the PostgreSQL database, delete the file."""
    from django.db import connections

    connections.close_all()
    if database == "postgres":
        if pg_name:
            recreate_postgres(pg_name, drop_only=True)
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


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
