"""Database connections under concurrency (issue 13): no request fails for want of a connection.

With one connection kept per worker thread, 8 concurrent clients on PostgreSQL got HTTP 500
("remaining connection slots are reserved", "too many clients already"). Here 64 clients
hit a running Daphne at once, then two Daphne processes and the job worker share one
database; every answer must be a 200 with data and no error.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings

from modules.engine import registry, services
from modules.engine.models import ApiToken
from tests.live_server import daphne_server, run_manage

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 64
REQUESTS_EACH = 4
QUERY = "{ sampleProjects(pagination: {limit: 20}) { totalCount results { id title ownerUnit { name } } } }"


def _ask(base: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = json.loads(response.read())
            return response.status, "" if "errors" not in body else json.dumps(body["errors"])[:300]
    except urllib.error.HTTPError as failed:
        return failed.code, failed.read()[:300].decode("utf-8", "replace")
    except OSError as failed:
        return 0, repr(failed)


def _storm(bases: list[str], token: str) -> list[tuple[int, str]]:
    jobs = [bases[i % len(bases)] for i in range(CLIENTS) for _ in range(REQUESTS_EACH)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(lambda base: _ask(base, token), jobs))


def _data(org: Any) -> str:
    entity = registry.entity_by_label("sample.SampleProject")
    for n in range(25):
        services.create_record(entity, org.officer_a, {"title": f"Dự án {n}", "priority": "normal", "budget": n})
    return ApiToken.issue(org.officer_a, "load")[1]


def _failures(answers: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [answer for answer in answers if answer != (200, "")]


def test_64_concurrent_clients_on_one_server_get_no_error(org):
    token = _data(org)
    with daphne_server() as base:
        answers = _storm([base], token)
    assert len(answers) == CLIENTS * REQUESTS_EACH
    assert _failures(answers) == []


def test_two_servers_and_the_job_worker_share_the_database(org):
    token = _data(org)
    with daphne_server() as first, daphne_server() as second, ThreadPoolExecutor(1) as side:
        jobs = side.submit(run_manage, "tick")  # the job worker's run, beside the load
        answers = _storm([first, second], token)
        jobs.result(timeout=300)
    assert _failures(answers) == []


def test_postgresql_connections_come_from_a_bounded_pool():
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        pool = database["OPTIONS"]["pool"]
        assert database["CONN_MAX_AGE"] == 0  # Django refuses a pool otherwise
        assert 1 <= pool["min_size"] <= pool["max_size"] and pool["timeout"] > 0
    else:  # SQLite: writers queue on the lock instead of failing
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
