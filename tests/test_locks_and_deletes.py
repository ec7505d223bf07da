"""Issue 11, points 3 and 5: finished records cannot be rewritten, and a record others
depend on cannot be deleted from under them.

The rules under test, as declared:
- a completed or cancelled task: no field changes, for anyone (a leader reopens it);
- a finished dossier (returned, refused, withdrawn, stopped): no field changes;
- an answered petition: no field changes but the petitioner's feedback, and the answer's
  wording, which the deciders (unit head, ministry leader, platform admin) may still correct;
- a sent or accepted report: no value changes;
- a link is protected by default: a period with submissions cannot be deleted, and the
  refusal names and counts them; a link declared `cascade` deletes its rows with the target.
Each attack goes through GraphQL, the admin form (a crafted POST), and a module path.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import models

from modules.engine import registry, services, workdays
from modules.engine.dated import refresh_dated
from modules.engine.definitions import ALL, Entity, Link, Lock, State, Text, Transition, Workflow
from modules.engine.errors import InvalidInput
from modules.petitions import rules
from modules.petitions.api import file_petition, give_feedback
from modules.reporting import submissions
from modules.reporting.submissions import Entry
from modules.tasks import kpis
from tests.conftest import make_user
from tests.graphql import run
from tests.onestop_helpers import make_procedure, returned
from tests.reporting_helpers import good_values, make_form, make_regime, open_period, submission_of
from tests.tasks_helpers import fire as fire_task
from tests.tasks_helpers import in_working_days, make_task, today
from tests.test_admin import client_for, form_data, url

pytestmark = pytest.mark.django_db

LOCKED_TEXT_VI = "không sửa được khi bản ghi đã ở trạng thái"
LOCKED_TEXT_EN = "cannot be changed once the record is"


def entity(label: str) -> Any:
    return registry.entity_by_label(label)


def codes(exc: InvalidInput) -> dict[str | None, str]:
    return {p.field: p.code for p in exc.problems}


def errors_by_field(payload: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["code"] for e in payload["errors"]}


def unchanged(row: models.Model, before: dict[str, Any]) -> bool:
    fresh = type(row).objects.get(pk=row.pk)
    return {name: getattr(fresh, name) for name in before} == before


# --- declarations ---------------------------------------------------------------------------


def _workflow() -> Workflow:
    return Workflow(
        states=(
            State(code="open", label_vi="Mở", label_en="Open"),
            State(code="done", label_vi="Xong", label_en="Done"),
        ),
        initial="open",
        transitions=(
            Transition(name="finish", label_vi="Xong", label_en="Finish", source=("open",), target="done"),
        ),
    )


def test_a_lock_naming_an_unknown_state_or_field_is_refused_at_declaration():
    fields = (Text("title", "Tên", "Title"),)
    with pytest.raises(ValueError, match="unknown states"):
        Entity(
            name="X",
            label_vi="X",
            label_en="X",
            fields=fields,
            workflow=_workflow(),
            locks=(Lock(states=("closed",)),),
        )
    with pytest.raises(ValueError, match="unknown fields"):
        Entity(
            name="X",
            label_vi="X",
            label_en="X",
            fields=fields,
            workflow=_workflow(),
            locks=(Lock(states=("done",), fields=("titel",)),),
        )
    with pytest.raises(ValueError, match="unknown fields"):
        Entity(
            name="X",
            label_vi="X",
            label_en="X",
            fields=fields,
            workflow=_workflow(),
            locks=(Lock(states=("done",), fields=ALL, except_fields=("nope",)),),
        )
    with pytest.raises(ValueError, match="no workflow"):
        Entity(name="X", label_vi="X", label_en="X", fields=fields, locks=(Lock(states=("done",)),))
    ok = Entity(
        name="X",
        label_vi="X",
        label_en="X",
        fields=fields,
        workflow=_workflow(),
        locks=(Lock(states=("done",)),),
    )
    assert ok.locked_fields("done") == ("title", "owner_unit") and ok.locked_fields("open") == ()


def test_a_required_link_cannot_be_declared_set_null_and_links_protect_by_default():
    with pytest.raises(ValueError, match="required link"):
        Link("period", "Kỳ", "Period", target="reporting.ReportPeriod", required=True, on_delete="set_null")
    with pytest.raises(ValueError, match="on_delete"):
        Link("period", "Kỳ", "Period", target="reporting.ReportPeriod", on_delete="orphan")
    # optional links keep what they declare (the default, protect), instead of quietly emptying
    period = registry.model_for("reporting.Submission")._meta.get_field("period")
    assert period.null and period.remote_field.on_delete is models.PROTECT
    assert (
        registry.model_for("tasks.Task")._meta.get_field("assignee").remote_field.on_delete is models.PROTECT
    )
    updates = registry.model_for("tasks.TaskUpdate")._meta.get_field("task")
    assert updates.remote_field.on_delete is models.CASCADE  # declared cascade: part of its task


# --- a completed task -----------------------------------------------------------------------

UPDATE_TASK = (
    """mutation($i: TaskUpdateInput!) { updateTask(input: $i) { ok errors { field code message } } }"""
)


def _kpi(org: Any) -> Any:
    start = today() - dt.timedelta(days=40)
    rows = kpis.compute(org.leader, start, today(), unit_id=org.province_a.pk)
    return [(r.assigned, r.completed_on_time, r.completed_late, r.overdue, r.on_time_rate) for r in rows]


@pytest.fixture
def done_task(org, legal_days):
    task = make_task(org, deadline=in_working_days(10))
    return fire_task(org.officer_a, task, "complete")


def test_a_provincial_officer_cannot_rewrite_a_completed_task_through_graphql(org, done_task):
    kpi = _kpi(org)
    assert kpi == [(1, 1, 0, 0, 100.0)]  # completed today, before its deadline: on time
    before = {"title": done_task.title, "deadline": done_task.deadline, "version": done_task.version}
    late = today() - dt.timedelta(days=30)  # would turn the completion late
    answer = run(
        UPDATE_TASK,
        {"i": {"id": done_task.pk, "version": done_task.version, "title": "Đổi tên", "deadline": str(late)}},
        user=org.officer_a,
    )["data"]["updateTask"]
    assert answer["ok"] is False
    assert errors_by_field(answer) == {"title": "LOCKED", "deadline": "LOCKED"}
    message = answer["errors"][0]["message"]
    assert LOCKED_TEXT_VI in message and "«Đã hoàn thành»" in message and "“Completed”" in message
    assert unchanged(done_task, before)
    assert _kpi(org) == kpi
    # a multi-link of the record is locked too
    units = run(
        UPDATE_TASK,
        {"i": {"id": done_task.pk, "version": done_task.version, "coordinatingUnits": [org.province_b.pk]}},
        user=org.officer_a,
    )["data"]["updateTask"]
    assert errors_by_field(units) == {"coordinatingUnits": "LOCKED"}
    assert not done_task.coordinating_units.exists()


def test_nobody_rewrites_a_completed_task_and_a_leader_reopens_it_instead(org, done_task):
    for user in (org.leader, org.head_a, org.admin):  # the task declares no role that may
        with pytest.raises(InvalidInput) as caught:
            services.update_record(
                entity("tasks.Task"), user, done_task.pk, {"deadline": today()}, done_task.version
            )
        assert codes(caught.value) == {"deadline": "LOCKED"}
    # the owning unit is locked too: moving the task would move it between units' figures
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            entity("tasks.Task"),
            org.admin,
            done_task.pk,
            {"owner_unit": org.province_b.pk},
            done_task.version,
        )
    assert codes(caught.value) == {"owner_unit": "LOCKED"}
    # the workflow's own way: reopen (a transition), then the task may change again
    reopened = fire_task(org.leader, done_task, "reopen", "Bổ sung số liệu")
    assert reopened.state == "in_progress" and reopened.completed_on is None  # set by the transition's hook
    changed = services.update_record(
        entity("tasks.Task"), org.officer_a, reopened.pk, {"title": "Tên mới"}, reopened.version
    )
    assert changed.title == "Tên mới"


def test_a_cancelled_task_is_locked_too(org, legal_days):
    task = make_task(org)
    task = fire_task(org.leader, task, "cancel", "Không còn cần thiết")
    with pytest.raises(InvalidInput) as caught:
        services.update_record(entity("tasks.Task"), org.officer_a, task.pk, {"title": "X"}, task.version)
    assert codes(caught.value) == {"title": "LOCKED"}
    assert "«Đã huỷ»" in caught.value.problems[0].message


def test_the_admin_shows_a_completed_task_read_only_and_refuses_a_crafted_post(client, org, done_task):
    kpi = _kpi(org)
    before = {"title": done_task.title, "deadline": done_task.deadline, "version": done_task.version}
    client_for(client, org.officer_a)
    page = client.get(url("tasks.Task", "change", done_task.pk))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "title" not in form.fields and "deadline" not in form.fields  # shown, not editable
    assert {"title", "deadline"} <= set(page.context["adminform"].readonly_fields)
    data = form_data(page, title="Đổi tên", deadline=str(today() - dt.timedelta(days=30)))
    response = client.post(url("tasks.Task", "change", done_task.pk), data)
    assert response.status_code == 200  # the form again, with the reason
    html = response.content.decode()
    assert LOCKED_TEXT_VI in html and "Đã hoàn thành" in html
    assert unchanged(done_task, before)
    assert _kpi(org) == kpi


def test_module_paths_cannot_move_a_completed_tasks_deadline(org, legal_days):
    """An extension asked before completion and approved after it would move the deadline."""
    task = make_task(org, deadline=in_working_days(5))
    request = services.create_record(
        entity("tasks.ExtensionRequest"),
        org.officer_a,
        {"task": task.pk, "requested_deadline": in_working_days(30), "reason": "Chờ số liệu"},
    )
    task = fire_task(org.officer_a, task, "complete")
    kpi = _kpi(org)
    with pytest.raises(InvalidInput) as caught:
        services.fire_transition(
            entity("tasks.ExtensionRequest"), org.leader, request.pk, "approve", request.version
        )
    assert codes(caught.value) == {"deadline": "LOCKED", "original_deadline": "LOCKED"}
    request.refresh_from_db()
    assert request.state == "pending"  # the whole approval rolled back
    assert unchanged(task, {"deadline": task.deadline, "version": task.version})
    assert _kpi(org) == kpi


def test_the_calendar_refresh_still_rewrites_derived_values_of_a_locked_task(org, done_task):
    model = registry.model_for("tasks.Task")
    model.objects.filter(pk=done_task.pk).update(status="overdue")  # a stale derived value
    result = refresh_dated("tasks.Task", model.objects.filter(pk=done_task.pk), lambda r, d: True)
    assert result == "1 changed"
    done_task.refresh_from_db()
    assert done_task.status != "overdue"


# --- a returned dossier ---------------------------------------------------------------------

UPDATE_DOSSIER = (
    """mutation($i: DossierUpdateInput!) { updateDossier(input: $i) { ok errors { field code message } } }"""
)


@pytest.fixture
def clerk(org):
    return make_user("clerk", org.office, ("onestop_clerk",))


@pytest.fixture
def returned_dossier(org, clerk, legal_days):
    return returned(clerk, org.admin, make_procedure(org))


def test_a_returned_dossier_cannot_be_rewritten(client, org, clerk, returned_dossier):
    dossier = returned_dossier
    assert dossier.state == "returned"
    before = {"applicant_name": dossier.applicant_name, "phone": dossier.phone, "version": dossier.version}
    answer = run(
        UPDATE_DOSSIER,
        {
            "i": {
                "id": dossier.pk,
                "version": dossier.version,
                "applicantName": "Người khác",
                "phone": "0900000000",
            }
        },
        user=clerk,
    )["data"]["updateDossier"]
    assert errors_by_field(answer) == {"applicantName": "LOCKED", "phone": "LOCKED"}
    assert (
        "«Đã trả kết quả»" in answer["errors"][0]["message"] or "Returned" in answer["errors"][0]["message"]
    )
    # child rows of the locked record (the documents received)
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            entity("onestop.Dossier"),
            clerk,
            dossier.pk,
            {"components": [{"name": "Giấy tờ mới"}]},
            dossier.version,
        )
    assert codes(caught.value) == {"components": "LOCKED"}
    # the admin: read-only fields, no editable document rows, a crafted POST refused
    client_for(client, clerk)
    page = client.get(url("onestop.Dossier", "change", dossier.pk))
    assert "applicant_name" not in page.context["adminform"].form.fields
    components = next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "components")
    assert not components.has_add_permission and not components.has_change_permission
    response = client.post(url("onestop.Dossier", "change", dossier.pk), form_data(page, applicant_name="X"))
    assert response.status_code == 200 and LOCKED_TEXT_VI in response.content.decode()
    assert unchanged(dossier, before)
    assert [c.name for c in dossier.components.all()] != ["Giấy tờ mới"]


# --- an answered petition -------------------------------------------------------------------

UPDATE_PETITION = """mutation($i: PetitionUpdateInput!) { updatePetition(input: $i) { ok errors { field code message } } }"""


@pytest.fixture
def answered(org, legal_days):
    petition = file_petition(
        {
            "content_type": "unsuited",
            "petitioner_name": "Công ty TNHH Minh An",
            "address": "25 Trần Duy Hưng, Hà Nội",
            "phone": "0243 8251 234",
            "subject": "Thủ tục còn yêu cầu bản giấy",
            "content": "Hồ sơ vẫn yêu cầu nộp bản giấy dù đã nộp trực tuyến.",
        },
        "10.0.0.9",
    )
    petitions = entity("petitions.Petition")
    deadline = workdays.add_working_days(workdays.today(), 10)
    petition = services.update_record(
        petitions,
        org.admin,
        petition.pk,
        {"assigned_unit": org.department.pk, "answer_deadline": deadline},
        petition.version,
    )
    petition = services.fire_transition(petitions, org.admin, petition.pk, "accept", petition.version)
    values = {code: True for code, _vi, _en in rules.CRITERIA} | {
        "answer": "Bộ sẽ sửa Thông tư.",
        "review_notes": "Quy định chưa phù hợp với giao dịch điện tử.",
    }
    petition = services.update_record(petitions, org.admin, petition.pk, values, petition.version)
    return services.fire_transition(petitions, org.admin, petition.pk, "answer", petition.version)


def test_an_answered_petition_is_locked_but_for_feedback_and_the_deciders_wording(client, org, answered):
    petition = answered
    assert petition.state == "answered" and petition.answered_on_time
    handler = org.specialist  # a handler of the department it was assigned to
    before = {
        "answer_deadline": petition.answer_deadline,
        "subject": petition.subject,
        "answer": petition.answer,
    }
    late = workdays.today() - dt.timedelta(days=20)  # would make the answer late
    answer = run(
        UPDATE_PETITION,
        {
            "i": {
                "id": petition.pk,
                "version": petition.version,
                "answerDeadline": str(late),
                "subject": "Khác",
                "answer": "Viết lại",
            }
        },
        user=handler,
    )["data"]["updatePetition"]
    assert errors_by_field(answer) == {"answerDeadline": "LOCKED", "subject": "LOCKED", "answer": "LOCKED"}
    assert unchanged(petition, before)
    # the admin: the same refusal for a crafted POST
    client_for(client, handler)
    page = client.get(url("petitions.Petition", "change", petition.pk))
    assert "answer_deadline" not in page.context["adminform"].form.fields
    response = client.post(
        url("petitions.Petition", "change", petition.pk), form_data(page, answer_deadline=str(late))
    )
    assert response.status_code == 200 and LOCKED_TEXT_VI in response.content.decode()
    assert unchanged(petition, before)
    # a decider (the department's head) may still correct the wording, nothing else
    head = make_user("head_dept", org.department, ("unit_head",))
    petition.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            entity("petitions.Petition"), head, petition.pk, {"answer_deadline": late}, petition.version
        )
    assert codes(caught.value) == {"answer_deadline": "LOCKED"}
    corrected = services.update_record(
        entity("petitions.Petition"),
        head,
        petition.pk,
        {"answer": "Bộ sẽ sửa Thông tư số 10."},
        petition.version,
    )
    assert corrected.answer == "Bộ sẽ sửa Thông tư số 10." and corrected.answered_on_time
    # the petitioner's feedback stays open (a public path, no user)
    given = give_feedback(corrected.number, corrected.feedback_key, "satisfied", "Cảm ơn", "10.0.0.9")
    assert given.satisfaction == "satisfied"
    # once published, even the decider's correction is refused
    published = services.fire_transition(
        entity("petitions.Petition"), head, given.pk, "publish", given.version
    )
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            entity("petitions.Petition"), head, published.pk, {"answer": "Sửa"}, published.version
        )
    assert codes(caught.value) == {"answer": "LOCKED"}


# --- an accepted report ---------------------------------------------------------------------

SAVE_VALUES = """mutation($id: ID!, $v: Int!, $values: [ReportValueInput!]!) {
  saveReportValues(id: $id, version: $v, values: $values) { ok errors { field code message } } }"""


@pytest.fixture
def regime(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return regime


@pytest.fixture
def period(org, regime):
    return open_period(org.admin, regime)


def _stored_values(submission: Any) -> dict[str, Any]:
    return {v.code: v.number for v in submission.values.all()}


def test_an_accepted_report_cannot_be_rewritten(client, org, period):
    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, good_values())
    sub = services.fire_transition(
        entity("reporting.Submission"), org.officer_a, sub.pk, "submit", sub.version
    )
    sub = services.fire_transition(entity("reporting.Submission"), org.admin, sub.pk, "accept", sub.version)
    assert sub.state == "accepted"
    values, version = _stored_values(sub), sub.version
    # the module's own write path, as GraphQL reaches it
    answer = run(
        SAVE_VALUES,
        {"id": sub.pk, "v": sub.version, "values": [{"code": "PATENTS", "number": "99"}]},
        user=org.officer_a,
    )
    payload = answer["data"]["saveReportValues"]
    assert payload["ok"] is False and {e["code"] for e in payload["errors"]} == {"LOCKED"}
    assert "«Đã tiếp nhận»" in payload["errors"][0]["message"]
    # the same path as the data-entry page and extraction call it
    with pytest.raises(InvalidInput) as caught:
        submissions.save_values(org.officer_a, sub.pk, sub.version, [Entry("PATENTS", Decimal(99))])
    assert set(codes(caught.value).values()) == {"LOCKED"}
    # the admin: a crafted POST moving the accepted report to another unit
    client_for(client, org.admin)
    page = client.get(url("reporting.Submission", "change", sub.pk))
    assert "owner_unit" not in page.context["adminform"].form.fields
    response = client.post(
        url("reporting.Submission", "change", sub.pk), form_data(page, owner_unit=str(org.province_b.pk))
    )
    assert response.status_code == 200 and LOCKED_TEXT_VI in response.content.decode()
    sub.refresh_from_db()
    assert _stored_values(sub) == values and sub.version == version and sub.owner_unit_id == org.province_a.pk


# --- deleting what others depend on -----------------------------------------------------------

DELETE_PERIOD = """mutation($id: ID!, $v: Int!) { deleteReportPeriod(id: $id, version: $v) { ok errors { field code message } } }"""


def test_a_period_with_submissions_cannot_be_deleted_through_graphql(org, period):
    model = registry.model_for("reporting.Submission")
    count = model.objects.filter(period=period).count()
    assert count == 2  # one per provincial Department in the tree: the fixture has two
    answer = run(DELETE_PERIOD, {"id": period.pk, "v": period.version}, user=org.admin)["data"][
        "deleteReportPeriod"
    ]
    assert answer["ok"] is False
    assert [e["code"] for e in answer["errors"]] == ["IN_USE"]
    assert answer["errors"][0]["message"] == (
        "Không thể xoá: còn 2 Báo cáo của đơn vị phụ thuộc. / Cannot delete: 2 Submissions depend on it."
    )
    assert type(period).objects.filter(pk=period.pk).exists()
    assert model.objects.filter(period=period).count() == count


def test_a_period_with_submissions_cannot_be_deleted_in_the_admin(client, org, period):
    model = registry.model_for("reporting.Submission")
    client_for(client, org.admin)
    page = client.get(url("reporting.ReportPeriod", "delete", period.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["protected"] and len(page.context["protected"]) == 2
    assert "Báo cáo của đơn vị" in html
    response = client.post(url("reporting.ReportPeriod", "delete", period.pk), {"post": "yes"})
    assert response.status_code == 200 and response.context["protected"]
    assert type(period).objects.filter(pk=period.pk).exists()
    # "delete selected" on the list: the same protected list, nothing deleted
    bulk = client.post(
        url("reporting.ReportPeriod", "changelist"),
        {"action": "delete_selected", "_selected_action": [str(period.pk)], "post": "yes"},
    )
    assert bulk.status_code == 200 and bulk.context["protected"]
    assert type(period).objects.filter(pk=period.pk).exists()
    assert model.objects.filter(period=period).count() == 2


def test_deleting_a_task_takes_its_declared_cascade_rows_with_it(org, legal_days):
    task = make_task(org)
    for percent in (30, 60):
        services.create_record(
            entity("tasks.TaskUpdate"),
            org.officer_a,
            {"task": task.pk, "percent": percent, "note": "Tiến độ"},
        )
    updates = registry.model_for("tasks.TaskUpdate").objects.filter(task_id=task.pk)
    assert updates.count() == 2
    task.refresh_from_db()
    answer = run(
        "mutation($id: ID!, $v: Int!) { deleteTask(id: $id, version: $v) { ok errors { code message } } }",
        {"id": task.pk, "v": task.version},
        user=org.admin,
    )["data"]["deleteTask"]
    assert answer == {"ok": True, "errors": []}
    assert not type(task).objects.filter(pk=task.pk).exists() and updates.count() == 0


def test_a_unit_others_depend_on_names_them_when_deleted(org, legal_days):
    make_task(org, unit=org.province_a)
    with pytest.raises(InvalidInput) as caught:
        services.delete_record(entity("org.Unit"), org.admin, org.province_a.pk, org.province_a.version)
    problem = caught.value.problems[0]
    assert problem.code == "IN_USE" and "1 Nhiệm vụ" in problem.message and "1 Task" in problem.message
    assert type(org.province_a).objects.filter(pk=org.province_a.pk).exists()
