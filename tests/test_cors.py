"""A frontend on another origin (issue 12.14): CORS, socket origins and CSRF, from the environment.

The allowed origin is configured the way an operator would (environment variables read by
config/settings.py); a page from any other origin gets no CORS grant and no socket.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from django.test import Client, override_settings

from modules.engine.models import ApiToken
from tests.live_server import daphne_server

APP = "http://app.onemst.test:5173"
EVIL = "http://evil.example"
QUERY = {"query": "{ __typename }"}


@override_settings(CORS_ALLOWED_ORIGINS=[APP])
def test_preflight_and_call_from_the_allowed_origin_only(org):
    _, token = ApiToken.issue(org.officer_a, "frontend")
    client = Client()
    preflight = client.options(
        "/graphql/",
        HTTP_ORIGIN=APP,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == APP
    assert "authorization" in preflight.headers.get("Access-Control-Allow-Headers", "").lower()

    call = client.post(
        "/graphql/", QUERY, content_type="application/json", HTTP_ORIGIN=APP,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert call.status_code == 200 and call.json()["data"] == {"__typename": "Query"}
    assert call.headers.get("Access-Control-Allow-Origin") == APP

    refused = client.options(
        "/graphql/", HTTP_ORIGIN=EVIL, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in refused.headers
    answered = client.post(
        "/graphql/", QUERY, content_type="application/json", HTTP_ORIGIN=EVIL,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    # the server may answer, but without the grant the browser will not hand it to the page
    assert "Access-Control-Allow-Origin" not in answered.headers


def test_no_cors_grant_unless_configured(db):
    answer = Client().options("/graphql/", HTTP_ORIGIN=APP, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_a_csrf_failure_on_graphql_is_typed_json(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.officer_a)
    answer = client.post("/graphql/", QUERY, content_type="application/json")
    assert answer.status_code == 403
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
    assert "CSRF" in body["errors"][0]["message"]
    # elsewhere Django's own page stays
    page = client.post("/admin/logout/")
    assert page.status_code == 403 and page.headers["Content-Type"].startswith("text/html")


async def _socket(base: str, origin: str, token: str) -> str:
    """Open a GraphQL socket as a browser page on `origin` would; return what happened."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidStatus

    try:
        async with connect(
            base.replace("http", "ws") + "/graphql/", origin=origin, subprotocols=["graphql-transport-ws"],
            open_timeout=20,
        ) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
            reply = json.loads(await asyncio.wait_for(socket.recv(), 20))
            return reply["type"]
    except InvalidStatus as refused:
        return f"refused {refused.response.status_code}"
    except ConnectionClosed as closed:
        return f"closed {closed.rcvd.code if closed.rcvd else ''}"


@pytest.mark.django_db(transaction=True)
def test_sockets_from_the_allowed_origin_only(org):
    _, token = ApiToken.issue(org.officer_a, "frontend")
    with daphne_server({"CORS_ALLOWED_ORIGINS": APP}) as base:
        assert asyncio.run(_socket(base, APP, token)) == "connection_ack"
        assert asyncio.run(_socket(base, EVIL, token)).startswith(("refused 403", "closed"))
        # a socket from the server's own origin still works
        assert asyncio.run(_socket(base, base, token)) == "connection_ack"
