"""The generated GraphQL API of the test-only sample module, end to end over HTTP."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.engine import authcache, registry, services
from modules.engine.access import forget_permission_ids
from schema import fastpath
from tests.graphql import run
from tests.sample_rows import fill_projects_up_to

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: SampleProjectCreateInput!) {
  createSampleProject(input: $input) {
    ok errors { field code message }
    node { id number version state ownerUnit { code } milestones { name amount } partnerUnits { code } }
  }
}"""


def make_project(org, user, **values):
    entity = registry.entity_by_label("sample.SampleProject")
    data = {"title": "Dự án", "priority": "normal", "budget": 100} | values  # services: stored codes
    return services.create_record(entity, user, data)


def test_create_with_children_and_links(org):
    result = run(
        CREATE,
        {
            "input": {
                "title": "Chuyển đổi số",
                "priority": "HIGH",
                "budget": "1500000",
                "partnerUnits": [str(org.province_b.pk)],
                "milestones": [{"name": "Khởi động", "amount": "500"}, {"name": "Nghiệm thu"}],
            }
        },
        user=org.officer_a,
    )
    payload = result["data"]["createSampleProject"]
    assert payload["ok"] is True, payload
    node = payload["node"]
    assert node["number"].startswith("DA-") and node["version"] == 1 and node["state"] == "DRAFT"
    assert node["ownerUnit"]["code"] == "SKHCN-01"
    assert [m["name"] for m in node["milestones"]] == ["Khởi động", "Nghiệm thu"]
    assert node["partnerUnits"] == [{"code": "SKHCN-79"}]


def test_field_level_errors_and_nothing_written(org):
    result = run(
        CREATE,
        {"input": {"title": "", "priority": "NORMAL", "progress": "120", "milestones": [{"name": ""}]}},
        user=org.officer_a,
    )
    payload = result["data"]["createSampleProject"]
    assert payload["ok"] is False and payload["node"] is None
    fields = {e["field"] for e in payload["errors"]}
    assert {"title", "progress"} <= fields or "milestones.0.name" in fields
    assert registry.model_for("sample.SampleProject").objects.count() == 0


def test_bad_scalar_is_a_typed_graphql_error_not_500(org):
    result = run(CREATE, {"input": {"title": "x", "dueDate": "31/02/2026"}}, user=org.officer_a)
    assert result["_status"] == 200
    assert result["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}
    assert "Traceback" not in str(result)


def test_update_with_stale_version_is_refused(org):
    project = make_project(org, org.officer_a)
    update = """mutation($input: SampleProjectUpdateInput!) { updateSampleProject(input: $input) {
        ok errors { field code } node { title version } } }"""
    ok = run(update, {"input": {"id": str(project.pk), "version": 1, "title": "Mới"}}, user=org.officer_a)
    assert ok["data"]["updateSampleProject"]["node"] == {"title": "Mới", "version": 2}
    stale = run(update, {"input": {"id": str(project.pk), "version": 1, "title": "Cũ"}}, user=org.officer_a)
    assert stale["data"]["updateSampleProject"]["errors"] == [{"field": "version", "code": "STALE_VERSION"}]
    project.refresh_from_db()
    assert project.title == "Mới"


def test_transitions_respect_roles(org):
    project = make_project(org, org.officer_a)
    submit = "mutation($id: ID!, $v: Int!) { sampleProjectSubmit(id: $id, version: $v) { ok errors { code } node { state } } }"
    approve = "mutation($id: ID!, $v: Int!) { sampleProjectApprove(id: $id, version: $v) { ok errors { code } node { state } } }"
    assert (
        run(submit, {"id": project.pk, "v": 1}, user=org.officer_a)["data"]["sampleProjectSubmit"]["node"][
            "state"
        ]
        == "SUBMITTED"
    )
    denied = run(approve, {"id": project.pk, "v": 2}, user=org.officer_a)["data"]["sampleProjectApprove"]
    assert denied["ok"] is False and denied["errors"][0]["code"] == "PERMISSION_DENIED"
    approved = run(approve, {"id": project.pk, "v": 2}, user=org.head_a)["data"]["sampleProjectApprove"]
    assert approved["node"]["state"] == "APPROVED"


def test_delete(org):
    project = make_project(org, org.officer_a)
    query = "mutation($id: ID!) { deleteSampleProject(id: $id, version: 1) { ok errors { code } } }"
    assert (
        run(query, {"id": project.pk}, user=org.officer_b)["data"]["deleteSampleProject"]["errors"][0]["code"]
        == "NOT_FOUND"
    )
    assert run(query, {"id": project.pk}, user=org.officer_a)["data"]["deleteSampleProject"]["ok"] is True


def test_filters_ordering_offset_and_cursor_pagination(org):
    for i in range(5):
        make_project(org, org.officer_a, title=f"P{i}", priority="high" if i % 2 else "normal")
    query = """{ sampleProjects(filters: {priority: {exact: HIGH}}, ordering: [{title: DESC}],
                 pagination: {limit: 1, offset: 1}) { totalCount results { title } } }"""
    data = run(query, user=org.officer_a)["data"]["sampleProjects"]
    assert data == {"totalCount": 2, "results": [{"title": "P1"}]}
    search = run('{ sampleProjects(filters: {search: "p3"}) { results { title } } }', user=org.officer_a)
    assert search["data"]["sampleProjects"]["results"] == [{"title": "P3"}]
    first = run(
        "{ sampleProjectsConnection(first: 2, ordering: [{title: ASC}]) { totalCount edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }",
        user=org.officer_a,
    )["data"]["sampleProjectsConnection"]
    assert [e["node"]["title"] for e in first["edges"]] == ["P0", "P1"] and first["totalCount"] == 5
    after = first["pageInfo"]["endCursor"]
    nxt = run(
        "query($a: String) { sampleProjectsConnection(first: 2, after: $a, ordering: [{title: ASC}]) { edges { node { title } } } }",
        {"a": after},
        user=org.officer_a,
    )["data"]["sampleProjectsConnection"]
    assert [e["node"]["title"] for e in nxt["edges"]] == ["P2", "P3"]


def test_anonymous_gets_a_typed_error(org):
    result = run("{ sampleProjects { results { id } } }")
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_bearer_token_auth_and_revocation(org):
    from django.utils import timezone

    from modules.engine.models import ApiToken

    make_project(org, org.officer_a)
    token, raw = ApiToken.issue(org.officer_a, "ci")
    assert token.key_hash != raw and raw not in token.key_hash
    ok = run("{ sampleProjects { totalCount } }", token=raw)
    assert ok["data"]["sampleProjects"]["totalCount"] == 1
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    refused = run("{ sampleProjects { totalCount } }", token=raw)
    assert refused["_status"] == 401 and refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert run("{ sampleProjects { totalCount } }", token="omst_wrong")["_status"] == 401


def test_depth_and_alias_limits(org):
    deep = "{ units { results { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } }"
    assert run(deep, user=org.admin)["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    aliases = "{ " + " ".join(f"a{i}: units {{ totalCount }}" for i in range(20)) + " }"
    assert "errors" in run(aliases, user=org.admin)


def test_list_query_count_is_constant(org):
    """Stock execution (fast path off): the optimizer keeps nested lists at a fixed query count."""
    from django.test import Client

    query = (
        "{ sampleProjects(pagination: {limit: 500}) { results { number title "
        "ownerUnit { code parent { code } } leadUnit { name } partnerUnits { code } "
        "milestones { name } createdBy { username } } } }"
    )
    client = Client()
    client.force_login(org.officer_a)
    counts = {}
    for total in (10, 200):
        fill_projects_up_to(org, total)
        authcache.invalidate()  # each size counted cold: the user's rule is read too,
        forget_permission_ids()  # and the grant permission's id
        with fastpath.disabled(), CaptureQueriesContext(connection) as ctx:
            data = run(query, client=client)
        results = data["data"]["sampleProjects"]["results"]
        assert len(results) == total and results[0]["partnerUnits"] == [{"code": "SKHCN-79"}]
        counts[total] = len(ctx.captured_queries)
    assert counts[10] == counts[200], counts


def test_hook_adds_a_computed_graphql_field(org):
    make_project(org, org.officer_a, milestones=[{"name": "a", "amount": 300}, {"name": "b", "amount": 200}])
    data = run("{ sampleProjects { results { milestoneTotal } } }", user=org.officer_a)
    assert data["data"]["sampleProjects"]["results"] == [{"milestoneTotal": "500"}]


def test_unexpected_error_is_a_generic_typed_message_without_internals(org):
    """A bug in a hook must not leak its message or a stack trace to the client."""
    make_project(org, org.officer_a, title="Có lỗi")
    result = run("{ sampleProjects { results { title auditProbe } } }", user=org.officer_a)
    error = result["errors"][0]
    assert result["_status"] == 200
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    text = str(result)
    assert "secret internals" not in text and "Traceback" not in text and "hooks.py" not in text
