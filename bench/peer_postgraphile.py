"""A GraphQL peer side by side: onemst on Daphne against PostGraphile, over HTTP, with wrk.

Run:  .venv/bin/python bench/peer_postgraphile.py [--seconds 15] [--concurrency 1,8,32]
      [--rounds 2] [--workers 1] [--reuse] [--no-write]

Both servers read one PostgreSQL database (its name from PEER_DB, default
`onemst_bench_peer`, created if missing): 100,000 tasks over 40 units with their
assigning leaders and responsible people, written by onemst's own migrations and
the same organisation as bench/graphql_list.py. PostGraphile 4 is installed from
npm into bench/.peer/ (not committed) and runs as one Node process; onemst runs as
`manage.py serve --workers N` (N=1: one Daphne process). Each server is given the
same 200-row list with two nested links (owner unit, responsible person), same
order, same columns; the answers are checked to hold the same task ids before
any timing.

Two cases:
- superuser: onemst with a superuser's API token (no row filter); PostGraphile
  with no row-level security on the table;
- provincial officer: onemst with the officer's API token (`scoped_queryset`, the
  one rule); PostGraphile with PostgreSQL row-level security forced on the task
  table, a policy equivalent to the rule (owner unit in the officer's visible
  units, or created by them, or an object grant to them or their groups), the
  claims carried per request in a JWT that PostGraphile turns into pgSettings
  (`jwt.claims.*`).

wrk (Debian's `wrk`) drives each server in turn at each concurrency, alternating
servers (the order flips every round), for `--seconds` per run. Each run records
requests per second, p50 and p99 (wrk's own latency distribution), non-2xx answers,
and the CPU each server process (and its children) used. The load average is
read before each run. The result goes into docs/benchmarks.md between markers.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, machine, write_section  # noqa: E402

PEER_DIR = ROOT / "bench" / ".peer"
POSTGRAPHILE = "postgraphile@4.14"
DB_NAME = os.environ.get("PEER_DB", "onemst_bench_peer")
PG = os.environ.get("PEER_PG", "postgres://onemst:onemst@127.0.0.1:5432")
DB_URL = f"{PG}/{DB_NAME}"
PEER_COPY = f"{DB_NAME}_copy"
PEER_URL = f"{PG}/{PEER_COPY}"
REDIS = os.environ.get("PEER_REDIS", "redis://127.0.0.1:6379/0")
JWT_SECRET = "onemst-bench-peer-secret"  # a throwaway database, a throwaway key
TOTAL = 100_000

ONEMST_QUERY = (
    "{ tasks(pagination:{limit:200}) { results { id number title deadline "
    "ownerUnit { code name } assignee { username firstName lastName } } } }"
)


def peer_query(task: str, unit_link: str, person_link: str) -> str:
    """The same list in PostGraphile's names: same order (deadline, then -id), same columns."""
    return (
        f"{{ all{task}s(first:200, orderBy:[DEADLINE_ASC, ID_DESC]) {{ nodes {{ id number title deadline "
        f"{unit_link} {{ code name }} {person_link} {{ username firstName lastName }} }} }} }}"
    )


# --- the database -------------------------------------------------------------------


def ensure_database(fresh: bool) -> bool:
    """Create the bench database (dropped first when `fresh`); True when it was (re)created."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname=%s", (DB_NAME,)).fetchone()
        if exists and not fresh:
            return False
        if exists:
            conn.execute(f'drop database "{DB_NAME}" with (force)')
        conn.execute(f'create database "{DB_NAME}"')
    return True


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DB_POOL_MAX", "10")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_tasks(total: int) -> dict[str, Any]:
    """The organisation of bench/graphql_list.py, people in every unit, and `total` tasks."""
    import datetime as dt

    from bench.graphql_list import build_org
    from modules.engine import registry
    from tests.conftest import make_user

    org = build_org()
    units = org["units"]
    people = [make_user(f"canbo{i:03d}", units[i % len(units)], ("specialist",)) for i in range(120)]
    leaders = [org["admin"], org["root"]]
    model = registry.model_for("tasks.Task")
    today = dt.date(2026, 3, 1)
    for start in range(0, total, 10_000):
        rows = []
        for i in range(start, min(total, start + 10_000)):
            owner = units[i % len(units)]
            rows.append(
                model(
                    number=f"NV-2026-{i:06d}",
                    title=f"Nhiệm vụ số {i}: triển khai chuyển đổi số cấp tỉnh",
                    content="Báo cáo tiến độ thực hiện hằng tháng.",
                    assigned_by=leaders[i % 2],
                    assignee=None if i % 9 == 0 else people[i % len(people)],
                    deadline=None if i % 11 == 0 else today + dt.timedelta(days=i % 500),
                    owner_unit=owner,
                    created_by=org["officer"] if owner is units[2] else org["other"],
                )
            )
        model.objects.bulk_create(rows, batch_size=2000)
    return org


def bench_users() -> dict[str, Any]:
    from django.contrib.auth.models import User

    return {"superuser": User.objects.get(username="admin"), "officer": User.objects.get(username="officer")}


def api_token(user: Any) -> str:
    """A fresh onemst API token for `user` (only its hash is stored)."""
    from modules.engine import tokens

    raw = tokens.new_token()
    tokens.token_model().objects.create(
        user=user, name="bench", key_hash=tokens.hash_token(raw), prefix=raw[:12]
    )
    return raw


def rls_sql(enable: bool) -> list[str]:
    """Row-level security on the task table, equivalent to `scoped_queryset` for viewing.

    The officer's visible units and id come in the JWT (PostGraphile sets them as
    `jwt.claims.*` for the request's transaction). FORCE makes the policy bind the
    table's owner too (the bench connects as the owner; it may not create roles), so
    the policy goes into PostGraphile's own copy of the database only (`PEER_COPY`).
    Missing claims match no row.
    """
    from django.contrib.auth.models import Permission

    from modules.engine import registry

    classes = registry.classes_for(registry.entity_by_label("tasks.Task"))
    task = classes["Task"]._meta.db_table
    if not enable:
        return [
            f"alter table {task} no force row level security",
            f"alter table {task} disable row level security",
        ]
    user_grants = classes["TaskUserObjectPermission"]._meta.db_table
    group_grants = classes["TaskGroupObjectPermission"]._meta.db_table
    from django.contrib.auth.models import User

    user_groups = User.groups.through._meta.db_table
    perm = Permission.objects.get(content_type__app_label="tasks", codename="view_task").pk
    uid = "nullif(current_setting('jwt.claims.user_id', true), '')::int"
    units = "nullif(current_setting('jwt.claims.units', true), '')::int[]"
    return [
        f"drop policy if exists onemst_scope on {task}",
        f"""create policy onemst_scope on {task} for select using (
            owner_unit_id = any({units})
            or created_by_id = {uid}
            or id in (select content_object_id from {user_grants} where user_id = {uid} and permission_id = {perm})
            or id in (select g.content_object_id from {group_grants} g join {user_groups} ug
                      on ug.group_id = g.group_id where ug.user_id = {uid} and g.permission_id = {perm}))""",
        f"alter table {task} enable row level security",
        f"alter table {task} force row level security",
    ]


def run_sql(statements: list[str], url: str = DB_URL) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def copy_for_peer() -> None:
    """PostGraphile's database: a byte-for-byte copy of onemst's (`create database … template`).

    Two databases on one server, with the same rows, statistics and indexes: the
    row-level security forced on the copy cannot touch onemst's own queries.
    """
    from django.db import connections

    for conn in connections.all():
        if hasattr(conn, "close_pool"):
            conn.close_pool()
        conn.close()
    run_sql(
        [
            f'drop database if exists "{PEER_COPY}" with (force)',
            f'create database "{PEER_COPY}" template "{DB_NAME}"',
        ],
        f"{PG}/postgres",
    )


def jwt(claims: dict[str, Any]) -> str:
    """An HS256 JWT for PostGraphile (audience "postgraphile", its default)."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({**claims, "aud": "postgraphile", "exp": int(time.time()) + 86_400}).encode())
    sig = hmac.new(JWT_SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def officer_claims(officer: Any) -> dict[str, Any]:
    from modules.engine import access

    units = sorted(access.directory().visible_unit_ids(officer))
    return {"user_id": str(officer.pk), "units": "{" + ",".join(map(str, units)) + "}"}


# --- the servers --------------------------------------------------------------------


def install_postgraphile() -> Path:
    binary = PEER_DIR / "node_modules" / ".bin" / "postgraphile"
    if not binary.exists():
        PEER_DIR.mkdir(parents=True, exist_ok=True)
        (PEER_DIR / "package.json").write_text('{"private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", POSTGRAPHILE], cwd=PEER_DIR, check=True)
    return binary


def wait_port(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def start_postgraphile(binary: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(ROOT / "var" / "bench-postgraphile.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(binary),
            "-c",
            PEER_URL,
            "--schema",
            "public",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--disable-default-mutations",
            "--disable-graphiql",
            "--disable-query-log",
            "--jwt-secret",
            JWT_SECRET,
            "--cors",
        ],
        cwd=PEER_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "NODE_ENV": "production"},
    )
    wait_port(port, process, "PostGraphile")
    return process, f"http://127.0.0.1:{port}/graphql"


def start_onemst(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DEBUG": "false",
    }
    log = open(ROOT / "var" / "bench-onemst-peer.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "serve",
            "--workers",
            str(workers),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_port(port, process, "onemst")
    return process, f"http://127.0.0.1:{port}/graphql/"


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started, with its children (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def post(url: str, query: str, headers: dict[str, str]) -> dict[str, Any]:
    import urllib.request

    request = urllib.request.Request(
        url, json.dumps({"query": query}).encode(), {"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def group_cpu(pgid: int) -> float:
    """CPU seconds used so far by every process in a process group (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


# --- wrk ----------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, query: str, headers: dict[str, str], concurrency: int, seconds: float) -> dict[str, Any]:
    """One wrk run: req/s, p50, p99 (ms), non-2xx count."""
    script = "\n".join(
        [
            'wrk.method = "POST"',
            f"wrk.body = {json.dumps(json.dumps({'query': query}))}",
            'wrk.headers["Content-Type"] = "application/json"',
            *(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()),
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(min(2, concurrency)),
                "-c",
                str(concurrency),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    latency = dict(re.findall(r"^\s+(50|99)\.?0*%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        raise RuntimeError(f"wrk's output has no latency distribution:\n{out}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "bad": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def load_average() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# --- the run ------------------------------------------------------------------------


def peer_names(url: str) -> tuple[str, str, str]:
    """The task type and its two links as PostGraphile's inflector named them."""
    schema = post(url, '{ __type(name: "Query") { fields { name } } }', {})
    names = [f["name"] for f in schema["data"]["__type"]["fields"]]
    task = next(n[3:-1] for n in names if n.startswith("all") and n.lower().endswith("taskstasks"))
    fields = post(url, f'{{ __type(name: "{task}") {{ fields {{ name }} }} }}', {})
    links = [f["name"] for f in fields["data"]["__type"]["fields"]]
    unit = next(n for n in links if n.endswith("ByOwnerUnitId"))
    person = next(n for n in links if n.endswith("ByAssigneeId"))
    return task, unit, person


def ids_onemst(body: dict[str, Any]) -> list[int]:
    return [int(r["id"]) for r in body["data"]["tasks"]["results"]]


def ids_peer(body: dict[str, Any], task: str) -> list[int]:
    return [int(r["id"]) for r in body["data"][f"all{task}s"]["nodes"]]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--rounds", type=int, default=2, help="each round runs both servers once per point")
    parser.add_argument("--workers", default="1", help="onemst processes; a list (1,2) measures each")
    parser.add_argument("--cases", default="superuser,officer")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--from-log", help="render the JSON lines a run printed (no measuring)")
    args = parser.parse_args()
    if args.from_log:
        rows = [
            json.loads(line) for line in Path(args.from_log).read_text().splitlines() if line.startswith("{")
        ]
        setup_django()
        block = render(rows, args)
        print(block)
        if not args.no_write:
            write_section("bench/peer_postgraphile.py", "GraphQL peer (PostGraphile)", INTRO, block)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    (ROOT / "var").mkdir(exist_ok=True)
    fresh = ensure_database(fresh=not args.reuse)
    setup_django()
    from modules.engine import registry

    if fresh or not registry.model_for("tasks.Task").objects.exists():
        started = time.time()
        load_tasks(TOTAL)
        print(f"loaded {TOTAL} tasks in {time.time() - started:.0f} s", flush=True)
        run_sql(["analyze"])
    users = bench_users()
    rls = {case: rls_sql(enable=case == "officer") for case in ("superuser", "officer")}
    binary = install_postgraphile()
    headers = {
        "superuser": ({"Authorization": f"Bearer {api_token(users['superuser'])}"}, {}),
        "officer": (
            {"Authorization": f"Bearer {api_token(users['officer'])}"},
            {"Authorization": f"Bearer {jwt(officer_claims(users['officer']))}"},
        ),
    }
    copy_for_peer()
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    results: list[dict[str, Any]] = []
    for workers in [int(w) for w in args.workers.split(",")]:
        for case in args.cases.split(","):
            run_sql(rls[case], PEER_URL)
            peer, peer_url = start_postgraphile(binary)
            ours, our_url = start_onemst(workers)
            try:
                task, unit_link, person_link = peer_names(peer_url)
                pq = peer_query(task, unit_link, person_link)
                our_headers, peer_headers = headers[case]
                mine = ids_onemst(post(our_url, ONEMST_QUERY, our_headers))
                theirs = ids_peer(post(peer_url, pq, peer_headers), task)
                assert len(mine) == 200 and mine == theirs, (case, mine[:5], theirs[:5])
                sides = {
                    "onemst": (our_url, ONEMST_QUERY, our_headers, ours),
                    "PostGraphile": (peer_url, pq, peer_headers, peer),
                }
                for url, query, hdrs, _ in sides.values():  # warm-up
                    wrk(url, query, hdrs, 8, 2)
                for concurrency in concurrencies:
                    for round_no in range(args.rounds):
                        order = list(sides) if round_no % 2 == 0 else list(sides)[::-1]
                        for name in order:
                            url, query, hdrs, process = sides[name]
                            load = load_average()
                            cpu0, t0 = group_cpu(process.pid), time.time()
                            row = wrk(url, query, hdrs, concurrency, args.seconds)
                            wall = time.time() - t0
                            row.update(
                                side=name,
                                case=case,
                                concurrency=concurrency,
                                workers=workers,
                                round=round_no,
                                load=load,
                                cpu=100 * (group_cpu(process.pid) - cpu0) / wall,
                            )
                            results.append(row)
                            print(json.dumps(row), flush=True)
            finally:
                stop(ours)
                stop(peer)
    block = render(results, args)
    print(block)
    if not args.no_write:
        write_section("bench/peer_postgraphile.py", "GraphQL peer (PostGraphile)", INTRO, block)


INTRO = """`bench/peer_postgraphile.py` runs PostGraphile 4 (from npm into `bench/.peer/`, one Node
process) beside onemst (`manage.py serve --workers N`; N=1 is one Daphne process) on one
PostgreSQL server holding 100,000 tasks (PostGraphile reads a template copy, on which
row-level security is forced), and sends both the same 200-row list with two nested links
with `wrk`, alternating servers. Scoped case: row-level security with JWT claims on
PostGraphile's side, the provincial officer's API token and `scoped_queryset` on ours."""


def render(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    import statistics

    lines = [
        f"Machine: {machine()}; PostgreSQL {server_version()}; wrk, {args.seconds:g} s per run, "
        f"{args.rounds} run(s) per point and side, servers alternating; ranges are over the runs, the "
        "ratio is of the medians; CPU is the server's own processes (PostgreSQL works for both); "
        "load is the 1-minute load average read before each run.",
        "",
        "| case | onemst processes | concurrency | onemst req/s | p50 / p99 ms | PostGraphile req/s "
        "| p50 / p99 ms | ratio | CPU % onemst / PostGraphile | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    keys = sorted(
        {(r["case"], r["workers"], r["concurrency"]) for r in results},
        key=lambda k: (k[0] != "superuser", k[1], k[2]),
    )
    for case, workers, concurrency in keys:
        rows = [
            r for r in results if (r["case"], r["workers"], r["concurrency"]) == (case, workers, concurrency)
        ]
        ours = [r for r in rows if r["side"] == "onemst"]
        peer = [r for r in rows if r["side"] == "PostGraphile"]

        def span(side: list[dict[str, Any]], key: str, fmt: str = "{:.0f}") -> str:
            values = sorted(r[key] for r in side)
            low, high = fmt.format(values[0]), fmt.format(values[-1])
            return low if low == high else f"{low}–{high}"

        ratio = statistics.median(o["rps"] for o in ours) / statistics.median(p["rps"] for p in peer)
        bad = sum(r["bad"] for r in rows)
        label = "superuser" if case == "superuser" else "provincial officer (row-level security on the peer)"
        cpu = f"{statistics.median(o['cpu'] for o in ours):.0f} / {statistics.median(p['cpu'] for p in peer):.0f}"
        loads = sorted(r["load"].split("/")[0] for r in rows)
        lines.append(
            f"| {label} | {workers} | {concurrency} | {span(ours, 'rps')} | {span(ours, 'p50', '{:.1f}')} / "
            f"{span(ours, 'p99', '{:.1f}')} | {span(peer, 'rps')} | {span(peer, 'p50', '{:.1f}')} / "
            f"{span(peer, 'p99', '{:.1f}')} | **{ratio:.2f}** | {cpu} | {loads[0]}–{loads[-1]}"
            f"{'; ' + str(bad) + ' non-2xx' if bad else ''} |"
        )
    return "\n".join(lines)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("show server_version")
        return cursor.fetchone()[0].split()[0]


if __name__ == "__main__":
    main()
