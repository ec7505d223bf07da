"""Issue 11, point 2: a small document must not hold a CPU. Each test tries the attack.

Refusals are typed errors given before execution: the fragment-doubling document never
reaches the tables it names (no SQL on them), whatever the caches remember.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from graphql import get_introspection_query

from schema import fastpath
from tests.graphql import run

pytestmark = pytest.mark.django_db


def doubling(levels: int, root: str = "units { results { ...F0 } }") -> str:
    """fragment F0 { ...F1 ...F1 } ... : 2^levels copies of the last fragment's fields."""
    fragments = [f"fragment F{i} on Unit {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Unit {{ id code name }}")
    return f"query {{ {root} }} " + " ".join(fragments)


def unit_queries(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "org_unit" in q["sql"].lower()]


def error_code(result: dict) -> str | None:
    errors = result.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_fragment_doubling_is_refused_before_execution(org, who):
    """The 30-level attack (1.2 KB) would resolve 3·2^30 fields per unit: refused, typed, unrun."""
    query = doubling(30)
    assert len(query.encode()) < 1300
    client = Client()
    if who == "signed_in":
        client.force_login(org.admin)
    for _ in range(2):  # the second time through the parse and validation caches
        with CaptureQueriesContext(connection) as ctx:
            result = run(query, client=client)
        assert result["_status"] == 200
        error = result["errors"][0]
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX", result
        limit = 1000 if who == "anonymous" else 200_000  # the settings' defaults
        assert error["extensions"]["limit"] == limit
        assert error["extensions"]["cost"] > 3 * 2**30  # what the document would really resolve
        assert result.get("data") is None
        assert unit_queries(ctx) == []  # execution never started


def test_cost_counts_fragments_lists_and_pages(org):
    """The cost by the rule's text: 1 per field, its sub-selection times the page size asked for."""
    query = "{ units(pagination: {limit: 20}) { totalCount results { ...U } } } fragment U on Unit { id code name }"
    # units: 1 + 20 × (totalCount 1 + results (1 + 1 × 3 leaves)) = 1 + 20 × 5 = 101
    with override_settings(GRAPHQL_COST_LIMIT_ANONYMOUS=100, GRAPHQL_COST_LIMIT_SIGNED_IN=101):
        anonymous = run(query)
        assert error_code(anonymous) == "QUERY_TOO_COMPLEX"
        assert anonymous["errors"][0]["extensions"]["cost"] == 101
        assert anonymous["errors"][0]["extensions"]["limit"] == 100
        signed_in = run(query, user=org.admin)
        assert "errors" not in signed_in, signed_in
        assert signed_in["data"]["units"]["totalCount"] == 5
    with override_settings(GRAPHQL_COST_LIMIT_SIGNED_IN=100):
        again = run(query, user=org.admin)  # same text, already validated once for a bigger budget
        assert error_code(again) == "QUERY_TOO_COMPLEX"


def test_anonymous_budget_is_lower_and_caches_keep_them_apart(org):
    """A document a signed-in user may run, sent anonymously right after: refused on cost,
    not accepted from the validation cache (nor the other way round)."""
    query = "{ units(pagination: {limit: 500}) { results { id code name kind } } }"  # 1 + 500 × 5 = 2501
    admin = run(query, user=org.admin)
    assert "errors" not in admin and len(admin["data"]["units"]["results"]) == 5
    anonymous = run(query)
    assert error_code(anonymous) == "QUERY_TOO_COMPLEX"
    assert anonymous["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 2501, "limit": 1000}
    # A cheap document: anonymous callers pass the cost rule and meet the usual refusal.
    cheap = run("{ units(pagination: {limit: 5}) { results { id } } }")
    assert error_code(cheap) == "UNAUTHENTICATED"


def test_a_variable_page_size_counts_as_the_largest_page(org):
    query = "query($p: OffsetPaginationInput) { units(pagination: $p) { results { id code } } }"
    with override_settings(GRAPHQL_COST_LIMIT_SIGNED_IN=2000):  # 1 + 1000 × 3 = 3001 > 2000
        result = run(query, {"p": {"limit": 1}}, user=org.admin)
    assert error_code(result) == "QUERY_TOO_COMPLEX" and result["errors"][0]["extensions"]["cost"] == 3001


def test_token_flood_is_refused(org):
    from django.conf import settings

    query = "{ " + "__typename " * (settings.GRAPHQL_MAX_TOKENS + 10) + "}"
    with override_settings(GRAPHQL_MAX_DOCUMENT_BYTES=len(query) * 2):  # tokens, not bytes, refuse it
        for client in (Client(), None):
            result = run(query, client=client, user=org.admin if client is None else None)
            assert error_code(result) == "QUERY_TOO_LARGE", result
            assert result["errors"][0]["extensions"]["limit"] == settings.GRAPHQL_MAX_TOKENS


def test_oversize_document_is_refused_in_bytes(org):
    """20,000 bytes by default: 7,000 Vietnamese letters in a comment are 21,000 bytes, 7,000 characters."""
    query = "{ __typename } # " + "ệ" * 7000
    assert len(query) < 20_000 < len(query.encode())
    for user in (None, org.admin):
        result = run(query, user=user)
        assert result["_status"] == 200
        assert error_code(result) == "QUERY_TOO_LARGE", result
        assert result["errors"][0]["extensions"]["limit"] == 20_000
        assert result["errors"][0]["extensions"]["bytes"] == len(query.encode())
    assert run("{ __typename } # " + "e" * 100)["data"] == {"__typename": "Query"}


def test_the_pages_queries_and_a_large_legitimate_list_pass(org):
    """What the boards send, a 1000-row list with links, and the standard introspection query."""
    pages = [
        "query($unit: ID) { taskBoard(unit: $unit) { periodFrom periodTo "
        "units { key label assigned completedOnTime completedLate inProgressOnTime overdue onTimeRate } "
        "overdue { id number title unit assignee deadline progress isKey } "
        "nearDeadline { id number title unit assignee deadline progress isKey } } }",
        "query($p: ID!) { reportBoard(period: $p) { periodLabel regimeName deadline "
        "cells { unitId unitCode unitName provinceCode status number submittedAt } counts { status count } } }",
        "{ dossierBoard { receivedToday processing overdue waitingSupplement returnedToday portalBacklog "
        "latest { code procedure state promised } } }",
        "{ sampleProjects(pagination: {limit: 1000}) { totalCount results { id number title budget dueDate "
        "ownerUnit { code name parent { code } } leadUnit { code name } partnerUnits { code } "
        "milestones { name amount } createdBy { username } } } }",
        get_introspection_query(),
    ]
    for query in pages:
        variables = {"p": "0"} if "$p" in query else {}
        result = run(query, variables, user=org.admin)
        codes = {e["extensions"]["code"] for e in result.get("errors") or []}
        assert not codes & {"QUERY_TOO_COMPLEX", "QUERY_TOO_LARGE", "QUERY_TIMEOUT"}, (query[:60], result)


@pytest.mark.parametrize("fast", [True, False])
def test_execution_deadline_stops_the_operation(org, fast):
    """Past GRAPHQL_TIMEOUT_SECONDS the operation ends with one typed error and no data,
    on the fast path and the normal one."""
    query = "{ units { results { id code parent { code } } } }"
    before = dict(fastpath.STATS)
    with override_settings(GRAPHQL_TIMEOUT_SECONDS=1e-9):
        if fast:
            result = run(query, user=org.admin)
        else:
            with fastpath.disabled():
                result = run(query, user=org.admin)
    assert result.get("data") is None, result
    assert [e["extensions"]["code"] for e in result["errors"]] == ["QUERY_TIMEOUT"]
    assert fastpath.STATS["fast"] == before.get("fast", 0)  # the fast path did not answer either
    with override_settings(GRAPHQL_TIMEOUT_SECONDS=30):
        assert len(run(query, user=org.admin)["data"]["units"]["results"]) == 5


def test_mutation_past_the_deadline_is_typed(org):
    mutation = 'mutation { deleteSampleProject(id: "1", version: 1) { ok } }'
    with override_settings(GRAPHQL_TIMEOUT_SECONDS=1e-9):
        result = run(mutation, user=org.officer_a)
    assert [e["extensions"]["code"] for e in result["errors"]] == ["QUERY_TIMEOUT"]


# --- introspection (point 9) ----------------------------------------------------------


INTROSPECT = "{ __schema { queryType { name } } }"


@pytest.mark.parametrize(
    ("mode", "anonymous_ok", "signed_in_ok"),
    [("all", True, True), ("signed-in", False, True), ("off", False, False)],
)
def test_introspection_modes(org, mode, anonymous_ok, signed_in_ok):
    with override_settings(GRAPHQL_INTROSPECTION=mode):
        for user, allowed in ((None, anonymous_ok), (org.admin, signed_in_ok)):
            for query in (INTROSPECT, '{ __type(name: "Unit") { name } }'):
                result = run(query, user=user)
                if allowed:
                    assert "errors" not in result, result
                else:
                    assert error_code(result) == "INTROSPECTION_DISABLED", result
                    assert result.get("data") is None
        assert run("{ __typename }")["data"] == {"__typename": "Query"}  # not introspection


def test_introspection_default_in_production_is_signed_in_only(org):
    from django.conf import settings

    assert settings.DEBUG is False and settings.GRAPHQL_INTROSPECTION == "signed-in"
    assert error_code(run(INTROSPECT)) == "INTROSPECTION_DISABLED"
    assert run(INTROSPECT, user=org.admin)["data"] == {"__schema": {"queryType": {"name": "Query"}}}


def test_invalid_utf8_body_is_a_400(org):
    client = Client()
    body = b'{"query": "{ __typename }", "x": "\xff\xfe"}'
    response = client.post("/graphql/", body, content_type="application/json")
    assert response.status_code == 400
    assert b"UTF-8" in response.content
