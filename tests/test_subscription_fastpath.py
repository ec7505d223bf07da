"""The subscription fast path sends the same frames as stock execution, and leaves the rest alone."""

from __future__ import annotations

import asyncio

import pytest

from modules.engine.models import ApiToken
from realtime.broadcast import compile_plan
from schema.schema import schema
from tests.live_server import collect_events, daphne_server, post_graphql, wait_until_listening
from tests.tasks_helpers import make_task

DOCUMENT = """subscription Watch($unit: ID) { deadlines: taskDeadlines(unit: $unit) {
    __typename id when: deadline number status previous ownerUnitId } }"""
COMPLETE = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok } }"


@pytest.mark.parametrize(
    ("document", "compiled"),
    [
        (DOCUMENT, True),
        ("subscription { myReminders { id title url read } }", True),
        ("subscription { taskChanged { action id node { status } } }", False),  # a nested object
        ("subscription { taskChanged { ...F } } fragment F on TaskChange { id }", False),
        ("subscription { taskDeadlines { id @include(if: true) } }", False),
        ("subscription { nope { id } }", False),  # invalid: the stock path reports it
        ("{ tasks { results { id } } }", False),
    ],
)
def test_what_the_fast_path_takes(document, compiled):
    assert (compile_plan(schema, document, None) is not None) is compiled


def _fast_and_stock(org, document: str, variables: dict, field: str) -> tuple[list, list, list]:
    """Subscribe with `document` on a server with the fast path and on one without, complete a
    task through each, and return (frames of the fast one, frames of the stock one, the tasks)."""
    tasks = [make_task(org) for _ in range(2)]
    _, token_head = ApiToken.issue(org.head_a, "head")
    _, token_officer = ApiToken.issue(org.officer_a, "officer")
    with daphne_server() as fast, daphne_server({"ONEMST_SUBSCRIPTION_FASTPATH": "0"}) as stock:

        async def scenario() -> tuple[list, list]:
            seen_fast: list = []
            seen_stock: list = []
            ready = [asyncio.Event(), asyncio.Event()]
            listeners = [
                asyncio.create_task(
                    collect_events(fast, token_head, document, variables, field, seen_fast, ready[0])
                ),
                asyncio.create_task(
                    collect_events(stock, token_head, document, variables, field, seen_stock, ready[1])
                ),
            ]
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 30)
            await wait_until_listening(GROUPS[field])
            loop = asyncio.get_running_loop()
            for base, task in ((fast, tasks[0]), (stock, tasks[1])):
                done = await loop.run_in_executor(
                    None, post_graphql, base, token_officer, COMPLETE, {"id": str(task.pk), "v": task.version}
                )
                assert done["data"]["taskComplete"]["ok"], done
            for _ in range(100):
                if any(e["id"] == str(tasks[0].pk) for e in seen_fast) and any(
                    e["id"] == str(tasks[1].pk) for e in seen_stock
                ):
                    break
                await asyncio.sleep(0.1)
            for listener in listeners:
                listener.cancel()
            return seen_fast, seen_stock

        seen_fast, seen_stock = asyncio.run(scenario())
    for task in tasks:
        task.refresh_from_db()
    return seen_fast, seen_stock, tasks


GROUPS = {"deadlines": "tasks.deadlines", "changed": "records.tasks.Task"}


def _status_field():
    """The task's declared status field (its codes are what the enum must carry)."""
    from modules.engine import registry

    return next(f for f in registry.entity_by_label("tasks.Task").fields if f.name == "status")


@pytest.mark.django_db(transaction=True)
def test_fast_and_stock_frames_are_the_same(org, legal_days):
    variables = {"unit": str(org.province_a.pk)}
    seen_fast, seen_stock, tasks = _fast_and_stock(org, DOCUMENT, variables, "deadlines")
    # each server saw its own completion; with Redis both see both, in order
    first_fast = next(e for e in seen_fast if e["id"] == str(tasks[0].pk))
    first_stock = next(e for e in seen_stock if e["id"] == str(tasks[1].pk))
    assert (
        set(first_fast)
        == set(first_stock)
        == {"__typename", "id", "when", "number", "status", "previous", "ownerUnitId"}
    )
    assert first_fast["__typename"] == first_stock["__typename"] == "TaskDeadlineEvent"
    assert (first_fast["status"], first_fast["previous"]) == (first_stock["status"], first_stock["previous"])
    # an enum's wire value is the stored code in capitals (docs/api.md), on both paths
    assert (
        first_fast["status"] == tasks[0].status.upper() and first_stock["status"] == tasks[1].status.upper()
    )
    declared = {code.upper() for code, *_ in _status_field().choices}
    assert {first_fast["status"], first_fast["previous"], first_stock["previous"]} <= declared
    assert (
        first_fast["when"] == tasks[0].deadline.isoformat()
        and first_stock["when"] == tasks[1].deadline.isoformat()
    )
    assert first_fast["ownerUnitId"] == first_stock["ownerUnitId"] == str(org.province_a.pk)


CHANGED = "subscription { changed: taskChanged { __typename action id version } }"


@pytest.mark.django_db(transaction=True)
def test_a_record_events_action_is_the_enum_on_both_paths(org, legal_days):
    """`<Entity>Event.action` is `RecordAction` (issue 12.12): the fast path renders a flat
    `taskChanged` itself and must send `UPDATED`, as the stock path does, not the "updated"
    services.py announces."""
    assert compile_plan(schema, CHANGED, None) is not None  # this document is the fast path's
    seen_fast, seen_stock, tasks = _fast_and_stock(org, CHANGED, {}, "changed")
    first_fast = next(e for e in seen_fast if e["id"] == str(tasks[0].pk))
    first_stock = next(e for e in seen_stock if e["id"] == str(tasks[1].pk))
    assert set(first_fast) == set(first_stock) == {"__typename", "action", "id", "version"}
    assert first_fast["__typename"] == first_stock["__typename"] == "TaskEvent"
    assert first_fast["action"] == first_stock["action"] == "UPDATED"
    assert (first_fast["version"], first_stock["version"]) == (tasks[0].version, tasks[1].version)
