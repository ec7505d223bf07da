"""GraphQL list speed: the generated API against a hand-written Django view (the floor).

Run:  .venv/bin/python bench/graphql_list.py [--quick] [--no-write] [--skip-100k]
      .venv/bin/python bench/graphql_list.py --count-only [--database postgres]

Part 1: 200 rows with two nested links, fetched by a provincial officer (a
permission-filtered user, so the scoping cost is included), through Django's
full request stack (`django.test.Client` POST, every middleware, session auth):

- the generated API at /graphql/, with the fast path (`schema.fastpath`) on;
- the same API with the fast path off (stock strawberry-django + optimizer);
- the floor: a hand-written view at /floor/ that runs the same scoped ORM query
  (`access.scoped_queryset` + `select_related` + `only`) and returns the same JSON;
- a stricter floor at /floor-values/ that uses `values_list` (no model instances).

All four answers are checked byte for byte before any timing. The paths alternate
within each round, in one process. A path's figure is its median round. A ratio
is the median of the per-round ratios, which holds up when the machine's load
drifts.

Part 2: 100,000 rows over 40 units. The same list query (limit 200, default
ordering -id) as a unit-scoped officer and as a superuser (no filter at all),
over HTTP and ORM-only.

Part 3 (`--count-only` runs just this, on SQLite or PostgreSQL): `totalCount` under
scoping, 100,000 rows. The same page with `totalCount` as the provincial officer, the
same page without it, and the page with `totalCount` as a superuser, alternating; plus
the officer's page with the count written the old way (`rulesql.INDEXED_COUNTS` off) and
the count alone in the ORM, with its query plan.

Part 4 (`--custom-only`, issue 15): the 200-row list with five custom fields selected
and one of them as a filter, against the same list with none (both on the fast path),
100 alternating rounds, with the SQL query count of each.

Results are printed, and written into docs/benchmarks.md (between markers)
unless --no-write is given. The database is a throwaway SQLite file in var/, or
with `--database postgres` a throwaway database `bench_graphql_list` on the server of
BENCH_POSTGRES_URL (default postgres://onemst:onemst@127.0.0.1:5432/onemst).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `bench` is importable from the project root
    sys.path.insert(0, str(ROOT))

from bench.common import postgres_url, recreate_postgres  # noqa: E402

DB_PATH = ROOT / "var" / "bench-graphql-list.sqlite3"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- bench/graphql_list.py: begin -->"
END = "<!-- bench/graphql_list.py: end -->"
PG_NAME = "bench_graphql_list"

QUERY = (
    "{ sampleProjects(pagination:{limit:200}) { results { id number title budget dueDate "
    "ownerUnit { code name } leadUnit { code name } } } }"
)


def setup_django(database: str = "sqlite") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["SQLITE_PATH"] = str(DB_PATH)
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        recreate_postgres(PG_NAME)
        os.environ["DATABASE_URL"] = postgres_url(PG_NAME)
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DEBUG"] = "false"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)


# --- the floor: a hand-written view ---------------------------------------------------


def _unit(unit: Any) -> dict[str, Any] | None:
    return None if unit is None else {"code": unit.code, "name": unit.name}


FLOOR_COLUMNS = (
    "id",
    "number",
    "title",
    "budget",
    "due_date",
    "owner_unit__code",
    "owner_unit__name",
    "lead_unit__code",
    "lead_unit__name",
)


def _visible_projects(request: Any) -> Any:
    """Read the request like the GraphQL view does; the user's projects, or None if anonymous."""
    from modules.engine import access, registry

    json.loads(request.body)
    if not request.user.is_authenticated:
        return None
    return access.scoped_queryset(request.user, registry.entity_by_label("sample.SampleProject"), "view")


def _unauthenticated() -> Any:
    from django.http import JsonResponse

    return JsonResponse({"errors": [{"message": "auth"}]}, status=401)


def _answer(results: list[dict[str, Any]]) -> Any:
    from django.http import HttpResponse

    body = json.dumps(
        {"data": {"sampleProjects": {"results": results}}}, separators=(",", ":"), ensure_ascii=False
    )
    return HttpResponse(body, content_type="application/json")


def floor_view(request: Any) -> Any:
    """What a careful engineer would write by hand for this one query."""
    projects = _visible_projects(request)
    if projects is None:
        return _unauthenticated()
    rows = projects.select_related("owner_unit", "lead_unit").only(*FLOOR_COLUMNS).order_by("-id")[:200]
    results = [
        {
            "id": str(p.id),
            "number": p.number,
            "title": p.title,
            "budget": None if p.budget is None else str(p.budget),
            "dueDate": None if p.due_date is None else p.due_date.isoformat(),
            "ownerUnit": _unit(p.owner_unit),
            "leadUnit": _unit(p.lead_unit),
        }
        for p in rows
    ]
    return _answer(results)


def values_floor_view(request: Any) -> Any:
    """The strictest floor: `.values()` rows, no model instances at all."""
    projects = _visible_projects(request)
    if projects is None:
        return _unauthenticated()
    rows = projects.order_by("-id").values_list(*FLOOR_COLUMNS, "lead_unit_id")[:200]
    results = [
        {
            "id": str(pk),
            "number": number,
            "title": title,
            "budget": None if budget is None else str(budget),
            "dueDate": None if due is None else due.isoformat(),
            "ownerUnit": {"code": owner_code, "name": owner_name},
            "leadUnit": None if lead_id is None else {"code": lead_code, "name": lead_name},
        }
        for pk, number, title, budget, due, owner_code, owner_name, lead_code, lead_name, lead_id in rows
    ]
    return _answer(results)


def install_urls() -> None:
    """A bench-only URLconf: the real GraphQL view next to the floor, same middleware."""
    from django.conf import settings
    from django.urls import path

    from schema.views import graphql_view

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("graphql/", graphql_view),
        path("floor/", floor_view),
        path("floor-values/", values_floor_view),
    ]  # type: ignore[attr-defined]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"


# --- data ---------------------------------------------------------------------------


def build_org() -> dict[str, Any]:
    from django.contrib.auth.models import User

    from modules.engine.roles import sync_roles
    from modules.org.provinces import valid_codes
    from tests.conftest import make_unit, make_user

    sync_roles()
    codes = [p.code for p in valid_codes(dt.date.today())]  # codes valid today (issue 14: 34 provinces)
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    ministry = make_unit(root, "BKHCN", "Bộ Khoa học và Công nghệ", "ministry")
    department = make_unit(root, "KHTC", "Vụ Kế hoạch - Tài chính", "ministry_unit", ministry)
    provinces = [
        make_unit(
            root,
            f"SKHCN-{i:02d}",
            f"Sở KH&CN tỉnh {i:02d}",
            "provincial_dost",
            province_code=codes[i % len(codes)],
        )
        for i in range(1, 39)
    ]
    units = [ministry, department, *provinces]  # 40 units
    officer = make_user("officer", provinces[0], ("provincial_officer",))
    other = make_user("other", provinces[1], ("provincial_officer",))
    admin = make_user("admin", ministry, ("platform_admin",), superuser=True)
    return {"units": units, "officer": officer, "other": other, "admin": admin, "root": root}


def project_rows(start: int, count: int, org: dict[str, Any], spread: bool) -> list[Any]:
    from modules.engine import registry

    model = registry.model_for("sample.SampleProject")
    units = org["units"]
    mine = units[2]  # the officer's province
    today = dt.date(2026, 3, 1)
    rows = []
    for i in range(start, start + count):
        owner = units[i % len(units)] if spread else mine
        rows.append(
            model(
                number=f"DA-2026-{i:06d}",
                title=f"Dự án số {i} — chuyển đổi số",
                priority="high" if i % 3 else "normal",
                budget=None if i % 7 == 0 else Decimal(1_000_000 + i * 1000),
                due_date=None if i % 5 == 0 else today + dt.timedelta(days=i % 400),
                owner_unit=owner,
                lead_unit=None if i % 4 == 0 else units[(i * 7) % len(units)],
                is_shared=spread and i % 50 == 0,
                created_by=org["officer"] if owner is mine else org["other"],
            )
        )
    return model.objects.bulk_create(rows, batch_size=2000)


# --- measuring ----------------------------------------------------------------------


def login(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def post(client: Any, url: str, query: str = QUERY) -> bytes:
    response = client.post(url, json.dumps({"query": query}), content_type="application/json")
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.content


def sql_count(fn: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def per_call(fn: Any, seconds: float) -> float:
    """Seconds per call of `fn`, over a batch lasting about `seconds`."""
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        fn()
        n += 1
        now = time.perf_counter()
        if now >= deadline:
            return (now - start) / n


class Timings(dict):
    """Seconds per call, per path and round (paths alternate within each round)."""

    def __getitem__(self, name: str) -> float:
        """The median over rounds."""
        return statistics.median(super().__getitem__(name))

    def ratios(self, a: str, b: str) -> list[float]:
        pairs = zip(super().__getitem__(a), super().__getitem__(b), strict=True)
        return sorted(x / y for x, y in pairs)

    def ratio(self, a: str, b: str) -> float:
        """Median of the per-round ratios: robust to the machine's load drifting between rounds."""
        return statistics.median(self.ratios(a, b))

    def spread(self, a: str, b: str) -> str:
        ratios = self.ratios(a, b)
        return f"rounds {ratios[0]:.2f}–{ratios[-1]:.2f}×"


def interleaved(paths: dict[str, Any], seconds: float, rounds: int) -> Timings:
    """Time each path for about `seconds` in all, the paths alternating round by round."""
    for fn in paths.values():  # warm-up
        per_call(fn, min(0.5, seconds / rounds))
    samples = Timings({name: [] for name in paths})
    for _ in range(rounds):
        for name, fn in paths.items():
            dict.__getitem__(samples, name).append(per_call(fn, seconds / rounds))
    return samples


def set_fast_path(on: bool) -> None:
    try:
        from schema import fastpath
    except ImportError:
        return
    fastpath.ENABLED = on


def fast_path_answers(fn: Any) -> bool:
    """Whether the compiled fast path (not stock execution) answered `fn`'s request."""
    from schema import fastpath

    before = fastpath.STATS["fast"]
    fn()
    return fastpath.STATS["fast"] == before + 1


def part_200(org: dict[str, Any], seconds: float) -> dict[str, Any]:
    project_rows(0, 200, org, spread=False)
    client = login(org["officer"])
    floor = post(client, "/floor/")
    assert post(client, "/floor-values/") == floor, "the two floors answer differently"
    set_fast_path(False)
    stock = post(client, "/graphql/")
    set_fast_path(True)
    fast = post(client, "/graphql/")
    assert len(json.loads(floor)["data"]["sampleProjects"]["results"]) == 200
    assert stock == floor, "the generated API and the floor answer differently"
    assert fast == floor, "the fast path and the floor answer differently"

    def mode(on: bool, url: str) -> Any:
        def call() -> None:
            set_fast_path(on)
            post(client, url)

        return call

    paths = {
        "floor": mode(True, "/floor/"),
        "values": mode(True, "/floor-values/"),
        "fast": mode(True, "/graphql/"),
        "stock": mode(False, "/graphql/"),
    }
    assert fast_path_answers(paths["fast"]) and not fast_path_answers(paths["stock"])
    counts = {name: sql_count(fn) for name, fn in paths.items()}
    times = interleaved(paths, seconds * 4, rounds=16)
    set_fast_path(True)
    return {"times": times, "counts": counts, "bytes": len(floor)}


CUSTOM_BEGIN = "<!-- bench/graphql_list.py custom: begin -->"
CUSTOM_END = "<!-- bench/graphql_list.py custom: end -->"
CUSTOM_QUERY = QUERY.replace(
    "sampleProjects(pagination:{limit:200})",
    'sampleProjects(pagination:{limit:200}, filters:{custom:{nguonVon:{exact:"tinh"}}})',
).replace("dueDate ", "dueDate custom { nguonVon soHoSo tyLe kinhPhi ngayDuyet } ")


def part_custom(org: dict[str, Any], seconds: float) -> dict[str, Any]:
    """Issue 15: the 200-row list with five custom fields selected and one as a filter
    (matching every row), against the same list with none; both through the fast path."""
    from modules.engine import registry
    from modules.engine.custom_models import CustomField

    project_rows(0, 200, org, spread=False)
    for code, kind in (
        ("nguon_von", "text"),
        ("so_ho_so", "integer"),
        ("ty_le", "decimal"),
        ("kinh_phi", "money"),
        ("ngay_duyet", "date"),
    ):
        field = CustomField(
            entity="sample.SampleProject",
            code=code,
            label_vi=code,
            label_en=code,
            type=kind,
            in_filter=code == "nguon_von",
        )
        field.full_clean()
        field.save()
    registry.model_for("sample.SampleProject").objects.update(
        custom={
            "nguon_von": "tinh",
            "so_ho_so": 1234,
            "ty_le": "12.50",
            "kinh_phi": 2500000000,
            "ngay_duyet": "2026-12-01",
        }
    )
    client = login(org["officer"])
    with_custom = post(client, "/graphql/", CUSTOM_QUERY)
    assert len(json.loads(with_custom)["data"]["sampleProjects"]["results"]) == 200, with_custom[:300]

    def call(query: str) -> Any:
        return lambda: post(client, "/graphql/", query)

    paths = {"plain": call(QUERY), "custom": call(CUSTOM_QUERY)}
    assert all(fast_path_answers(fn) for fn in paths.values()), "a path left the fast path"
    counts = {name: sql_count(fn) for name, fn in paths.items()}
    times = interleaved(paths, seconds * 2, rounds=100)  # 100 alternating rounds
    return {"times": times, "counts": counts, "load": machine_load()}


def machine_load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def report_custom(result: dict[str, Any], load_before: str) -> str:
    t: Timings = result["times"]
    ms = {name: t[name] * 1000 for name in ("plain", "custom")}
    return "\n".join(
        [
            CUSTOM_BEGIN,
            f"Run: `{' '.join(['python', *sys.argv])}`; `uptime` before: `{load_before}`; "
            f"after: `{result['load']}`.",
            "",
            "| 200 rows, officer, fast path | median per request | SQL queries |",
            "|---|---|---|",
            f"| no custom field | {ms['plain']:.1f} ms | {result['counts']['plain']} |",
            f"| five custom fields selected, one as a filter | {ms['custom']:.1f} ms | "
            f"{result['counts']['custom']} |",
            "",
            f"Ratio (median of 100 alternating rounds): **{t.ratio('custom', 'plain'):.2f}×** "
            f"({t.spread('custom', 'plain')}); target ≤ 1.3×.",
            CUSTOM_END,
        ]
    )


def write_custom_doc(block: str) -> None:
    text = DOC.read_text()
    if CUSTOM_BEGIN in text:
        head, rest = text.split(CUSTOM_BEGIN, 1)
        text = head + block + rest.split(CUSTOM_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n### Custom fields in the list (issue 15)\n\n" + block + "\n"
    DOC.write_text(text)


def fill_rows(org: dict[str, Any], total: int) -> Any:
    """`total` projects over the 40 units (the officer's province holds 1 in 40); their model."""
    from django.db import connection

    from modules.engine import registry

    model = registry.model_for("sample.SampleProject")
    existing = model.objects.count()
    for start in range(existing, total, 10_000):
        project_rows(start, min(10_000, total - start), org, spread=True)
    if existing < total and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does soon after a bulk load
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return model


def part_100k(org: dict[str, Any], seconds: float, total: int) -> dict[str, Any]:
    from modules.engine import access, authcache, registry

    model = fill_rows(org, total)
    entity = registry.entity_by_label("sample.SampleProject")
    officer, admin = org["officer"], org["admin"]
    clients = {"filtered": login(officer), "unfiltered": login(admin)}
    http = {name: (lambda c=client: post(c, "/graphql/")) for name, client in clients.items()}
    for call in http.values():
        body = json.loads(call())
        assert len(body["data"]["sampleProjects"]["results"]) == 200
        assert fast_path_answers(call)
    counts = {name: sql_count(call) for name, call in http.items()}

    def orm(user: Any, cold: bool = False) -> Any:
        """Per request: get the user's rule (units, roles), then read 200 rows.

        Warm: the facts come from the shared cache, as in steady use. Cold: they are
        read from the database, as on a user's first request after any change.
        """

        def call() -> None:
            if cold:
                authcache.invalidate()
            access.directory().forget(user)
            list(access.scoped_queryset(user, entity, "view").order_by("-id")[:200])

        return call

    def query_only(user: Any) -> Any:
        """The rule already resolved: only the filtered SQL query and its rows."""
        queryset = access.scoped_queryset(user, entity, "view").order_by("-id")[:200]
        return lambda: list(queryset.all())

    users = {"filtered": officer, "unfiltered": admin}
    http_times = interleaved(http, seconds * 3, rounds=20)
    orm_times = interleaved({n: orm(u) for n, u in users.items()}, seconds * 2, rounds=12)
    cold_times = interleaved({n: orm(u, cold=True) for n, u in users.items()}, seconds * 2, rounds=12)
    query_times = interleaved({n: query_only(u) for n, u in users.items()}, seconds * 2, rounds=12)
    visible = access.scoped_queryset(officer, entity, "view").count()
    return {
        "http": http_times,
        "counts": counts,
        "orm": orm_times,
        "cold": cold_times,
        "query": query_times,
        "rows": model.objects.count(),
        "visible": visible,
    }


COUNTED = QUERY.replace("{ results", "{ totalCount results", 1)


def set_indexed_counts(on: bool) -> None:
    from modules.engine import rulesql

    rulesql.INDEXED_COUNTS = on


def count_plan(queryset: Any) -> list[str]:
    """The database's plan for `queryset.count()` (EXPLAIN, without running it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        queryset.count()
    sql = ctx.captured_queries[-1]["sql"]
    explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql)
        lines = [str(row[-1]).strip().split("  (cost=")[0] for row in cursor.fetchall()]
    table = queryset.model._meta.db_table
    return [line for line in lines if table in line or "OR" in line or "SubPlan" in line]


def part_count(org: dict[str, Any], seconds: float, total: int) -> dict[str, Any]:
    """`totalCount` under scoping: the officer's page with and without it, against a superuser's."""
    from django.db import connection

    from modules.engine import access, registry

    model = fill_rows(org, total)
    load_at_start = os.getloadavg()
    entity = registry.entity_by_label("sample.SampleProject")
    officer, admin = org["officer"], org["admin"]
    # What the officer may see, from the rows themselves and the rule's text: owned by their
    # unit (no sub-units here), created by them, or shared (no grants in this data).
    province = org["units"][2].pk
    expected = sum(
        1
        for owner, creator, shared in model.objects.values_list("owner_unit_id", "created_by_id", "is_shared")
        if owner == province or creator == officer.pk or shared
    )
    mine, everything = login(officer), login(admin)

    def walked() -> bytes:
        set_indexed_counts(False)
        try:
            return post(mine, "/graphql/", COUNTED)
        finally:
            set_indexed_counts(True)

    http = {
        "scoped_total": lambda: post(mine, "/graphql/", COUNTED),
        "scoped_page": lambda: post(mine, "/graphql/"),
        "unscoped_total": lambda: post(everything, "/graphql/", COUNTED),
        "scoped_walked": walked,
    }
    answers = {name: json.loads(call())["data"]["sampleProjects"] for name, call in http.items()}
    assert answers["scoped_total"]["totalCount"] == expected, (
        answers["scoped_total"]["totalCount"],
        expected,
    )
    assert answers["scoped_walked"] == answers["scoped_total"], "the two shapes of the rule disagree"
    assert answers["unscoped_total"]["totalCount"] == total
    assert answers["scoped_page"]["results"] == answers["scoped_total"]["results"]
    assert all(fast_path_answers(call) for call in http.values())
    counts = {name: sql_count(call) for name, call in http.items()}
    http_times = interleaved(http, seconds * 4, rounds=20)

    scoped = access.scoped_queryset(officer, entity, "view")
    plain = model.objects.filter(access.scope_q(officer, entity, "view"))  # the rule as before: a bare Q
    orm_times = interleaved(
        {
            "indexed": lambda: scoped.count(),
            "walked": lambda: plain.count(),
            "unscoped": lambda: model.objects.count(),
        },
        seconds * 2,
        rounds=12,
    )
    return {
        "http": http_times,
        "orm": orm_times,
        "counts": counts,
        "rows": total,
        "visible": expected,
        "plan": count_plan(scoped),
        "walked_plan": count_plan(plain),
        "vendor": connection.vendor,
        "server": getattr(connection, "pg_version", None),
        "load_start": load_at_start,
    }


def report_count(result: dict[str, Any], argv: list[str]) -> str:
    h, o, n = result["http"], result["orm"], result["counts"]
    database = (
        f"PostgreSQL {result['server'] // 10000}.{result['server'] % 10000}"
        if result["vendor"] == "postgresql"
        else f"SQLite {__import__('sqlite3').sqlite_version}"
    )

    def row(name: str, label: str) -> str:
        return (
            f"| {label} | {h[name] * 1000:.2f} ms | {n[name]} | {h.ratio(name, 'unscoped_total'):.2f}× "
            f"({h.spread(name, 'unscoped_total')}) |"
        )

    def orm_row(name: str, label: str) -> str:
        return f"| {label} | {o[name] * 1000:.2f} ms | {o.ratio(name, 'unscoped'):.2f}× |"

    return "\n".join(
        [
            f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, `{' '.join(argv)}`, {database}.",
            "",
            *(f"- {m}" for m in machine()),
            "- load average at the start (1, 5, 15 min): "
            + ", ".join(f"{x:.2f}" for x in result["load_start"]),
            "",
            f"{result['rows']:,} rows; the provincial officer sees {result['visible']:,} "
            "(checked against the rows themselves). Same page (`pagination:{limit:200}`), "
            "full request stack, fast path, alternating in 20 rounds.",
            "",
            "| request | per request | SQL queries | × superuser with `totalCount` |",
            "|---|---|---|---|",
            row("scoped_total", "officer, page + `totalCount`"),
            row("scoped_page", "officer, page only"),
            row("unscoped_total", "superuser (no filter), page + `totalCount`"),
            row("scoped_walked", "officer, page + `totalCount`, count walking every row (before)"),
            "",
            f"**Officer with `totalCount` / superuser with `totalCount`: "
            f"{h.ratio('scoped_total', 'unscoped_total'):.2f}×** (target ≤ 2×); "
            f"with / without `totalCount`: {h.ratio('scoped_total', 'scoped_page'):.2f}×; "
            f"the count walking every row: {h.ratio('scoped_walked', 'unscoped_total'):.2f}× and "
            f"{h.ratio('scoped_walked', 'scoped_page'):.2f}×.",
            "",
            "| the count alone (ORM, rule resolved) | per call | × `model.objects.count()` |",
            "|---|---|---|",
            orm_row("indexed", "`scoped_queryset(officer).count()` (indexed shape)"),
            orm_row("walked", "`filter(scope_q(officer)).count()` (the rule as a bare `Q`, before)"),
            orm_row("unscoped", "`model.objects.count()` (superuser)"),
            "",
            "Plan of the officer's count (the steps on the table): "
            + " / ".join(f"`{line}`" for line in result["plan"]),
            "",
            "Before (walked): " + " / ".join(f"`{line}`" for line in result["walked_plan"]),
        ]
    )


# --- report -------------------------------------------------------------------------


def machine() -> list[str]:
    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    cpu = [line for line in run(["lscpu"]).splitlines() if line.split(":")[0] in ("Model name", "CPU(s)")]
    from importlib.metadata import version

    import django
    import strawberry_django

    return [
        f"nproc {run(['nproc']).strip() or os.cpu_count()}; " + "; ".join(" ".join(c.split()) for c in cpu),
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"strawberry-graphql {version('strawberry-graphql')}, "
        f"strawberry-graphql-django {version('strawberry-graphql-django')} ({strawberry_django.__name__}), "
        f"SQLite {__import__('sqlite3').sqlite_version}",
        "load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]


def report(one: dict[str, Any], big: dict[str, Any] | None) -> str:
    t, c = one["times"], one["counts"]

    def row(name: str, label: str) -> str:
        return (
            f"| {label} | {t[name] * 1000:.2f} ms | {1 / t[name]:.0f} | {c[name]} | "
            f"{t.ratio(name, 'floor'):.2f}× |"
        )

    lines = [
        f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, `{' '.join(sys.argv)}`.",
        "",
        *(f"- {m}" for m in machine()),
        "",
        f"### 200 rows, two nested links, provincial officer ({one['bytes']:,} bytes of JSON)",
        "",
        "Full Django request stack (`django.test.Client`, all middleware, session auth).",
        "",
        "| path | per request | req/s | SQL queries | × floor |",
        "|---|---|---|---|---|",
        row("floor", "hand-written view (floor): `select_related` + `only`"),
        row("values", "hand-written view, `values_list` (no model instances)"),
        row("fast", "generated API, fast path (default)"),
        row("stock", "generated API, stock strawberry-django + optimizer"),
        "",
        f"**Generated API / floor: {t.ratio('fast', 'floor'):.2f}×** ({t.spread('fast', 'floor')}; "
        "target ≤ 2.5×); "
        f"against the `values_list` floor: {t.ratio('fast', 'values'):.2f}×. "
        f"Stock execution (before the fast path): {t.ratio('stock', 'floor'):.2f}× and "
        f"{t.ratio('stock', 'values'):.2f}×.",
    ]
    if big:
        h, o, q, n = big["http"], big["orm"], big["query"], big["counts"]

        def ratio_row(label: str, t: Timings, extra: str = "") -> str:
            return (
                f"| {label} | {t['filtered'] * 1000:.2f} ms | {t['unfiltered'] * 1000:.2f} ms | "
                f"{t.ratio('filtered', 'unfiltered'):.2f}× |{extra}"
            )

        lines += [
            "",
            f"### {big['rows']:,} rows over 40 units: permission-filtered vs unfiltered list",
            "",
            f"The same query (`pagination:{{limit:200}}`, default ordering `-id`) as a provincial "
            f"officer, who sees {big['visible']:,} rows (own unit, shared, grants), and as a "
            f"superuser, who sees all (no filter at all).",
            "",
            "| measure | officer (filtered) | superuser (unfiltered) | ratio |",
            "|---|---|---|---|",
            ratio_row(f"HTTP request, generated API (SQL queries: {n['filtered']} vs {n['unfiltered']})", h),
            ratio_row(
                "ORM only: the user's rule from the shared cache, then `scoped_queryset(...)[:200]`", o
            ),
            ratio_row("ORM only, cold: the rule read from the database, then the same", big["cold"]),
            ratio_row("ORM only: `scoped_queryset(...)[:200]`, rule already resolved", q),
            "",
            f"**Filtered / unfiltered request: {h.ratio('filtered', 'unfiltered'):.2f}×** "
            f"({h.spread('filtered', 'unfiltered')}; target ≤ 2×).",
        ]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## GraphQL list (`bench/graphql_list.py`)\n\n" + section + "\n"
    DOC.write_text(text)


def count_markers(vendor: str) -> tuple[str, str]:
    return (
        f"<!-- bench/graphql_list.py totalCount {vendor}: begin -->",
        f"<!-- bench/graphql_list.py totalCount {vendor}: end -->",
    )


def write_count_doc(block: str, vendor: str) -> None:
    """Part 3's figures go between their own markers, one pair per database."""
    begin, end = count_markers(vendor)
    text = DOC.read_text()
    section = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:  # after the list's own block
        head, rest = text.split(END, 1)
        text = f"{head}{END}\n\n### `totalCount` under scoping ({vendor})\n\n{section}{rest}"
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short timings, 20,000 rows in part 2")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md")
    parser.add_argument("--skip-100k", action="store_true", help="part 1 only")
    parser.add_argument("--count-only", action="store_true", help="part 3 only (totalCount under scoping)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--custom-only", action="store_true", help="part 4 only (custom fields, issue 15)")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else 4.0
    total = 20_000 if args.quick else 100_000

    setup_django(args.database)
    install_urls()
    org = build_org()
    if args.custom_only:
        load_before = machine_load()
        try:
            result = part_custom(org, seconds)
        finally:
            cleanup(args.database)
        block = report_custom(result, load_before)
        print(block)
        if not args.no_write:
            write_custom_doc(block)
        return
    if args.count_only:
        try:
            result = part_count(org, seconds, total)
        finally:
            cleanup(args.database)
        block = report_count(result, sys.argv)
        print(block)
        if not args.no_write:
            write_count_doc(block, result["vendor"])
            print(f"\nwritten to {DOC.relative_to(ROOT)}")
        return
    one = part_200(org, seconds)
    print(report(one, None), flush=True)
    big = None if args.skip_100k else part_100k(org, seconds, 20_000 if args.quick else 100_000)
    block = report(one, big)
    print()
    print(block)
    if not args.no_write:
        write_doc(block)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    cleanup(args.database)


def cleanup(database: str) -> None:
    """Remove the throwaway database."""
    from django.db import connections

    connections.close_all()
    if database == "postgres":
        recreate_postgres(PG_NAME, drop_only=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
