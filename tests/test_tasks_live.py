"""Live task events against a real Daphne: reminders pushed to their recipient, deadline
events filtered by unit and permission, all raised by a separate scheduler process."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from modules.engine import registry, services, workdays
from modules.engine.models import ApiToken
from tests.live_server import collect_events, daphne_server, post_graphql, run_manage, wait_until_listening
from tests.tasks_helpers import make_task, today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("legal_days")]

MY_REMINDERS = "subscription { myReminders { id title url } }"
DEADLINES = "subscription($unit: ID) { taskDeadlines(unit: $unit) { id number status previous ownerUnitId } }"
TASK_CHANGED = "subscription($id: ID) { taskChanged(id: $id) { action id node { status progress } } }"


async def until(predicate: Any, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.1)):
        if predicate():
            return
        await asyncio.sleep(0.1)


def test_a_reminder_made_by_the_scheduler_is_pushed_to_its_recipient_only(org):
    registry.model_for("reminders.ReminderRule").objects.all().delete()  # only the rule under test
    services.create_record(
        registry.entity_by_label("reminders.ReminderRule"),
        org.admin,
        {"name": "Quá hạn", "source": "tasks.Task", "trigger": "overdue_daily", "recipient": "responsible"},
    )
    task = make_task(org, deadline=workdays.add_working_days(today(), 1))
    overdue = workdays.add_working_days(task.deadline, 1)
    _, token_a = ApiToken.issue(org.officer_a, "a")
    _, token_b = ApiToken.issue(org.officer_b, "b")
    with daphne_server() as base:

        async def scenario() -> tuple[list, list]:
            mine: list = []
            theirs: list = []
            ready_a, ready_b = asyncio.Event(), asyncio.Event()
            listeners = [
                asyncio.create_task(
                    collect_events(base, token_a, MY_REMINDERS, {}, "myReminders", mine, ready_a)
                ),
                asyncio.create_task(
                    collect_events(base, token_b, MY_REMINDERS, {}, "myReminders", theirs, ready_b)
                ),
            ]
            await asyncio.wait_for(asyncio.gather(ready_a.wait(), ready_b.wait()), 30)
            await wait_until_listening(f"reminders.user.{org.officer_a.pk}")
            loop = asyncio.get_running_loop()
            output = await loop.run_in_executor(
                None, lambda: run_manage("tick", "--today", overdue.isoformat())
            )
            assert "reminders: 1 new" in output, output
            await until(lambda: mine)
            await asyncio.sleep(1)  # give a wrong delivery the time to show up
            for listener in listeners:
                listener.cancel()
            return mine, theirs

        mine, theirs = asyncio.run(scenario())
    assert len(mine) == 1 and task.number in mine[0]["title"]
    assert mine[0]["url"].endswith(f"/tasks/task/{task.pk}/change/")
    assert theirs == []


def test_deadline_events_follow_the_unit_and_the_viewers_rights(org):
    soon = workdays.add_working_days(today(), 6)
    task_a = make_task(org, deadline=soon)
    task_b = make_task(org, unit=org.province_b, assignee=org.officer_b.pk, deadline=soon)
    overdue = workdays.add_working_days(soon, 1)
    _, token_head_a = ApiToken.issue(org.head_a, "head a")
    _, token_b = ApiToken.issue(org.officer_b, "b")
    _, token_leader = ApiToken.issue(org.leader, "leader")
    with daphne_server() as base:

        async def scenario() -> dict[str, list]:
            seen: dict[str, list] = {"head_a": [], "spy_b": [], "leader": []}
            subscribers = [
                ("head_a", token_head_a, {"unit": str(org.province_a.pk)}),
                ("spy_b", token_b, {"unit": str(org.province_a.pk)}),  # B asks for A's unit
                ("leader", token_leader, {}),
            ]
            readies = []
            listeners = []
            for name, token, variables in subscribers:
                ready = asyncio.Event()
                readies.append(ready.wait())
                listeners.append(
                    asyncio.create_task(
                        collect_events(base, token, DEADLINES, variables, "taskDeadlines", seen[name], ready)
                    )
                )
            await asyncio.wait_for(asyncio.gather(*readies), 30)
            await wait_until_listening("tasks.deadlines")
            loop = asyncio.get_running_loop()
            output = await loop.run_in_executor(
                None, lambda: run_manage("tick", "--today", overdue.isoformat())
            )
            assert "tasks.statuses: 2 changed" in output, output
            await until(lambda: len(seen["leader"]) == 2 and seen["head_a"])
            await asyncio.sleep(1)
            for listener in listeners:
                listener.cancel()
            return seen

        seen = asyncio.run(scenario())
    assert [(e["number"], e["status"], e["previous"]) for e in seen["head_a"]] == [
        (task_a.number, "OVERDUE", "ON_TRACK")
    ]
    assert seen["spy_b"] == []
    assert sorted(e["number"] for e in seen["leader"]) == sorted([task_a.number, task_b.number])


def test_task_changed_arrives_when_another_user_completes_it(org):
    task = make_task(org)
    other = make_task(org)
    _, token_head_a = ApiToken.issue(org.head_a, "head a")
    _, token_a = ApiToken.issue(org.officer_a, "a")
    with daphne_server() as base:

        async def scenario() -> list:
            received: list = []
            ready = asyncio.Event()
            listener = asyncio.create_task(
                collect_events(
                    base, token_head_a, TASK_CHANGED, {"id": str(task.pk)}, "taskChanged", received, ready
                )
            )
            await asyncio.wait_for(ready.wait(), 30)
            await wait_until_listening("records.tasks.Task")
            loop = asyncio.get_running_loop()
            mutation = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok errors { message } } }"
            for row in (other, task):
                done = await loop.run_in_executor(
                    None, post_graphql, base, token_a, mutation, {"id": str(row.pk), "v": row.version}
                )
                assert done["data"]["taskComplete"]["ok"], done
            await until(lambda: received)
            await asyncio.sleep(0.5)
            listener.cancel()
            return received

        received = asyncio.run(scenario())
    assert [(e["id"], e["node"]["status"], e["node"]["progress"]) for e in received] == [
        (str(task.pk), "DONE_ON_TIME", "100.00")  # the TaskStatus enum (issue 12.12)
    ]
