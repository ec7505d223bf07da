"""Subscriptions against a real Daphne, with a third-party client (gql over graphql-transport-ws)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport

from modules.engine.models import ApiToken
from tests.live_server import daphne_server
from tests.live_server import post_graphql as post

pytestmark = pytest.mark.django_db(transaction=True)

# Text, not a parsed request: gql 4 keeps the last variables on a shared request object,
# so a subscription without `id` would inherit the previous test's id.
SUBSCRIBE = """subscription($id: ID) { sampleProjectChanged(id: $id) {
    action id node { title ownerUnit { code } } } }"""
CREATE = """mutation($t: String!) { createSampleProject(input: {title: $t, priority: NORMAL, budget: "10"}) {
    ok node { id } errors { message } } }"""
UPDATE = """mutation($id: ID!, $v: Int!, $t: String!) { updateSampleProject(input: {id: $id, version: $v, title: $t}) {
    ok errors { code } } }"""


def transport(base: str, token: str | None) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql/",
        init_payload={"Authorization": f"Bearer {token}"} if token else {},
        subprotocols=["graphql-transport-ws"],
        connect_timeout=20,
        ack_timeout=20,
    )


async def collect(
    base: str,
    token: str,
    variables: dict[str, Any],
    ready: asyncio.Event,
    until_title: str,
    received: list[dict[str, Any]],
) -> None:
    async with Client(transport=transport(base, token)) as session:
        subscription = session.subscribe(gql(SUBSCRIBE), variable_values=variables)
        task = asyncio.ensure_future(subscription.__anext__())
        await asyncio.sleep(0.5)  # the server has registered the group by now
        ready.set()
        while True:
            event = (await task)["sampleProjectChanged"]
            received.append(event)
            if event["node"] and event["node"]["title"] == until_title:
                return
            task = asyncio.ensure_future(subscription.__anext__())


def test_live_events_are_delivered_only_to_who_may_see_them(org):
    _, token_a = ApiToken.issue(org.officer_a, "a")
    _, token_head_a = ApiToken.issue(org.head_a, "head a")
    _, token_b = ApiToken.issue(org.officer_b, "b")

    with daphne_server() as base:

        async def scenario() -> list[dict[str, Any]]:
            loop = asyncio.get_running_loop()
            received: list[dict[str, Any]] = []
            ready = asyncio.Event()
            listener = asyncio.create_task(collect(base, token_a, {}, ready, "Của tỉnh A", received))
            await asyncio.wait_for(ready.wait(), 30)
            hidden = await loop.run_in_executor(None, post, base, token_b, CREATE, {"t": "Của tỉnh B"})
            assert hidden["data"]["createSampleProject"]["ok"], hidden
            visible = await loop.run_in_executor(None, post, base, token_head_a, CREATE, {"t": "Của tỉnh A"})
            assert visible["data"]["createSampleProject"]["ok"], visible
            await asyncio.wait_for(listener, 30)
            return received

        received = asyncio.run(scenario())
    assert [e["node"]["title"] for e in received] == ["Của tỉnh A"]
    assert received[0]["action"] == "CREATED" and received[0]["node"]["ownerUnit"]["code"] == "SKHCN-01"


def test_subscribing_to_another_provinces_row_by_id_yields_nothing(org):
    _, token_a = ApiToken.issue(org.officer_a, "a")
    _, token_b = ApiToken.issue(org.officer_b, "b")
    with daphne_server() as base:
        secret = post(base, token_b, CREATE, {"t": "Bí mật B"})["data"]["createSampleProject"]["node"]["id"]
        mine = post(base, token_a, CREATE, {"t": "Của A"})["data"]["createSampleProject"]["node"]["id"]

        async def scenario() -> list[dict[str, Any]]:
            loop = asyncio.get_running_loop()
            leaked: list[dict[str, Any]] = []
            seen: list[dict[str, Any]] = []
            ready_b, ready_a = asyncio.Event(), asyncio.Event()
            spy = asyncio.create_task(collect(base, token_a, {"id": secret}, ready_b, "never", leaked))
            own = asyncio.create_task(collect(base, token_a, {"id": mine}, ready_a, "Của A (sửa)", seen))
            await asyncio.wait_for(asyncio.gather(ready_b.wait(), ready_a.wait()), 30)
            await loop.run_in_executor(
                None, post, base, token_b, UPDATE, {"id": secret, "v": 1, "t": "Bí mật B (sửa)"}
            )
            await loop.run_in_executor(
                None, post, base, token_a, UPDATE, {"id": mine, "v": 1, "t": "Của A (sửa)"}
            )
            await asyncio.wait_for(own, 30)
            await asyncio.sleep(0.5)
            spy.cancel()
            return [*leaked, {"_seen": len(seen)}]

        result = asyncio.run(scenario())
    assert result == [{"_seen": 1}]


def test_unauthenticated_socket_is_refused(org):
    with daphne_server() as base:

        async def scenario() -> None:
            async with Client(transport=transport(base, None)) as session:
                async for _ in session.subscribe(gql(SUBSCRIBE), variable_values={}):
                    break

        with pytest.raises(Exception) as excinfo:
            asyncio.run(scenario())
    assert (
        "4403" in str(excinfo.value)
        or "Forbidden" in str(excinfo.value)
        or "closed" in str(excinfo.value).lower()
    )


def _redis_url() -> str | None:
    """A reachable Redis (CI installs one); the event must cross worker processes through it."""
    import os
    import socket
    from urllib.parse import urlparse

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1).close()
    except OSError:
        return None
    return url


async def wait_for_redis_group(redis_url: str, prefix: str, group: str) -> None:
    """Wait until worker 1 has joined the entity's group in Redis (its subscription is live)."""
    import redis.asyncio

    client = redis.asyncio.from_url(redis_url)
    try:
        for _ in range(300):
            if await client.zcard(f"{prefix}:group:{group}"):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"worker 1 never joined {group!r} in Redis")
    finally:
        await client.aclose()


def test_event_crosses_worker_processes_through_redis(org):
    redis_url = _redis_url()
    if redis_url is None:
        pytest.skip("no Redis server reachable; .ci/run starts one")
    _, token_a = ApiToken.issue(org.officer_a, "a")
    _, token_head_a = ApiToken.issue(org.head_a, "head a")
    prefix = f"onemst-test-{org.officer_a.pk}"
    layer_env = {"REDIS_URL": redis_url, "CHANNELS_PREFIX": prefix}
    with daphne_server(layer_env) as worker_1, daphne_server(layer_env) as worker_2:

        async def scenario() -> list[dict[str, Any]]:
            loop = asyncio.get_running_loop()
            received: list[dict[str, Any]] = []
            ready = asyncio.Event()
            listener = asyncio.create_task(collect(worker_1, token_a, {}, ready, "Qua Redis", received))
            await asyncio.wait_for(ready.wait(), 30)
            await wait_for_redis_group(redis_url, prefix, "records.sample.SampleProject")
            made = await loop.run_in_executor(None, post, worker_2, token_head_a, CREATE, {"t": "Qua Redis"})
            assert made["data"]["createSampleProject"]["ok"], made
            await asyncio.wait_for(listener, 30)
            return received

        received = asyncio.run(scenario())
    assert [e["node"]["title"] for e in received] == ["Qua Redis"]


def test_a_grant_given_and_revoked_while_the_socket_is_open(org):
    """Rights are re-read when they change: events follow a grant at once, and stop on revoke."""
    from guardian.shortcuts import assign_perm, remove_perm

    from modules.engine import registry

    _, token_head_a = ApiToken.issue(org.head_a, "head a")
    _, token_b = ApiToken.issue(org.officer_b, "b")
    with daphne_server() as base:
        made = post(base, token_head_a, CREATE, {"t": "Hồ sơ A"})["data"]["createSampleProject"]["node"]["id"]
        model = registry.model_for("sample.SampleProject")

        def grant(give: bool) -> None:
            row = model.objects.get(pk=made)
            (assign_perm if give else remove_perm)("sample.view_sampleproject", org.officer_b, row)

        async def scenario() -> list[str]:
            loop = asyncio.get_running_loop()
            received: list[dict[str, Any]] = []
            ready = asyncio.Event()
            listener = asyncio.create_task(collect(base, token_b, {"id": made}, ready, "never", received))
            await asyncio.wait_for(ready.wait(), 30)
            version = 1
            for title, give in (("trước khi cấp", None), ("sau khi cấp", True), ("sau khi thu hồi", False)):
                if give is not None:
                    await loop.run_in_executor(None, grant, give)
                done = await loop.run_in_executor(
                    None, post, base, token_head_a, UPDATE, {"id": made, "v": version, "t": title}
                )
                assert done["data"]["updateSampleProject"]["ok"], done
                version += 1
                await asyncio.sleep(1.0)
            listener.cancel()
            return [e["node"]["title"] if e["node"] else None for e in received]

        titles = asyncio.run(scenario())
    assert titles == ["sau khi cấp"]
