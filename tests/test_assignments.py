"""Assignments across scopes (issue 11, point 6): "assigned by" is the user unless a declared
delegation allows otherwise, and each person given a task can see it.

The rules under test are the tasks module's declarations: `assigned_by` is an actor link a
leader's secretary (or, for directives, a specialist) may fill in for a ministry leader or
unit head of their own unit or a unit above it; `assignee` must see the task, and only a
ministry leader's assignment grants it across units (view and completion, in the history).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from modules.engine import assignments, registry, services
from modules.engine.definitions import Link
from modules.engine.errors import InvalidInput
from tests.conftest import make_user
from tests.graphql import run
from tests.tasks_helpers import in_working_days
from tests.test_admin import form_data, url

pytestmark = pytest.mark.django_db

TASK = "tasks.Task"
CREATE = """mutation($input: TaskCreateInput!) { createTask(input: $input) {
    ok errors { field code message } node { id number assignedBy { id } assignee { id } } } }"""
UPDATE = """mutation($input: TaskUpdateInput!) { updateTask(input: $input) {
    ok errors { field code message } node { id assignee { id } } } }"""
ONE = "query($id: ID!) { task(id: $id) { id number title } }"
LIST = "{ tasks { totalCount results { id } } }"
COMPLETE = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok errors { code } } }"


def task_input(org: Any, **values: Any) -> dict[str, Any]:
    return {
        "title": "Rà soát quy trình cấp phép",
        "content": "Rà soát và báo cáo Bộ.",
        "deadline": in_working_days(10).isoformat(),
        **values,
    }


def tasks() -> Any:
    return registry.model_for(TASK).objects


@pytest.fixture
def secretary(org: Any) -> Any:
    """The Minister's secretary, in the Office (a unit under the Ministry, where the Minister sits)."""
    return make_user("thuky", org.office, ("secretary",))


# --- "assigned by" is the user ---------------------------------------------------------------


def test_a_unit_head_cannot_name_the_minister_as_assigning_leader(org):
    answer = run(CREATE, {"input": task_input(org, assignedBy=str(org.leader.pk))}, user=org.head_a)
    payload = answer["data"]["createTask"]
    assert payload["ok"] is False and payload["node"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("assignedBy", "NOT_ALLOWED")]
    assert "Leader" in payload["errors"][0]["message"]  # names the person (conftest's full name)
    assert not tasks().exists()
    # the engine's write path refuses it for module code and imports too
    with pytest.raises(InvalidInput) as refused:
        services.create_record(
            registry.entity_by_label(TASK), org.head_a, task_input(org, assigned_by=org.leader.pk)
        )
    assert refused.value.problems[0].code == "NOT_ALLOWED"
    assert not tasks().exists()


def test_an_empty_assigned_by_is_the_current_user(org):
    answer = run(CREATE, {"input": task_input(org)}, user=org.head_a)["data"]["createTask"]
    assert answer["ok"], answer
    assert answer["node"]["assignedBy"] == {"id": str(org.head_a.pk)}
    assert tasks().get().assigned_by == org.head_a


def test_assigned_by_cannot_be_changed_to_someone_else_later(org):
    task = services.create_record(registry.entity_by_label(TASK), org.head_a, task_input(org))
    answer = run(
        UPDATE,
        {"input": {"id": str(task.pk), "version": task.version, "assignedBy": str(org.leader.pk)}},
        user=org.head_a,
    )["data"]["updateTask"]
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [("assignedBy", "NOT_ALLOWED")]
    task.refresh_from_db()
    assert task.assigned_by == org.head_a and task.version == 1


def test_others_may_still_edit_a_task_a_leader_assigned(org):
    """Only a change of the actor is judged: an officer updating the leader's task is fine."""
    task = services.create_record(
        registry.entity_by_label(TASK), org.leader, task_input(org, owner_unit=org.province_a.pk)
    )
    answer = run(
        UPDATE, {"input": {"id": str(task.pk), "version": 1, "title": "Tên mới"}}, user=org.officer_a
    )["data"]["updateTask"]
    assert answer["ok"], answer


def test_a_secretary_records_for_the_leader_above_them_only(org, secretary):
    answer = run(CREATE, {"input": task_input(org, assignedBy=str(org.leader.pk))}, user=secretary)
    payload = answer["data"]["createTask"]
    assert payload["ok"], payload
    task = tasks().get(pk=payload["node"]["id"])
    assert task.assigned_by == org.leader and task.created_by == secretary
    # a leader of another line (a province's director) is not theirs to speak for
    refused = run(CREATE, {"input": task_input(org, assignedBy=str(org.head_a.pk))}, user=secretary)
    assert [e["code"] for e in refused["data"]["createTask"]["errors"]] == ["NOT_ALLOWED"]
    # nor is a colleague who is no leader
    colleague = run(CREATE, {"input": task_input(org, assignedBy=str(org.office_clerk.pk))}, user=secretary)
    assert [e["code"] for e in colleague["data"]["createTask"]["errors"]] == ["NOT_ALLOWED"]
    assert tasks().count() == 1


def test_a_specialist_enters_a_directive_for_the_minister_and_its_tasks_follow(org):
    directive = services.create_record(
        registry.entity_by_label("tasks.Directive"),
        org.specialist,
        {
            "source_kind": "document",
            "source_date": in_working_days(0),
            "summary": "Triển khai chuyển đổi số",
            "content": "Các Sở triển khai.",
            "assigned_by": org.leader.pk,
            "lead_units": [org.province_a.pk],
        },
    )
    assert directive.assigned_by == org.leader
    assert [t.assigned_by for t in tasks().filter(directive=directive)] == [org.leader]
    with pytest.raises(InvalidInput) as refused:
        services.create_record(
            registry.entity_by_label("tasks.Directive"),
            org.specialist,
            {
                "source_kind": "document",
                "source_date": in_working_days(0),
                "summary": "Không phải lãnh đạo của mình",
                "content": "…",
                "assigned_by": org.head_a.pk,
            },
        )
    assert refused.value.problems[0].field == "assigned_by"


# --- each assignee can see the task ------------------------------------------------------------


def test_a_unit_head_cannot_give_a_task_to_another_provinces_officer(org):
    answer = run(CREATE, {"input": task_input(org, assignee=str(org.officer_b.pk))}, user=org.head_a)
    payload = answer["data"]["createTask"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("assignee", "OUT_OF_SCOPE")]
    assert "Officer_B" in payload["errors"][0]["message"]
    assert not tasks().exists()  # nothing half-written: no row, no number used
    fine = run(CREATE, {"input": task_input(org, assignee=str(org.officer_a.pk))}, user=org.head_a)
    assert fine["data"]["createTask"]["ok"]
    assert tasks().get().number.endswith("00001")


def test_reassigning_to_someone_who_cannot_see_it_is_refused(org):
    task = services.create_record(
        registry.entity_by_label(TASK), org.head_a, task_input(org, assignee=org.officer_a.pk)
    )
    answer = run(
        UPDATE,
        {"input": {"id": str(task.pk), "version": 1, "assignee": str(org.officer_b.pk)}},
        user=org.head_a,
    )["data"]["updateTask"]
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [("assignee", "OUT_OF_SCOPE")]
    task.refresh_from_db()
    assert task.assignee == org.officer_a and task.version == 1
    assert run(ONE, {"id": str(task.pk)}, user=org.officer_b)["data"]["task"] is None


def test_a_ministry_leaders_assignment_grants_the_task_to_the_officer(org):
    """The Ministry directs every unit: its leader's task owned by a ministry department is
    granted to the provincial officer named, who sees it in the API and the admin, reports
    and completes it; nobody else of that province gains anything."""
    answer = run(
        CREATE,
        {"input": task_input(org, ownerUnit=str(org.department.pk), assignee=str(org.officer_b.pk))},
        user=org.leader,
    )["data"]["createTask"]
    assert answer["ok"], answer
    task = tasks().get(pk=answer["node"]["id"])
    assert task.owner_unit == org.department  # still the department's task
    seen = run(ONE, {"id": str(task.pk)}, user=org.officer_b)["data"]["task"]
    assert seen == {"id": str(task.pk), "number": task.number, "title": task.title}
    listed = run(LIST, user=org.officer_b)["data"]["tasks"]
    assert listed == {"totalCount": 1, "results": [{"id": str(task.pk)}]}
    assert run(ONE, {"id": str(task.pk)}, user=org.officer_a)["data"]["task"] is None
    admin = Client()
    admin.force_login(org.officer_b)
    page = admin.get(url(TASK, "changelist"))
    assert page.status_code == 200 and task.number in page.content.decode()
    assert admin.get(url(TASK, "change", task.pk)).status_code == 200
    # the grant is in the task's history
    reasons = [h.history_change_reason or "" for h in task.history.all()]
    # ... naming the person by full name (conftest: the username in title case), not the login
    assert any("Officer_B" in r and "view granted" in r for r in reasons), reasons
    done = run(COMPLETE, {"id": str(task.pk), "v": task.version}, user=org.officer_b)["data"]["taskComplete"]
    assert done["ok"], done


def test_a_secretary_recording_the_ministers_assignment_carries_the_ministers_grant(org, secretary):
    answer = run(
        CREATE,
        {"input": task_input(org, assignedBy=str(org.leader.pk), assignee=str(org.officer_b.pk))},
        user=secretary,
    )["data"]["createTask"]
    assert answer["ok"], answer
    assert run(ONE, {"id": answer["node"]["id"]}, user=org.officer_b)["data"]["task"] is not None
    # in their own name, the secretary's assignment across units is refused
    own = run(CREATE, {"input": task_input(org, assignee=str(org.officer_b.pk))}, user=secretary)
    assert [e["code"] for e in own["data"]["createTask"]["errors"]] == ["OUT_OF_SCOPE"]


def test_a_refused_grant_leaves_no_grant_and_no_row(org):
    grants = registry.classes_for(registry.entity_by_label(TASK))["TaskUserObjectPermission"].objects
    run(CREATE, {"input": task_input(org, assignee=str(org.officer_b.pk))}, user=org.head_a)
    assert not grants.exists() and not tasks().exists()


# --- the admin's add form ------------------------------------------------------------------------


def add_form(page: Any, **changes: Any) -> dict[str, Any]:
    """The add page's own POST body (an empty multi-select sends nothing)."""
    data = form_data(page, content="Nội dung", deadline="", **changes)
    data.pop("coordinating_units", None)
    return data


def _options(page: Any, name: str) -> set[int]:
    field = page.context["adminform"].form.fields[name]
    return set(field.queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["head_a", "leader"])
def test_the_admin_add_form_starts_with_the_user_as_assigning_leader(client, org, who):
    user = getattr(org, who)
    client.force_login(user)
    page = client.get(url(TASK, "add"))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form["assigned_by"].value() == user.pk
    assert _options(page, "assigned_by") == {user.pk}
    data = add_form(page, title="Giao qua trang quản trị")
    response = client.post(url(TASK, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert tasks().get(title="Giao qua trang quản trị").assigned_by == user


def test_the_admin_offers_a_secretary_their_leaders_and_refuses_a_forged_choice(client, org, secretary):
    client.force_login(secretary)
    page = client.get(url(TASK, "add"))
    assert _options(page, "assigned_by") == {secretary.pk, org.leader.pk}
    data = add_form(page, title="Ghi thay lãnh đạo")
    data["assigned_by"] = str(org.head_a.pk)  # not offered: a forged POST
    response = client.post(url(TASK, "add"), data)
    assert response.status_code == 200 and "assigned_by" in response.context["adminform"].form.errors
    data["assigned_by"] = str(org.leader.pk)
    assert client.post(url(TASK, "add"), data).status_code == 302
    assert tasks().get().assigned_by == org.leader


def test_editing_someone_elses_task_in_the_admin_keeps_its_assigning_leader(client, org):
    task = services.create_record(
        registry.entity_by_label(TASK), org.leader, task_input(org, owner_unit=org.province_a.pk)
    )
    client.force_login(org.officer_a)
    page = client.get(url(TASK, "change", task.pk))
    assert _options(page, "assigned_by") == {org.officer_a.pk, org.leader.pk}
    response = client.post(url(TASK, "change", task.pk), add_form(page, title="Sửa tên"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    task.refresh_from_db()
    assert (task.title, task.assigned_by) == ("Sửa tên", org.leader)


def test_the_admin_refuses_an_assignee_who_cannot_see_the_task(client, org):
    client.force_login(org.head_a)
    page = client.get(url(TASK, "add"))
    data = add_form(page, title="Giao sai tỉnh")
    data["assignee"] = str(org.officer_b.pk)
    response = client.post(url(TASK, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "assignee" in errors and "Officer_B" in str(errors["assignee"])
    assert not tasks().exists()


# --- the engine's vocabulary ---------------------------------------------------------------------


def test_an_actor_link_to_a_person_is_the_users_person(org):
    spec = Link("recorded_by", "Người ghi", "Recorded by", target="org.Person", actor=True)
    person = assignments.actor_value(org.head_a, spec)
    assert person.user == org.head_a and person.owner_unit == org.province_a


def test_declarations_refuse_nonsense():
    from modules.engine.definitions import Assignee, Delegation, Text

    with pytest.raises(ValueError):
        Text("title", "Tên", "Title", actor=True)
    with pytest.raises(ValueError):
        Text("title", "Tên", "Title", assignee=Assignee())
    with pytest.raises(ValueError):
        Delegation(by=("secretary",), for_roles=("unit_head",), within="everywhere")
