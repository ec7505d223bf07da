"""Task tracking: numbering, the Government Office's statuses, progress, extensions, directives."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.engine import access, jobs, registry, services, workdays
from modules.engine.errors import InvalidInput, PermissionDenied, TransitionRefused
from tests.tasks_helpers import fire, in_working_days, make_task, today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_days")]


def entity(label: str):
    return registry.entity_by_label(label)


def test_tasks_are_numbered_per_year(org):
    first, second = make_task(org), make_task(org)
    year = first.created_at.year
    assert (first.number, second.number) == (f"NV-{year}-00001", f"NV-{year}-00002")


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (lambda: in_working_days(10), "on_track"),
        (lambda: in_working_days(2), "near_deadline"),
        (lambda: None, "no_deadline"),
        (lambda: workdays.subtract_working_days(today(), 1), "overdue"),
    ],
)
def test_status_follows_the_deadline(org, deadline, expected):
    assert make_task(org, deadline=deadline()).status == expected


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day(org):
    task = make_task(org, deadline=dt.date(2027, 1, 1), source_date=dt.date(2026, 11, 20))  # New Year
    assert task.deadline == dt.date(2027, 1, 4)


def test_status_is_computed_not_typed(org):
    with pytest.raises(InvalidInput) as exc:
        make_task(org, status="done_on_time")
    assert exc.value.problems[0].field == "status" and exc.value.problems[0].code == "READ_ONLY"


def test_overdue_flips_without_anyone_saving(org):
    task = make_task(org, deadline=in_working_days(5))
    assert task.status == "on_track"
    near = workdays.add_working_days(today(), 3)
    jobs.tick(near)
    task.refresh_from_db()
    assert task.status == "near_deadline" and task.version == 2
    after = workdays.add_working_days(task.deadline, 1)
    assert jobs.tick(after)["tasks.statuses"] == "1 changed"
    task.refresh_from_db()
    assert task.status == "overdue" and task.version == 3
    assert jobs.tick(after)["tasks.statuses"] == "0 changed"  # a re-run changes nothing
    assert list(task.history.values_list("status", flat=True)[:3]) == ["overdue", "near_deadline", "on_track"]


def test_completion_on_time_and_late(org):
    on_time = fire(org.officer_a, make_task(org), "complete")
    assert on_time.status == "done_on_time" and on_time.completed_on == today() and on_time.progress == 100
    late = make_task(
        org, deadline=workdays.subtract_working_days(today(), 3), source_date=today() - dt.timedelta(days=30)
    )
    assert fire(org.officer_a, late, "complete").status == "done_late"
    reopened = fire(org.leader, late, "reopen", "Bổ sung số liệu")
    assert reopened.state == "in_progress" and reopened.completed_on is None and reopened.status == "overdue"


def test_only_leaders_pause_and_cancel(org):
    task = make_task(org)
    with pytest.raises(PermissionDenied):
        fire(org.officer_a, task, "cancel", "Không cần nữa")
    paused = fire(org.head_a, task, "pause", "Chờ ý kiến Bộ")
    assert paused.status == "paused"
    assert fire(org.head_a, paused, "resume").status == "on_track"


def test_progress_is_the_latest_update(org):
    task = make_task(org)
    updates = entity("tasks.TaskUpdate")
    services.create_record(
        updates, org.officer_a, {"task": task.pk, "percent": 30, "note": "Đã thu thập số liệu"}
    )
    services.create_record(updates, org.officer_a, {"task": task.pk, "percent": 60, "note": "Đã có dự thảo"})
    task.refresh_from_db()
    assert task.progress == 60
    assert registry.model_for(updates).objects.filter(task=task).first().owner_unit_id == task.owner_unit_id


def test_bad_progress_is_refused_and_writes_nothing(org):
    task = make_task(org)
    updates = entity("tasks.TaskUpdate")
    with pytest.raises(InvalidInput) as exc:
        services.create_record(updates, org.officer_a, {"task": task.pk, "percent": 130, "note": "x"})
    assert {p.field for p in exc.value.problems} == {"percent"}
    fire(org.officer_a, task, "complete")
    with pytest.raises(InvalidInput) as exc:
        services.create_record(updates, org.officer_a, {"task": task.pk, "percent": 50, "note": "x"})
    assert {p.field for p in exc.value.problems} == {"task"}
    assert registry.model_for(updates).objects.count() == 0


def test_another_province_cannot_report_on_a_task(org):
    task = make_task(org)
    updates = entity("tasks.TaskUpdate")
    with pytest.raises(InvalidInput) as exc:
        services.create_record(updates, org.officer_b, {"task": task.pk, "percent": 10, "note": "x"})
    assert exc.value.problems[0].field == "task"
    assert not access.scoped_queryset(org.officer_b, entity("tasks.Task")).filter(pk=task.pk).exists()


def test_extension_is_decided_by_the_assigning_leader_and_keeps_the_original(org):
    task = make_task(org)
    original = task.deadline
    requests = entity("tasks.ExtensionRequest")
    new_date = workdays.add_working_days(original, 10)
    request = services.create_record(
        requests, org.officer_a, {"task": task.pk, "requested_deadline": new_date, "reason": "Chờ số liệu"}
    )
    assert request.current_deadline == original and request.state == "pending"
    with pytest.raises(TransitionRefused):  # a unit head, but not the leader who assigned it
        services.fire_transition(requests, org.head_a, request.pk, "approve", request.version)
    services.fire_transition(requests, org.leader, request.pk, "approve", request.version)
    task.refresh_from_db()
    assert task.deadline == new_date and task.original_deadline == original
    assert original in set(task.history.values_list("deadline", flat=True))


def test_an_extension_must_move_the_deadline_later(org):
    task = make_task(org)
    requests = entity("tasks.ExtensionRequest")
    with pytest.raises(InvalidInput) as exc:
        services.create_record(
            requests, org.officer_a, {"task": task.pk, "requested_deadline": today(), "reason": "x"}
        )
    assert exc.value.problems[0].field == "requested_deadline"


def test_a_directive_creates_one_task_per_lead_unit(org):
    directives = entity("tasks.Directive")
    directive = services.create_record(
        directives,
        org.office_clerk,
        {
            "source_number": "123/TB-BKHCN",
            "source_date": today(),
            "source_signer": "Thứ trưởng",
            "summary": "Kết luận giao ban tháng 11",
            "content": "Các Sở rà soát nhiệm vụ chuyển đổi số.",
            "assigned_by": org.leader.pk,
            "lead_units": [org.province_a.pk, org.province_b.pk],
            "coordinating_units": [org.department.pk],
            "deadline": in_working_days(15),
            "is_key": True,
        },
    )
    tasks = registry.model_for("tasks.Task").objects.filter(directive=directive).order_by("owner_unit_id")
    assert [t.owner_unit_id for t in tasks] == sorted([org.province_a.pk, org.province_b.pk])
    assert all(t.source_number == "123/TB-BKHCN" and t.is_key and t.status == "on_track" for t in tasks)
    assert [list(t.coordinating_units.all()) for t in tasks] == [[org.department]] * 2
    # each province sees only its own
    visible = access.scoped_queryset(org.officer_b, entity("tasks.Task")).filter(directive=directive)
    assert [t.owner_unit_id for t in visible] == [org.province_b.pk]
