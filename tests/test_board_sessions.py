"""Board links take read-only tokens only, and trade them for a short-lived signed board
session, so the token leaves the address bar, the page's script and later log lines
(issue 11, point 7)."""

from __future__ import annotations

import asyncio
import http.client
import json
import time
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from modules.engine import boards
from modules.engine.models import ApiToken
from modules.engine.tokens import hash_token, new_token
from tests.graphql import run
from tests.live_server import ROOT, daphne_server, post_graphql, server_listening
from tests.tasks_helpers import make_task

BOARDS = ("/board/tasks/", "/board/reports/", "/board/dossiers/")
QUERY = "{ taskBoard { units { key assigned } } }"
CREATE = """mutation($t: String!) { createSampleProject(input: {title: $t, priority: NORMAL, budget: "10"}) {
    ok node { id } errors { message } } }"""


def _post(client: Client, query: str, variables: dict | None = None, path: str = "/board/graphql/") -> Any:
    return client.post(
        path, json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )


def _session(client: Client, raw: str, page: str = "/board/tasks/") -> Any:
    """Open a board link the way a wall screen does; return the first answer."""
    return client.get(f"{page}?token={raw}")


# --- the link ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_token_in_a_board_link_is_refused_and_never_echoed(org):
    _, superuser = ApiToken.issue(org.admin, "siêu quản trị")  # org.admin is a superuser
    _, officer = ApiToken.issue(org.officer_a, "cán bộ")
    for raw in (superuser, officer):
        for page in BOARDS:
            client = Client()
            answer = client.get(f"{page}?token={raw}")
            body = answer.content.decode()
            assert answer.status_code == 403, (page, answer.status_code)
            assert "chỉ đọc" in body and "read-only" in body  # Vietnamese first, then English
            assert raw not in body and raw[:12] not in body
            assert boards.BOARD.cookie not in answer.cookies
    for page in BOARDS:
        assert Client().get(f"{page}?token=omst_nope").status_code == 403


@pytest.mark.django_db
def test_a_read_only_token_becomes_a_board_session_and_leaves_the_url(org):
    _, raw = ApiToken.issue(org.head_a, "Màn hình phòng họp", read_only=True)
    client = Client()
    answer = client.get(f"/board/tasks/?unit={org.province_a.pk}&token={raw}&x=1")
    assert answer.status_code == 302
    assert answer["Location"] == f"/board/tasks/?unit={org.province_a.pk}&x=1"  # same address, no token
    assert raw not in answer["Location"] and answer["Cache-Control"] == "no-store"
    cookie = answer.cookies[boards.BOARD.cookie]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/board/"
    assert 0 < int(cookie["max-age"]) <= 3600
    assert raw not in cookie.value
    page = client.get(answer["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Bảng tin nhiệm vụ" in html
    assert raw not in html and raw[5:20] not in html and "Bearer" not in html
    assert '"endpoint": "/board/graphql/"' in html
    # the other boards take the same session
    assert client.get("/board/dossiers/").status_code == 200
    assert client.get("/board/reports/").status_code == 200


@pytest.mark.django_db
def test_the_board_session_reads_as_the_token_and_never_writes(org):
    make_task(org)
    _, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    client = Client()
    _session(client, raw)
    board = _post(client, QUERY).json()
    assert board["data"]["taskBoard"]["units"] == [{"key": str(org.province_a.pk), "assigned": 1}]
    refused = _post(client, CREATE, {"t": "ghi lén"}).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert _post(client, CREATE, {"t": "ghi lén"}, path="/graphql/").json()["errors"][0]["extensions"][
        "code"
    ] == ("UNAUTHENTICATED")  # the cookie is for /board/ only: /graphql/ sees an anonymous caller


@pytest.mark.django_db
def test_the_board_endpoint_takes_nothing_but_a_board_session(org):
    _, full = ApiToken.issue(org.officer_a, "full")
    _, read_only = ApiToken.issue(org.officer_a, "board", read_only=True)
    assert _post(Client(), QUERY).status_code == 401
    signed_in = Client()
    signed_in.force_login(org.officer_a)
    assert _post(signed_in, QUERY).status_code == 401  # a login session is not a board session
    for raw in (full, read_only):  # nor is a token, in a header
        assert (
            Client()
            .post(
                "/board/graphql/",
                json.dumps({"query": QUERY}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )
            .status_code
            == 401
        )


@pytest.mark.django_db
def test_a_tampered_or_foreign_cookie_is_refused(org):
    token, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    _, other = ApiToken.issue(org.leader, "Màn hình Bộ", read_only=True)
    client = Client()
    _session(client, raw)
    value = client.cookies[boards.BOARD.cookie].value
    assert _post(client, QUERY).status_code == 200
    payload, _, signature = value.rpartition(":")
    forged = [
        value[:-1] + ("A" if value[-1] != "A" else "B"),  # a changed signature
        f"{payload}:{'0' * len(signature)}",
        json.dumps({"t": token.pk}),  # an unsigned claim
        boards.pagesession.PageSession("x", "/board/", "onemst.kiosk-session").sign(
            {"t": token.pk}
        ),  # other salt
        "",
    ]
    for bad in forged:
        client.cookies[boards.BOARD.cookie] = bad
        assert _post(client, QUERY).status_code == 401, bad
        assert client.get("/board/session/").status_code == 401
        assert client.get("/board/tasks/").status_code == 302  # to the log-in page
    # a claim naming another token is signed by us only if we made it: swapping the id breaks it
    other_id = ApiToken.objects.get(name="Màn hình Bộ").pk
    mine, theirs = (boards.BOARD.sign({"t": pk}).split(":")[0] for pk in (token.pk, other_id))
    assert mine != theirs and value.startswith(mine)
    client.cookies[boards.BOARD.cookie] = theirs + value[len(mine) :]
    assert _post(client, QUERY).status_code == 401
    # the real cookie still works: the token was valid all along
    client.cookies[boards.BOARD.cookie] = value
    assert _post(client, QUERY).status_code == 200 and other


@pytest.mark.django_db
def test_revoking_the_token_ends_its_board_session(org):
    token, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    client = Client()
    _session(client, raw)
    assert _post(client, QUERY).status_code == 200 and client.get("/board/session/").status_code == 204
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert _post(client, QUERY).status_code == 401
    assert client.get("/board/session/").status_code == 401
    page = client.get("/board/tasks/")
    assert page.status_code == 302 and "/admin/login/" in page["Location"]
    # an expired token, and a token made full afterwards, end it too
    for change in ({"expires_at": timezone.now()}, {"read_only": False}):
        token, raw = ApiToken.issue(org.head_a, "Màn hình 2", read_only=True)
        client = Client()
        _session(client, raw)
        assert _post(client, QUERY).status_code == 200
        ApiToken.objects.filter(pk=token.pk).update(**change)
        assert _post(client, QUERY).status_code == 401, change


@pytest.mark.django_db
def test_a_board_session_expires_unless_renewed(org):
    _, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    with override_settings(BOARD_SESSION_SECONDS=2):
        idle, kept = Client(), Client()
        _session(idle, raw)
        _session(kept, raw)
        for _ in range(3):  # the page renews every third of the session's life
            time.sleep(0.9)
            assert kept.get("/board/session/").status_code == 204
        time.sleep(0.5)  # the idle screen's cookie is now 3.2 s old
        assert _post(idle, QUERY).status_code == 401
        assert _post(kept, QUERY).status_code == 200  # renewed 0.5 s ago: still fresh


# --- the live page, on a real Daphne ------------------------------------------------------


def _trade(base: str, raw: str, page: str = "/board/tasks/") -> tuple[int, str, str]:
    """GET a board link on the live server without following the redirect."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", f"{page}?token={raw}")
    answer = connection.getresponse()
    cookie = SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    connection.close()
    value = cookie[boards.BOARD.cookie].value if boards.BOARD.cookie in cookie else ""
    return answer.status, answer.headers.get("Location", ""), value


def _transport(base: str, cookie: str | None) -> Any:
    from gql.transport.websockets import WebsocketsTransport

    return WebsocketsTransport(
        url=base.replace("http", "ws") + "/board/graphql/",
        headers={"Cookie": f"{boards.BOARD.cookie}={cookie}"} if cookie else None,
        init_payload={},
        subprotocols=["graphql-transport-ws"],
        connect_timeout=20,
        ack_timeout=20,
    )


@pytest.mark.django_db(transaction=True)
def test_the_board_socket_lives_on_the_session_and_closes_once_the_token_is_revoked(org):
    from gql import Client as GqlClient
    from gql import gql

    token, raw = ApiToken.issue(org.head_a, "Màn hình", read_only=True)
    _, writer = ApiToken.issue(org.head_a, "máy ghi")
    _, full = ApiToken.issue(org.head_a, "đầy đủ")
    subscribe = "subscription { sampleProjectChanged { action node { title } } }"
    with daphne_server({"BOARD_SESSION_SECONDS": "3"}) as base:
        assert _trade(base, full)[0] == 403
        status, location, cookie = _trade(base, raw)
        assert status == 302 and location == "/board/tasks/" and cookie

        async def scenario() -> tuple[list[str], str]:
            loop = asyncio.get_running_loop()
            # no cookie, or a tampered one: refused
            for transport in (_transport(base, None), _transport(base, "tampered" + cookie)):
                with pytest.raises(Exception):  # noqa: B017 (closed 4403 before the ack)
                    async with GqlClient(transport=transport) as session:
                        await session.execute(gql("{ taskBoard { units { key } } }"))
            transport = _transport(base, cookie)
            seen: list[str] = []
            async with GqlClient(transport=transport) as session:
                subscription = session.subscribe(gql(subscribe))
                pending = asyncio.ensure_future(subscription.__anext__())
                await server_listening(transport)
                made = await loop.run_in_executor(
                    None, post_graphql, base, writer, CREATE, {"t": "Trên bảng"}
                )
                assert made["data"]["createSampleProject"]["ok"], made
                seen.append((await asyncio.wait_for(pending, 20))["sampleProjectChanged"]["node"]["title"])
                pending = asyncio.ensure_future(subscription.__anext__())
                await loop.run_in_executor(
                    None, lambda: ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
                )
                started = time.monotonic()
                try:
                    await asyncio.wait_for(pending, 10)
                    outcome = "still open: an event came"
                except TimeoutError:
                    outcome = "still open after 10 s"
                except Exception as closed:  # the server closed the socket
                    outcome = f"closed after {time.monotonic() - started:.1f} s: {type(closed).__name__}"
            return seen, outcome

        seen, outcome = asyncio.run(scenario())
    assert seen == ["Trên bảng"]
    assert outcome.startswith("closed"), outcome
    # the access log shows the token once, on the request that traded it, never afterwards
    log = (ROOT / "var" / f"daphne-{urlsplit(base).port}.log").read_text().splitlines()
    with_token = [line for line in log if raw in line]
    assert len(with_token) == 1 and '" 302 ' in with_token[0], with_token
    assert any("WSCONNECT /board/graphql/" in line for line in log)


# --- the kiosk ----------------------------------------------------------------------------------


def _kiosk(org: Any) -> tuple[Any, str]:
    from modules.engine import registry
    from modules.engine import services as engine

    site = engine.create_record(
        registry.entity_by_label("attendance.Site"),
        org.admin,
        {"name": "Trụ sở", "units": [org.province_a.pk]},
    )
    kiosk = engine.create_record(
        registry.entity_by_label("attendance.Kiosk"), org.admin, {"site": site.pk, "name": "Sảnh"}
    )
    raw = new_token()
    type(kiosk).objects.filter(pk=kiosk.pk).update(token_hash=hash_token(raw), token_prefix=raw[:12])
    return kiosk, raw


@pytest.mark.django_db
def test_the_kiosk_link_becomes_a_kiosk_session_and_its_token_leaves_the_page(org):
    kiosk, raw = _kiosk(org)
    assert Client().get("/kiosk/?token=omst_nope").status_code == 403
    _, board_token = ApiToken.issue(org.admin, "không phải ki-ốt", read_only=True)
    assert Client().get(f"/kiosk/?token={board_token}").status_code == 403  # a person's token is no kiosk's
    client = Client()
    answer = client.get(f"/kiosk/?token={raw}")
    assert answer.status_code == 302 and answer["Location"] == "/kiosk/"
    cookie = answer.cookies["onemst_kiosk"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/kiosk/"
    page = client.get("/kiosk/")
    html = page.content.decode()
    assert page.status_code == 200 and raw not in html and "X-Kiosk-Token" not in html
    # the page's check-in goes with the cookie: past the kiosk check (400: no image), not 401
    sent = client.post("/kiosk/checkin", b"not a photo", content_type="image/jpeg")
    assert sent.status_code == 400, sent.content
    assert Client().post("/kiosk/checkin", b"not a photo", content_type="image/jpeg").status_code == 401
    assert client.get("/kiosk/session").status_code == 204
    # a new token for the kiosk ends the old session
    type(kiosk).objects.filter(pk=kiosk.pk).update(token_hash=hash_token(new_token()))
    assert client.post("/kiosk/checkin", b"not a photo", content_type="image/jpeg").status_code == 401
    assert client.get("/kiosk/session").status_code == 401
    assert client.get("/kiosk/").status_code == 403
    # devices keep their header on /attendance/checkin
    _, raw2 = ApiToken.issue(org.admin, "x")  # unrelated: a person's token is not a kiosk token
    assert (
        Client()
        .post("/attendance/checkin", b"not a photo", content_type="image/jpeg", HTTP_X_KIOSK_TOKEN=raw2)
        .status_code
        == 401
    )


def test_run_helper_still_works_with_bearer_tokens(org, db):
    """Bearer tokens (scripts, apps) are untouched by board sessions."""
    make_task(org)
    _, raw = ApiToken.issue(org.head_a, "script")
    assert run(QUERY, token=raw)["data"]["taskBoard"]["units"] == [
        {"key": str(org.province_a.pk), "assigned": 1}
    ]
