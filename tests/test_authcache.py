"""A user's permission facts are remembered across requests, and forgotten on every change.

Each test first warms the cache with a request, then changes something the rule
depends on, and checks that the very next request obeys the new rule.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from modules.engine import authcache, registry, services
from modules.engine.models import ApiToken
from tests.graphql import run
from tests.live_server import daphne_server

LIST = "{ sampleProjects { results { title } } }"


def titles(client: Client) -> set[str]:
    body = run(LIST, client=client)
    if body.get("errors"):
        return {body["errors"][0]["extensions"]["code"]}
    return {row["title"] for row in body["data"]["sampleProjects"]["results"]}


def project(org: Any, owner: Any, title: str, unit: Any | None = None) -> Any:
    entity = registry.entity_by_label("sample.SampleProject")
    values: dict[str, Any] = {"title": title, "priority": "normal"}
    if unit is not None:
        values["owner_unit"] = unit.pk
    return services.create_record(entity, owner if unit is None else org.admin, values)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_warm_request_skips_reading_the_rule(org):
    project(org, org.officer_a, "A1")
    client = signed_in(org.officer_a)
    assert titles(client) == {"A1"}  # first use of this entity in the process
    authcache.invalidate()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert titles(client) == {"A1"}
        counts.append(len(ctx.captured_queries))
    assert counts[1] == counts[0] - 2, counts  # role permissions + the person's facts


@pytest.mark.django_db
def test_losing_a_role_applies_to_the_next_request(org):
    project(org, org.officer_a, "A1")
    client = signed_in(org.officer_a)
    assert titles(client) == {"A1"}
    org.officer_a.groups.clear()
    assert titles(client) in ({"FORBIDDEN"}, set())


@pytest.mark.django_db
def test_moving_a_person_to_another_unit_applies_to_the_next_request(org):
    project(org, org.officer_a, "A1")
    project(org, org.officer_b, "B1")
    client = signed_in(org.officer_a)
    assert titles(client) == {"A1"}
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    services.update_record(
        registry.entity_by_label("org.Person"),
        org.admin,
        person.pk,
        {"owner_unit": org.province_b.pk},
        version=person.version,
    )
    assert titles(client) == {"A1", "B1"}  # B's rows now; A1 is still theirs as its creator


@pytest.mark.django_db
def test_moving_a_unit_in_the_tree_applies_to_the_next_request(org, entity):
    from tests.conftest import make_unit

    team = make_unit(org.admin, "SKHCN-79-T", "Tổ công tác", "provincial_dost", org.province_b)
    project(org, org.officer_a, "A1")
    project(org, org.officer_b, "T1", unit=team)
    client = signed_in(org.officer_a)
    assert titles(client) == {"A1"}
    services.update_record(
        entity("org.Unit"), org.admin, team.pk, {"parent": org.province_a.pk}, version=team.version
    )
    assert titles(client) == {"A1", "T1"}


@pytest.mark.django_db(transaction=True)
def test_a_change_made_in_one_process_reaches_another(org):
    """The Daphne server is another process: it must drop the facts this process changed."""
    project(org, org.officer_a, "A1")
    _, token = ApiToken.issue(org.officer_a, "cross-process")

    def server_titles(base: str) -> Any:
        request = urllib.request.Request(
            f"{base}/graphql/",
            data=json.dumps({"query": LIST}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.loads(response.read())
        if body.get("errors"):
            return body["errors"][0]["extensions"]["code"]
        return [row["title"] for row in body["data"]["sampleProjects"]["results"]]

    with daphne_server() as base:
        assert server_titles(base) == ["A1"]
        assert server_titles(base) == ["A1"]  # now remembered by the server
        org.officer_a.groups.clear()  # committed here, in the test's process
        assert server_titles(base) in ("FORBIDDEN", [])
