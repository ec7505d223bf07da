"""Task-tracking rules plugged into the generated entities (the only domain code)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from modules.engine import registry, services, workdays
from modules.engine.dated import as_of

from . import status
from .events import announce_status_change

BAD_PERCENT = "Tiến độ phải từ 0 đến 100. / Progress must be between 0 and 100."
CLOSED_TASK = "Nhiệm vụ đã kết thúc hoặc tạm dừng. / The task is closed or paused."


def task_entity() -> Any:
    return registry.entity_by_label("tasks.Task")


# --- Task -------------------------------------------------------------------------


def validate_task(task: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if task.completed_on and task.source_date and task.completed_on < task.source_date:
        problems["completed_on"] = [
            "Ngày hoàn thành trước ngày giao. / Completed before the task was assigned."
        ]
    if task.deadline and task.source_date and task.deadline < task.source_date:
        problems["deadline"] = ["Thời hạn trước ngày giao. / The deadline is before the assignment date."]
    return problems


def before_task_save(task: Any, user: Any, created: bool) -> None:
    """Move a deadline off a day off (Civil Code Art. 148), then recompute the status."""
    if task.deadline:
        task.deadline = workdays.next_working_day(task.deadline)
    # `status` is computed, never an input: on an update the instance still holds the stored value
    # (every write path loads the row first), so no second read of the row is needed.
    previous = None if created else task.status
    task.status = status.status_of(task, as_of(task))  # the refresh job's day, or today
    if task.status != previous:
        announce_status_change(task, previous)


def on_complete(task: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    task.completed_on = task.completed_on or workdays.today()
    task.progress = 100


def on_reopen(task: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    task.completed_on = None


# --- Progress updates --------------------------------------------------------------------


def validate_update(update: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if update.percent is not None and not 0 <= update.percent <= 100:
        problems["percent"] = [BAD_PERCENT]
    if update.task_id and update.task.state != "in_progress":
        problems["task"] = [CLOSED_TASK]
    return problems


def own_like_task(row: Any, user: Any, created: bool) -> None:
    """An update or a request belongs to its task's unit, so the same people see it."""
    row.owner_unit_id = row.task.owner_unit_id


def after_update_saved(update: Any, user: Any, created: bool) -> None:
    """The task's progress is its latest update's."""
    if not created:
        return
    task = type(update.task).objects.select_for_update().get(pk=update.task_id)
    task.progress = update.percent
    services.save_record(
        task_entity(), user, task, created=False, expected_version=task.version, reason="progress"
    )


# --- Extension requests ---------------------------------------------------------------------


def validate_extension(request: Any, user: Any) -> dict[str, list[str]]:
    if not request.task_id:
        return {}
    task = request.task
    if task.state not in ("in_progress", "paused"):
        return {"task": [CLOSED_TASK]}
    if task.deadline is None:
        return {"task": ["Nhiệm vụ không có thời hạn. / The task has no deadline."]}
    if request.requested_deadline and request.requested_deadline <= task.deadline:
        return {
            "requested_deadline": [
                "Thời hạn đề nghị phải sau thời hạn hiện tại. / "
                "The requested deadline must be after the current one."
            ]
        }
    return {}


def before_extension_save(request: Any, user: Any, created: bool) -> None:
    own_like_task(request, user, created)
    if created:
        request.current_deadline = request.task.deadline


def only_the_assigning_leader(row: Any, user: Any) -> str | None:
    """An extension request, a refusal or a reported completion is decided by the task's leader."""
    task = row.task if hasattr(row, "task_id") else row
    if user.is_superuser or task.assigned_by_id == user.pk:
        return None
    if hasattr(row, "task_id"):
        return (
            "Chỉ lãnh đạo giao nhiệm vụ mới được quyết định gia hạn. / "
            "Only the leader who assigned the task decides on an extension."
        )
    return "Chỉ lãnh đạo giao nhiệm vụ mới được quyết định. / Only the leader who assigned the task decides."


def only_the_implementer(task: Any, user: Any) -> str | None:
    """Refusing a task or reporting it done is the responsible person's word (anyone of the
    unit who may act on it, when nobody is named)."""
    if task.assignee_id is None or task.assignee_id == user.pk:
        return None
    return (
        "Chỉ người chịu trách nhiệm thực hiện mới được từ chối hoặc báo cáo hoàn thành. / "
        "Only the responsible person may refuse the task or report it done."
    )


def on_extension_approved(request: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """Move the deadline; the original stays on the task and in its history."""
    task = type(request.task).objects.select_for_update().get(pk=request.task_id)
    task.original_deadline = task.original_deadline or task.deadline
    task.deadline = request.requested_deadline
    services.save_record(
        task_entity(),
        user,
        task,
        created=False,
        expected_version=task.version,
        reason=f"extension {request.current_deadline} -> {request.requested_deadline}",
    )


# --- Directives -------------------------------------------------------------------------------


def validate_directive(directive: Any, user: Any) -> dict[str, list[str]]:
    if directive.deadline and directive.source_date and directive.deadline < directive.source_date:
        return {"deadline": ["Thời hạn trước ngày ban hành. / The deadline is before the directive's date."]}
    return {}


def create_tasks_for_directive(directive: Any, user: Any, created: bool) -> None:
    """One task per lead unit, carrying the directive's source, text and deadline."""
    if not created:
        return
    units = list(directive.lead_units.all())
    if not units:
        return
    create_tasks_from_source(
        user,
        units=units,
        coordinating_units=list(directive.coordinating_units.all()),
        values={
            "title": directive.summary[:255],
            "content": directive.content,
            "source_kind": directive.source_kind,
            "source_number": directive.source_number,
            "source_date": directive.source_date,
            "source_signer": directive.source_signer,
            "directive": directive,
            "assigned_by_id": directive.assigned_by_id,
            "deadline": directive.deadline,
            "priority": directive.priority,
            "is_key": directive.is_key,
        },
    )


def create_tasks_from_source(
    user: Any, *, units: list[Any], values: dict[str, Any], coordinating_units: list[Any] = ()
) -> list[Any]:
    """Create one task per lead unit from a source (a directive, or later an incoming document).

    The hook the documents module calls: it passes the document's number, date,
    signer and text as `values`. Runs in one transaction: all tasks or none.
    """
    model = registry.model_for("tasks.Task")
    created = []
    with transaction.atomic():
        for unit in units:
            task = model(owner_unit=unit, **values)
            saved = services.save_record(
                task_entity(),
                user,
                task,
                created=True,
                expected_version=None,
                multilinks={"coordinating_units": list(coordinating_units)},
            )
            created.append(saved)
    return created
