"""A provincial officer of province A tries to reach province B's unshared rows. Every try fails."""

from __future__ import annotations

import pytest

from modules.engine import registry, services
from tests.graphql import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(org):
    project = registry.entity_by_label("sample.SampleProject")
    secret = services.create_record(
        project, org.officer_b, {"title": "Bí mật B", "priority": "high", "budget": 5}
    )
    shared = services.create_record(
        project, org.officer_b, {"title": "Chia sẻ B", "priority": "normal", "is_shared": True, "budget": 5}
    )
    mine = services.create_record(
        project, org.officer_a, {"title": "Của A", "priority": "normal", "budget": 5}
    )
    # A note of province A that points at B's secret project (e.g. linked while it was shared).
    note_model = registry.model_for("sample.SampleNote")
    note = note_model.objects.create(
        text="Ghi chú A", project=secret, owner_unit=org.province_a, created_by=org.officer_a
    )
    return {"secret": secret, "shared": shared, "mine": mine, "note": note}


def titles(result, field="sampleProjects"):
    return sorted(r["title"] for r in result["data"][field]["results"])


def test_list_shows_own_and_shared_only(org, rows):
    assert titles(run("{ sampleProjects { results { title } } }", user=org.officer_a)) == [
        "Chia sẻ B",
        "Của A",
    ]


def test_single_fetch_by_id_is_null(org, rows):
    result = run(
        "query($id: ID!) { sampleProject(id: $id) { title } }", {"id": rows["secret"].pk}, user=org.officer_a
    )
    assert result["data"]["sampleProject"] is None
    assert "Bí mật" not in str(result)


def test_nested_link_is_null(org, rows):
    listing = run("{ sampleNotes { results { text project { title } } } }", user=org.officer_a)
    assert listing["data"]["sampleNotes"]["results"] == [{"text": "Ghi chú A", "project": None}]
    single = run(
        "query($id: ID!) { sampleNote(id: $id) { project { title } } }",
        {"id": rows["note"].pk},
        user=org.officer_a,
    )
    assert single["data"]["sampleNote"] == {"project": None}


def test_nested_link_in_mutation_payload_is_null(org, rows):
    query = """mutation($id: ID!) { updateSampleNote(input: {id: $id, version: 1, text: "sửa"}) {
        ok node { text project { title } } } }"""
    payload = run(query, {"id": rows["note"].pk}, user=org.officer_a)["data"]["updateSampleNote"]
    assert payload["ok"] and payload["node"] == {"text": "sửa", "project": None}


def test_filters_cannot_reach_hidden_rows(org, rows):
    by_id = run(
        "query($id: ID!) { sampleProjects(filters: {id: {exact: $id}}) { totalCount } }",
        {"id": rows["secret"].pk},
        user=org.officer_a,
    )
    assert by_id["data"]["sampleProjects"]["totalCount"] == 0
    by_unit = run(
        "query($u: ID!) { sampleProjects(filters: {ownerUnit: {pk: $u}}) { results { title } } }",
        {"u": org.province_b.pk},
        user=org.officer_a,
    )
    assert titles(by_unit) == ["Chia sẻ B"]
    by_text = run('{ sampleProjects(filters: {search: "Bí mật"}) { totalCount } }', user=org.officer_a)
    assert by_text["data"]["sampleProjects"]["totalCount"] == 0
    by_or = run(
        '{ sampleProjects(filters: {OR: {priority: {exact: HIGH}}}) { results { title } } }',
        user=org.officer_a,
    )
    assert "Bí mật B" not in str(by_or)
    connection = run(
        "{ sampleProjectsConnection { totalCount edges { node { title } } } }", user=org.officer_a
    )
    assert connection["data"]["sampleProjectsConnection"]["totalCount"] == 2


def test_update_delete_and_transition_fail(org, rows):
    secret = rows["secret"]
    update = run(
        """mutation($id: ID!) { updateSampleProject(input: {id: $id, version: 1, title: "hacked"}) {
        ok errors { code } } }""",
        {"id": secret.pk},
        user=org.officer_a,
    )["data"]["updateSampleProject"]
    assert update == {"ok": False, "errors": [{"code": "NOT_FOUND"}]}
    delete = run(
        "mutation($id: ID!) { deleteSampleProject(id: $id, version: 1) { ok } }",
        {"id": secret.pk},
        user=org.officer_a,
    )["data"]["deleteSampleProject"]
    assert delete["ok"] is False
    submit = run(
        "mutation($id: ID!) { sampleProjectSubmit(id: $id, version: 1) { ok } }",
        {"id": secret.pk},
        user=org.officer_a,
    )["data"]["sampleProjectSubmit"]
    assert submit["ok"] is False
    shared = run(
        """mutation($id: ID!) { updateSampleProject(input: {id: $id, version: 1, title: "hacked"}) {
        ok errors { code } } }""",
        {"id": rows["shared"].pk},
        user=org.officer_a,
    )["data"]["updateSampleProject"]
    assert shared["errors"] == [{"code": "PERMISSION_DENIED"}]
    secret.refresh_from_db()
    rows["shared"].refresh_from_db()
    assert secret.title == "Bí mật B" and rows["shared"].title == "Chia sẻ B"


def test_cannot_move_own_row_into_another_province_or_link_hidden_rows(org, rows):
    moved = run(
        """mutation($id: ID!, $u: ID!) { updateSampleProject(input: {id: $id, version: 1, ownerUnit: $u}) {
        ok errors { field code } } }""",
        {"id": rows["mine"].pk, "u": org.province_b.pk},
        user=org.officer_a,
    )["data"]["updateSampleProject"]
    assert moved["errors"] == [{"field": "ownerUnit", "code": "OUT_OF_SCOPE"}]
    linked = run(
        """mutation($p: ID!) { createSampleNote(input: {text: "x", project: $p}) { ok errors { field code } } }""",
        {"p": rows["secret"].pk},
        user=org.officer_a,
    )["data"]["createSampleNote"]
    assert linked["errors"] == [{"field": "project", "code": "NOT_FOUND"}]


def test_ministry_leader_and_office_see_everything(org, rows):
    for user in (org.leader, org.office_clerk):
        assert titles(run("{ sampleProjects { results { title } } }", user=user)) == [
            "Bí mật B",
            "Chia sẻ B",
            "Của A",
        ]


def test_object_grant_exception_reaches_list_and_single(org, rows):
    from guardian.shortcuts import assign_perm, remove_perm

    assign_perm("sample.view_sampleproject", org.officer_a, rows["secret"])
    assert "Bí mật B" in titles(run("{ sampleProjects { results { title } } }", user=org.officer_a))
    remove_perm("sample.view_sampleproject", org.officer_a, rows["secret"])
    assert "Bí mật B" not in titles(run("{ sampleProjects { results { title } } }", user=org.officer_a))


def test_without_role_permission_only_grants_count(org, rows):
    from django.contrib.auth.models import User

    from tests.conftest import make_user

    nobody: User = make_user("nobody", org.province_a, ())
    assert titles(run("{ sampleProjects { results { title } } }", user=nobody)) == []
    create = run(
        """mutation { createSampleProject(input: {title: "x", priority: NORMAL}) { ok errors { code } } }""",
        user=nobody,
    )["data"]["createSampleProject"]
    assert create["errors"][0]["code"] == "PERMISSION_DENIED"


def test_garbage_ids_are_not_found_not_500(org, rows):
    linked = run("""mutation { createSampleNote(input: {text: "x", project: "1 OR 1=1"}) { ok errors { field code } } }""",
                 user=org.officer_a)
    assert linked["data"]["createSampleNote"]["errors"] == [{"field": "project", "code": "NOT_FOUND"}]
    single = run('{ sampleProject(id: "abc") { title } }', user=org.officer_a)  # issue 11, point 8
    assert single["data"]["sampleProject"] is None
    assert single["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "id"}
    update = run("""mutation { updateSampleProject(input: {id: "abc", version: 1, title: "x"}) { ok errors { code } } }""",
                 user=org.officer_a)
    assert update["_status"] == 200 and "INTERNAL" not in str(update)
