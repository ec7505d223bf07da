"""Public tracking, live: a visitor's page and a `dossierProgress` subscriber follow a dossier
that a clerk moves through GraphQL, with no log-in and no reload; staff-only fields stay closed."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from modules.engine import registry
from modules.engine.models import ApiToken
from modules.onestop.api import receive
from tests.browser import chromium
from tests.conftest import make_user
from tests.live_server import daphne_server, post_graphql, server_listening
from tests.onestop_helpers import applicant, make_procedure

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
FIRE = "mutation($id: ID!, $v: Int!) { dossier%s(id: $id, version: $v) { ok errors { message } } }"
PROGRESS = "subscription($c: String!) { dossierProgress(code: $c) { status statusCode timeline { status } } }"


def _current_version(pk: int) -> int:
    return registry.model_for("onestop.Dossier").objects.values_list("version", flat=True).get(pk=pk)


def test_the_public_page_shows_the_timeline_growing_live(org, legal_days):
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    dossier = receive(clerk, applicant(make_procedure(org)))
    _, clerk_token = ApiToken.issue(clerk, "quầy 1")
    _, admin_token = ApiToken.issue(org.admin, "admin")
    code, pk, version = dossier.number, dossier.pk, dossier.version
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page.goto(f"{base}/tra-cuu/")
        page.fill("#ma", code.lower())
        page.click("button[type=submit]")
        page.wait_for_selector("#dossier")
        assert page.get_attribute("#status", "data-status") == "accepted"
        page.wait_for_selector("#live.on")
        assert page.locator("#timeline li").count() == 2
        page.evaluate("window.notReloaded = true")
        started = time.monotonic()
        moved = post_graphql(base, clerk_token, FIRE % "Start", {"id": str(pk), "v": version})
        assert moved["data"]["dossierStart"]["ok"], moved
        page.wait_for_function("document.querySelectorAll('#timeline li').length === 3", timeout=5000)
        assert time.monotonic() - started < 2.0
        assert page.get_attribute("#status", "data-status") == "processing"
        moved = post_graphql(base, admin_token, FIRE % "Advance", {"id": str(pk), "v": version + 1})
        assert moved["data"]["dossierAdvance"]["ok"], moved
        page.wait_for_function("document.querySelectorAll('#timeline li').length === 4", timeout=5000)
        assert page.evaluate("window.notReloaded") is True
        assert "Trình ký" in page.inner_text("#timeline")
        html = page.content()
        for private in ("Sao Mai", "0912345678", "lienhe@saomai.vn", "0101234567"):
            assert private not in html
        page.screenshot(path=str(SCREENS / "onestop-lookup.png"), full_page=True)


def test_progress_subscription_is_public_but_limited_to_public_fields(org, legal_days):
    from gql import Client, gql
    from gql.transport.websockets import WebsocketsTransport

    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    dossier = receive(clerk, applicant(make_procedure(org)))
    _, clerk_token = ApiToken.issue(clerk, "quầy 1")
    with daphne_server() as base:

        def transport(path: str) -> WebsocketsTransport:
            return WebsocketsTransport(
                url=base.replace("http", "ws") + path,
                subprotocols=["graphql-transport-ws"],
                connect_timeout=20,
            )

        async def scenario() -> tuple[list, str, str]:
            received: list = []
            listener = transport("/graphql/public/")
            async with Client(transport=listener) as visitor:
                stream = visitor.subscribe(gql(PROGRESS), variable_values={"c": dossier.number})
                pending = asyncio.ensure_future(stream.__anext__())
                await server_listening(listener)  # from here on, no event can be missed
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(
                    None,
                    post_graphql,
                    base,
                    clerk_token,
                    FIRE % "Start",
                    {"id": str(dossier.pk), "v": dossier.version},
                )
                received.append(await asyncio.wait_for(pending, 10))
            staff_only = "unknown"
            async with Client(transport=transport("/graphql/public/")) as visitor:
                try:
                    await visitor.execute(gql(f'{{ dossier(id: "{dossier.pk}") {{ applicantName }} }}'))
                except Exception as exc:
                    staff_only = str(exc)
            malformed = "unknown"
            async with Client(transport=transport("/graphql/public/")) as visitor:
                try:
                    async for _ in visitor.subscribe(gql(PROGRESS), variable_values={"c": "not a code"}):
                        break
                except Exception as exc:
                    malformed = str(exc)
            return received, staff_only, malformed

        received, staff_only, malformed = asyncio.run(scenario())
    event = received[0]["dossierProgress"]
    assert event["status"] == "PROCESSING" and event["statusCode"] == 4
    assert [t["status"] for t in event["timeline"]] == ["NEW", "ACCEPTED", "PROCESSING"]
    assert "Cần đăng nhập" in staff_only or "UNAUTHENTICATED" in staff_only
    assert "Mã hồ sơ gồm" in malformed
