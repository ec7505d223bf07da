"""A live subscription hands its database connection back (issue 13.1).

The socket side runs its synchronous code on the process's one shared thread. Subscribing
to `taskDeadlines` reads the unit tree and the caller's rule there; with plain
`sync_to_async` that thread then kept its pooled PostgreSQL connection until the socket's
next frame, so a quiet client (one that never answers the server's ping) held it for good.
Here the server's pool has ONE connection: after a silent client subscribed, an HTTP query
must still get it within the pool's 3 s wait. On SQLite (no pool) the same steps must work.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from modules.engine.models import ApiToken
from tests.live_server import daphne_server, post_graphql

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINES = "subscription($unit: ID) { taskDeadlines(unit: $unit) { id number status } }"


async def subscribe_and_stay_silent(base: str, token: str, unit: str) -> websockets.ClientConnection:
    socket = await websockets.connect(
        base.replace("http", "ws") + "/graphql/", subprotocols=["graphql-transport-ws"], open_timeout=30
    )
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    assert json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] == "connection_ack"
    await socket.send(
        json.dumps(
            {"id": "1", "type": "subscribe", "payload": {"query": DEADLINES, "variables": {"unit": unit}}}
        )
    )
    while True:  # the server's "listening" ping: the subscription did its reads; never answered
        message = json.loads(await asyncio.wait_for(socket.recv(), 30))
        if message["type"] == "ping":
            assert message["payload"] == {"listening": "1"}, message
            return socket
        assert message["type"] != "error", message


def test_a_silent_subscriber_does_not_keep_a_pooled_connection(org):
    token = ApiToken.issue(org.head_a, "live")[1]
    pool = {"DB_POOL_MIN": "1", "DB_POOL_MAX": "1", "DB_POOL_TIMEOUT": "3"}
    with daphne_server(pool) as base:

        async def scenario() -> None:
            sockets = [await subscribe_and_stay_silent(base, token, str(org.province_a.pk)) for _ in range(3)]
            try:
                for _ in range(3):  # each needs the pool's one connection: the token, the rule, the rows
                    answer = await asyncio.to_thread(post_graphql, base, token, "{ tasks { totalCount } }")
                    assert "errors" not in answer, answer
                    assert answer["data"]["tasks"]["totalCount"] == 0
            finally:
                for socket in sockets:
                    await socket.close()

        asyncio.run(scenario())
