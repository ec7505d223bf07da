"""The implementer's extras of domain.md §3 ("từ chối", "chờ xác nhận") and key tasks
counted apart in the KPIs (domain.md §3: key tasks flagged separately).

Who may do what (the definition's transitions): the responsible person refuses a task
(with a reason) or reports it done; the leader who assigned it hands it again, confirms
the completion or sends it back. Nobody else may.
"""

from __future__ import annotations

import datetime as dt

import pytest

from modules.engine.errors import InvalidInput, PermissionDenied, TransitionRefused
from modules.tasks import kpis
from tests.graphql import run
from tests.tasks_helpers import fire, make_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_days")]

D = dt.date.fromisoformat


def test_the_implementer_refuses_with_a_reason_and_the_leader_hands_it_again(org):
    task = make_task(org)
    with pytest.raises(InvalidInput):  # a refusal gives its reason
        fire(org.officer_a, task, "refuse")
    with pytest.raises(TransitionRefused):  # the unit head is not the responsible person
        fire(org.head_a, task, "refuse", "Không thuộc chức năng của Sở")
    task = fire(org.officer_a, task, "refuse", "Không thuộc chức năng của Sở")
    assert (task.state, task.status) == ("refused", "refused")
    assert task.history.first().history_change_reason == "refuse: Không thuộc chức năng của Sở"
    with pytest.raises((TransitionRefused, PermissionDenied)):  # only the assigning leader decides
        fire(org.head_a, task, "reassign", "Giao lại cho Sở")
    task = fire(org.leader, task, "reassign", "Sở thực hiện theo chức năng quản lý nhà nước")
    assert task.state == "in_progress"


def test_a_refused_task_may_be_cancelled_by_the_leader(org):
    task = fire(org.officer_a, make_task(org), "refuse", "Trùng nhiệm vụ NV-2026-00001")
    task = fire(org.leader, task, "cancel", "Trùng nhiệm vụ")
    assert (task.state, task.status) == ("cancelled", "cancelled")


def test_reported_done_waits_for_the_leaders_confirmation_and_keeps_the_report_date(org):
    deadline = D("2026-10-20")
    task = make_task(org, source_date=D("2026-10-01"), deadline=deadline, completed_on=D("2026-10-19"))
    with pytest.raises(TransitionRefused):  # someone else of the unit may not report it done
        fire(org.head_a, task, "report_done")
    task = fire(org.officer_a, task, "report_done")
    assert (task.state, task.status, task.completed_on) == (
        "awaiting_confirmation",
        "awaiting_confirmation",
        D("2026-10-19"),
    )
    with pytest.raises((TransitionRefused, PermissionDenied)):  # the implementer does not confirm
        fire(org.officer_a, task, "confirm")
    task = fire(org.leader, task, "confirm")
    # completed 19/10, deadline 20/10: on time, by the report's date (not the confirmation's)
    assert (task.state, task.status) == ("done", "done_on_time")


def test_the_leader_sends_a_reported_completion_back(org):
    task = fire(org.officer_a, make_task(org), "report_done")
    with pytest.raises(InvalidInput):
        fire(org.leader, task, "send_back")  # with a reason
    task = fire(org.leader, task, "send_back", "Thiếu số liệu quý III")
    assert task.state == "in_progress" and task.completed_on is None


def test_an_unconfirmed_completion_is_not_counted_completed(org):
    make_task(org, source_date=D("2026-10-01"), deadline=D("2026-10-20"), completed_on=D("2026-10-19"))
    task = make_task(org, source_date=D("2026-10-01"), deadline=D("2026-10-20"), completed_on=D("2026-10-19"))
    fire(org.officer_a, task, "report_done")
    [row] = kpis.compute(org.leader, D("2026-10-01"), D("2026-10-31"))
    # two tasks, none confirmed done; both past the 20/10 deadline at the period's end
    assert (row.assigned, row.completed_on_time, row.overdue) == (2, 0, 2)


def test_key_tasks_are_counted_apart(org):
    def task(src, deadline, completed=None, key=False):
        made = make_task(
            org,
            source_date=D(src),
            deadline=D(deadline),
            is_key=key,
            **({"completed_on": D(completed)} if completed else {}),
        )
        if completed:
            fire(org.officer_a, made, "complete")

    task("2026-10-01", "2026-10-09", "2026-10-08", key=True)  # key, on time
    task("2026-10-02", "2026-10-09", "2026-10-20", key=True)  # key, late
    task("2026-10-05", "2026-10-20", key=True)  # key, overdue at 31/10
    task("2026-10-05", "2026-11-30", key=True)  # key, in progress within its deadline
    task("2026-10-06", "2026-10-09", "2026-10-08")  # not key, on time
    task("2026-10-06", "2026-10-20")  # not key, overdue
    [row] = kpis.compute(org.leader, D("2026-10-01"), D("2026-10-31"))
    assert (row.assigned, row.completed_on_time, row.overdue) == (6, 2, 2)
    assert (
        row.key_assigned,
        row.key_completed_on_time,
        row.key_completed_late,
        row.key_in_progress_on_time,
        row.key_overdue,
    ) == (4, 1, 1, 1, 1)
    assert row.key_on_time_rate == 33.3  # 1 on time of 3 decided (on time, late, overdue)
    answer = run(
        """query { taskKpis(dateFrom: "2026-10-01", dateTo: "2026-10-31") {
            assigned keyAssigned keyCompletedOnTime keyCompletedLate keyInProgressOnTime keyOverdue keyOnTimeRate } }""",
        user=org.leader,
    )["data"]["taskKpis"]
    assert answer == [
        {
            "assigned": 6,
            "keyAssigned": 4,
            "keyCompletedOnTime": 1,
            "keyCompletedLate": 1,
            "keyInProgressOnTime": 1,
            "keyOverdue": 1,
            "keyOnTimeRate": 33.3,
        }
    ]
