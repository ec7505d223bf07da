"""The compiled fast path (schema/fastpath.py) answers exactly as stock execution does.

Every query here is sent twice over HTTP, through the real view and middleware:
once with the fast path on, once with it off (`fastpath.disabled()`), and the
two response bodies must be identical, byte for byte. Each test also checks
which path answered, through `fastpath.STATS`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from modules.engine import authcache, registry, services
from modules.engine.access import forget_permission_ids
from schema import fastpath
from schema.schema import schema
from tests.sample_rows import fill_projects_up_to

pytestmark = pytest.mark.django_db


def post(client: Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return client.post("/graphql/", json.dumps(body), content_type="application/json")


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def both(user: Any, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
    """Answer with the fast path on and off; assert identical bodies; return (body, outcome)."""
    client = client_for(user)
    before = fastpath.STATS.copy()
    fast = post(client, query, variables)
    outcome = [k for k in ("fast", "fallback", "unsupported", "skipped") if fastpath.STATS[k] > before[k]]
    with fastpath.disabled():
        normal = post(client, query, variables)
    assert fast.status_code == normal.status_code
    assert fast.content == normal.content, (fast.content[:600], normal.content[:600])
    return json.loads(fast.content), (outcome[0] if outcome else "none")


def fast(user: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body, outcome = both(user, query, variables)
    assert outcome == "fast", outcome
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
def data(org):
    project = registry.entity_by_label("sample.SampleProject")
    when = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
    a1 = services.create_record(
        project,
        org.officer_a,
        {
            "title": "Chuyển đổi số",
            "summary": 'Tóm tắt "có" dấu ngoặc\nvà xuống dòng',
            "priority": "high",
            "budget": Decimal("1500000"),
            "score": Decimal("7.5"),
            "progress": Decimal("12.25"),
            "staff_count": 4,
            "is_key": True,
            "due_date": dt.date(2026, 5, 1),
            "started_at": when,
            "extra": {"tags": ["a", "b"], "n": 1, "nested": {"ok": True}},
            "lead_unit": org.department.pk,
            "partner_units": [org.province_b.pk, org.ministry.pk],
            "milestones": [
                {"name": "Khởi động", "amount": Decimal("500"), "due": dt.date(2026, 4, 1)},
                {"name": "Nghiệm thu"},
            ],
        },
    )
    a2 = services.create_record(
        project, org.officer_a, {"title": "Bản đồ số", "priority": "normal", "is_shared": True}
    )
    b_secret = services.create_record(
        project, org.officer_b, {"title": "Bí mật B", "priority": "high", "budget": 5}
    )
    b_shared = services.create_record(
        project,
        org.officer_b,
        {
            "title": "Chia sẻ B",
            "priority": "normal",
            "is_shared": True,
            "budget": 7,
            "lead_unit": org.province_a.pk,
            "partner_units": [org.province_a.pk],
        },
    )
    note_model = registry.model_for("sample.SampleNote")
    hidden_link = note_model.objects.create(
        text="Ghi chú A", project=b_secret, owner_unit=org.province_a, created_by=org.officer_a
    )
    visible_link = note_model.objects.create(
        text="Ghi chú A2", project=a1, owner_unit=org.province_a, created_by=org.officer_a
    )
    return {
        "a1": a1,
        "a2": a2,
        "b_secret": b_secret,
        "b_shared": b_shared,
        "hidden_link": hidden_link,
        "visible_link": visible_link,
    }


ALL_COLUMNS = """
  id number version createdAt updatedAt isShared state title summary staffCount score budget
  progress isKey dueDate startedAt priority extra
  createdBy { id username firstName lastName } updatedBy { username }
  ownerUnit { id code name kind parent { code } }
  leadUnit { code name }
  partnerUnits { id code }
  milestones { id position name due amount }
"""


def test_every_column_kind_links_children_and_multilinks(org, data):
    for user in (org.officer_a, org.officer_b, org.leader, org.admin):
        result = fast(user, f"{{ sampleProjects {{ totalCount results {{ {ALL_COLUMNS} }} }} }}")
        rows = result["sampleProjects"]["results"]
        assert result["sampleProjects"]["totalCount"] == len(rows)
    first = next(r for r in rows if r["title"] == "Chuyển đổi số")
    assert first["budget"] == "1500000" and first["score"] == "7.50" and first["progress"] == "12.25"
    assert first["dueDate"] == "2026-05-01" and first["startedAt"].startswith("2026-03-04T09:30:00")
    assert first["extra"] == {"tags": ["a", "b"], "n": 1, "nested": {"ok": True}}
    assert [m["name"] for m in first["milestones"]] == ["Khởi động", "Nghiệm thu"]
    assert first["milestones"][1]["amount"] is None and first["staffCount"] == 4
    assert {u["code"] for u in first["partnerUnits"]} == {"SKHCN-79", "BKHCN"}
    assert first["ownerUnit"]["parent"] is None and first["leadUnit"]["code"] == "KHTC"


def test_aliases_typename_fragments_and_repeated_fields(org, data):
    query = """
    query Listing {
      __typename
      list: sampleProjects(pagination: {limit: 3}) {
        __typename
        count: totalCount
        again: totalCount
        results { __typename ...Main key: id id ... on SampleProject { t: title ownerUnit { code } } }
        results { ownerUnit { name } }
        pageInfo { __typename offset limit }
      }
      one: sampleProject(id: PROJECT_ID) { ...Main __typename }
    }
    fragment Main on SampleProject { id title leadUnit { ...UnitBits } }
    fragment UnitBits on Unit { __typename code }
    """.replace("PROJECT_ID", str(data["a1"].pk))
    result = fast(org.officer_a, query)
    assert result["__typename"] == "Query"
    page = result["list"]
    assert page["__typename"] == "SampleProjectOffsetPaginated" and page["count"] == page["again"] == 3
    assert page["pageInfo"] == {"__typename": "OffsetPaginationInfo", "offset": 0, "limit": 3}
    assert list(page["results"][0]) == ["__typename", "id", "title", "leadUnit", "key", "t", "ownerUnit"]
    assert set(page["results"][0]["ownerUnit"]) == {"code", "name"}
    assert result["one"]["__typename"] == "SampleProject"


def test_variables_filters_ordering_and_pagination(org, data):
    query = """query($f: SampleProjectFilter, $o: [SampleProjectOrder!]!, $p: OffsetPaginationInput) {
      sampleProjects(filters: $f, ordering: $o, pagination: $p) {
        totalCount pageInfo { offset limit } results { title priority budget dueDate } } }"""
    cases = [
        ({"priority": {"exact": "HIGH"}}, [{"title": "DESC"}], {"limit": 1, "offset": 0}),
        ({"search": "số"}, [{"title": "ASC"}], None),
        ({"OR": {"isShared": {"exact": True}}, "priority": {"exact": "HIGH"}}, [{"budget": "DESC"}], None),
        (
            {"NOT": {"priority": {"exact": "HIGH"}}},
            [{"dueDate": "ASC_NULLS_FIRST"}, {"title": "ASC"}],
            {"offset": 1},
        ),
        ({"dueDate": {"gte": "2026-01-01"}, "DISTINCT": True}, [], None),
        ({"ownerUnit": {"pk": str(org.province_b.pk)}}, [{"priority": "ASC"}, {"title": "DESC"}], None),
        (None, [], {"offset": 10, "limit": 5}),
        ({"budget": {"range": {"start": "6", "end": "2000000"}}}, [{"createdAt": "DESC"}], None),
    ]
    for filters, ordering, pagination in cases:
        fast(org.officer_a, query, {"f": filters, "o": ordering, "p": pagination})
    literal = """{ sampleProjects(filters: {priority: {exact: HIGH}}, ordering: [{title: DESC}],
                   pagination: {limit: 1, offset: 1}) { totalCount results { title } } }"""
    assert fast(org.leader, literal)["sampleProjects"] == {
        "totalCount": 2,
        "results": [{"title": "Bí mật B"}],
    }


def test_nested_list_arguments(org, data):
    query = """{ sampleProjects { results { title
        a: partnerUnits(ordering: [{code: DESC}]) { code }
        b: partnerUnits(filters: {code: {exact: "BKHCN"}}) { code name }
        partnerUnits { code } } } }"""
    rows = fast(org.officer_a, query)["sampleProjects"]["results"]
    first = next(r for r in rows if r["title"] == "Chuyển đổi số")
    assert [u["code"] for u in first["a"]] == ["SKHCN-79", "BKHCN"] and first["b"] == [
        {"code": "BKHCN", "name": "Bộ Khoa học và Công nghệ"}
    ]


def test_invisible_links_are_null(org, data):
    query = "{ sampleNotes { results { text project { title ownerUnit { code } } } } }"
    rows = fast(org.officer_a, query)["sampleNotes"]["results"]
    by_text = {r["text"]: r["project"] for r in rows}
    assert by_text == {
        "Ghi chú A": None,
        "Ghi chú A2": {"title": "Chuyển đổi số", "ownerUnit": {"code": "SKHCN-01"}},
    }
    single = "query($id: ID!) { sampleNote(id: $id) { text project { title } } }"
    assert fast(org.officer_a, single, {"id": data["hidden_link"].pk})["sampleNote"] == {
        "text": "Ghi chú A",
        "project": None,
    }
    # The leader sees the secret project, so the same link is not null for them.
    leader_rows = fast(org.leader, query)["sampleNotes"]["results"]
    assert {r["text"]: r["project"]["title"] for r in leader_rows}["Ghi chú A"] == "Bí mật B"


def test_single_rows(org, data):
    query = (
        "query($id: ID!) { sampleProject(id: $id) { id title milestones { name } partnerUnits { code } } }"
    )
    assert fast(org.officer_a, query, {"id": data["a1"].pk})["sampleProject"]["title"] == "Chuyển đổi số"
    assert fast(org.officer_a, query, {"id": data["b_secret"].pk})["sampleProject"] is None
    assert fast(org.officer_a, query, {"id": "999999"})["sampleProject"] is None
    body, outcome = both(org.officer_a, query, {"id": "not-a-number"})  # issue 11.8: typed, both paths alike
    assert outcome == "fallback" and body["data"]["sampleProject"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}


def test_other_entities_and_external_types(org, data):
    query = """{ units(ordering: [{code: ASC}]) { totalCount results { code kind seesAllUnits parent { code } } }
                 people { results { fullName user { username } roles { name } ownerUnit { code } } } }"""
    for user in (org.officer_a, org.admin):
        result = fast(user, query)
        assert result["units"]["totalCount"] == 5
    assert any(p["roles"] == [{"name": "platform_admin"}] for p in result["people"]["results"])


def test_permissions_are_the_same(org, data):
    query = "{ sampleProjects { totalCount results { title } } }"
    titles_b = {r["title"] for r in fast(org.officer_b, query)["sampleProjects"]["results"]}
    assert titles_b == {"Bí mật B", "Chia sẻ B", "Bản đồ số"}  # not A's unshared "Chuyển đổi số"
    titles_a = {r["title"] for r in fast(org.officer_a, query)["sampleProjects"]["results"]}
    assert titles_a == {"Chuyển đổi số", "Bản đồ số", "Chia sẻ B"}
    by_id = "query($id: ID!) { sampleProjects(filters: {id: {exact: $id}}) { totalCount } }"
    assert fast(org.officer_b, by_id, {"id": data["a1"].pk})["sampleProjects"]["totalCount"] == 0
    from guardian.shortcuts import assign_perm

    assign_perm("sample.view_sampleproject", org.officer_b, data["a1"])
    titles_b = {r["title"] for r in fast(org.officer_b, query)["sampleProjects"]["results"]}
    assert "Chuyển đổi số" in titles_b


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('mutation { createSampleNote(input: {text: "x"}) { ok } }', "mutation operation"),
        ("{ sampleProjects { results { isOverdue } } }", "computed"),
        ("{ sampleProjects { results { milestoneTotal } } }", "computed"),
        ("{ sampleProjects { results { attachment { name } } } }", "FileField"),
        ("{ sampleProjectsConnection { totalCount edges { node { title } } } }", "custom resolver"),
        ("{ sampleProjects { results { title @include(if: true) } } }", "directive"),
        ("{ __schema { queryType { name } } }", "introspection"),
    ],
)
def test_unsupported_shapes_fall_back(org, data, query, reason):
    assert reason in (fastpath.explain(schema, query) or "")
    _, outcome = both(org.officer_a, query)
    assert outcome == ("skipped" if query.startswith("mutation") else "unsupported")


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ sampleProjects { results { partnerUnits(pagination: {limit: 1}) { code } } } }", None),
        ("{ sampleProjects(pagination: {offset: -1}) { results { title } } }", None),
        (
            "query($p: OffsetPaginationInput) { sampleProjects(pagination: $p) { results { title } } }",
            {"p": {"offset": "x"}},
        ),
    ],
)
def test_run_time_fallbacks_answer_like_the_normal_path(org, data, query, variables):
    assert fastpath.explain(schema, query) is None  # compiles, but this run needs the normal path
    _, outcome = both(org.officer_a, query, variables)
    assert outcome == "fallback"


def test_errors_and_anonymous_callers_are_left_to_the_normal_path(org, data):
    body, outcome = both(None, "{ sampleProjects { results { title } } }")
    assert outcome == "skipped" and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body, _ = both(org.officer_a, "{ sampleProjects { results { nope } } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    deep = "{ units { results { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } }"
    body, _ = both(org.admin, deep)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_query_count_is_constant(org):
    query = (
        "{ sampleProjects(pagination: {limit: 500}) { totalCount results { number title budget dueDate "
        "ownerUnit { code parent { code } } leadUnit { name } partnerUnits { code } "
        "milestones { name } createdBy { username } } } }"
    )
    client = client_for(org.officer_a)
    counts = {}
    for total in (10, 200):
        fill_projects_up_to(org, total)
        authcache.invalidate()  # each size counted cold: the user's rule is read too,
        forget_permission_ids()  # and the grant permission's id
        before = fastpath.STATS["fast"]
        with CaptureQueriesContext(connection) as ctx:
            response = post(client, query)
        assert fastpath.STATS["fast"] == before + 1
        results = response.json()["data"]["sampleProjects"]["results"]
        assert len(results) == total and results[0]["partnerUnits"] == [{"code": "SKHCN-79"}]
        counts[total] = len(ctx.captured_queries)
        with fastpath.disabled():
            assert post(client, query).content == response.content
    assert counts[10] == counts[200], counts


def test_switch_and_plan_cache(org, data):
    query = "{ sampleProjects { results { id } } }"
    assert fastpath.explain(schema, query) is None
    with fastpath.disabled():
        assert not fastpath.ENABLED
        _, outcome = both(org.officer_a, query)
        assert outcome == "none"
    assert fastpath.ENABLED
    document_plans = len(fastpath._plans)
    fast(org.officer_a, query)
    fast(org.officer_a, query)
    assert len(fastpath._plans) <= document_plans + 1


def _selection(type_name: str, depth: int = 0) -> str:
    """Every field of a type the fast path supports; object fields two levels deep."""
    from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

    gql_type = schema._schema.type_map[type_name]
    parts = []
    for name, gql_field in gql_type.fields.items():
        named = gql_field.type
        while isinstance(named, (GraphQLNonNull, GraphQLList)):
            named = named.of_type
        if isinstance(named, GraphQLObjectType):
            if depth >= 2:
                continue
            part = f"{name} {{ {_selection(named.name, depth + 1)} }}"
        else:
            part = name
        probe = f"{{ sampleProjects {{ results {{ {part} }} }} }}"
        if type_name == "SampleProject" and fastpath.explain(schema, probe) is not None:
            continue
        parts.append(part)
    return "__typename " + " ".join(parts)


@pytest.mark.parametrize(
    ("root", "type_name"),
    [
        ("sampleProjects", "SampleProject"),
        ("sampleNotes", "SampleNote"),
        ("units", "Unit"),
        ("people", "Person"),
    ],
)
@override_settings(GRAPHQL_COST_LIMIT_SIGNED_IN=10**8)  # every field, nested lists, 1000 rows: over budget
def test_every_supported_field_of_every_list_for_every_role(org, data, root, type_name):
    selection = _selection(type_name)
    query = f"{{ {root}(pagination: {{limit: 1000}}) {{ totalCount pageInfo {{ offset limit }} results {{ {selection} }} }} }}"
    for user in (
        org.admin,
        org.leader,
        org.office_clerk,
        org.head_a,
        org.officer_a,
        org.officer_b,
        org.specialist,
    ):
        fast(user, query)


def test_named_operations_and_get_requests(org, data):
    document = """query A { sampleProjects { totalCount } }
                  query B($id: ID!) { sampleProject(id: $id) { title } }"""
    body, outcome = both(org.officer_a, document)  # no operationName: strawberry runs the first
    assert outcome == "fast" and body == {"data": {"sampleProjects": {"totalCount": 3}}}
    client = client_for(org.officer_a)
    for name, variables in (("A", {}), ("B", {"id": data["a1"].pk})):
        payload = {"query": document, "operationName": name, "variables": variables}
        before = fastpath.STATS["fast"]
        on = client.post("/graphql/", json.dumps(payload), content_type="application/json")
        assert fastpath.STATS["fast"] == before + 1
        with fastpath.disabled():
            off = client.post("/graphql/", json.dumps(payload), content_type="application/json")
        assert on.content == off.content
    params = {"query": "{ sampleProjects { results { title budget } } }"}
    before = fastpath.STATS["fast"]
    on = client.get("/graphql/", params)
    assert fastpath.STATS["fast"] == before + 1
    with fastpath.disabled():
        assert client.get("/graphql/", params).content == on.content
