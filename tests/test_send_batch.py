"""An event's frames written by several threads: every socket gets every frame once, in order.

The hub batches one event's direct socket sends and splits them across threads
(realtime/broadcast.py, `SendBatch`). Here a real Daphne splits 240 sockets' sends
into three shares of 80 (`ONEMST_SEND_THREADS=3`, `ONEMST_SEND_THREADS_FROM=80`), and
each socket must read the two events in the order they were committed, once each.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from modules.engine.models import ApiToken
from tests.live_server import daphne_server, post_graphql, wait_until_listening
from tests.tasks_helpers import make_task

SOCKETS = 240
DOCUMENT = "subscription($unit: ID) { taskDeadlines(unit: $unit) { id number status } }"
COMPLETE = "mutation($id: ID!, $v: Int!) { taskComplete(id: $id, version: $v) { ok } }"


async def _subscribe(url: str, token: str, unit: str) -> websockets.ClientConnection:
    socket = await websockets.connect(url, subprotocols=["graphql-transport-ws"], open_timeout=60)
    await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    query = {"query": DOCUMENT, "variables": {"unit": unit}}
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
    while True:  # the server's word that this subscription now hears every event
        message = json.loads(await asyncio.wait_for(socket.recv(), 60))
        if message["type"] == "ping" and "listening" in (message.get("payload") or {}):
            return socket


async def _events(socket: websockets.ClientConnection, count: int) -> list[str]:
    numbers: list[str] = []
    while len(numbers) < count:
        message = json.loads(await asyncio.wait_for(socket.recv(), 60))
        if message["type"] == "next":
            numbers.append(message["payload"]["data"]["taskDeadlines"]["number"])
    return numbers


@pytest.mark.django_db(transaction=True)
def test_every_socket_reads_each_event_once_and_in_order_when_three_threads_send(org, legal_days):
    tasks = [make_task(org) for _ in range(2)]
    _, watcher = ApiToken.issue(org.head_a, "board")
    _, doer = ApiToken.issue(org.officer_a, "officer")
    env = {"ONEMST_SEND_THREADS": "3", "ONEMST_SEND_THREADS_FROM": "80"}
    with daphne_server(env) as base:
        url = base.replace("http", "ws") + "/graphql/"

        async def scenario() -> list[list[str]]:
            gate = asyncio.Semaphore(40)

            async def one() -> websockets.ClientConnection:
                async with gate:
                    return await _subscribe(url, watcher, str(org.province_a.pk))

            sockets = await asyncio.gather(*(one() for _ in range(SOCKETS)))
            await wait_until_listening("tasks.deadlines")
            loop = asyncio.get_running_loop()
            for task in tasks:
                variables = {"id": str(task.pk), "v": task.version}
                done = await loop.run_in_executor(None, post_graphql, base, doer, COMPLETE, variables)
                assert done["data"]["taskComplete"]["ok"], done
            try:
                return await asyncio.gather(*(_events(s, 2) for s in sockets))
            finally:
                await asyncio.gather(*(s.close() for s in sockets))

        received = asyncio.run(scenario())
    for task in tasks:
        task.refresh_from_db()
    expected = [tasks[0].number, tasks[1].number]
    assert all(expected) and expected[0] != expected[1]
    assert len(received) == SOCKETS
    assert all(numbers == expected for numbers in received), {tuple(n) for n in received}
