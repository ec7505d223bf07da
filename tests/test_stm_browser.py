"""Issue 18 in Debian chromium: a council member scores on a phone-sized screen, and the
council secretary's screen shows the ballot arrive and the result the moment the last valid
ballot is in. Screenshots in docs/screens/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from modules.engine import registry
from tests.browser import chromium, orm
from tests.live_server import daphne_server
from tests.stm_helpers import build_meeting, cast, fire, full_tech_ballot, make_council

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
PHONE = {"width": 390, "height": 844}


def session_cookie(user, base: str) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}


def test_a_member_scores_on_a_phone_and_the_secretary_sees_it_live(org, legal_days):
    meeting = build_meeting(org, dossiers=1)
    council = make_council(org, meeting)
    fire(org.officer_a, council, "Council", "form")
    fire(org.officer_a, council, "Council", "open_scoring")
    experts, dossier = meeting["experts"], meeting["a"]
    for expert in experts[:8]:  # eight ballots in already; the last member scores on the phone
        cast(expert, council, dossier, full_tech_ballot(20))
    last = experts[8]
    with daphne_server() as base:
        secretary_cookie = session_cookie(org.officer_a, base)
        member_cookie = session_cookie(last.account, base)
        with chromium() as browser:
            screen = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
            screen.add_cookies([secretary_cookie])
            live = screen.new_page()
            live.goto(f"{base}/stm/councils/{council.pk}/live/")
            live.wait_for_selector("#live.on", timeout=20_000)
            live.wait_for_function("document.getElementById('cast').textContent === '8'")
            assert "Đang chờ phiếu" in live.inner_text("#result")

            phone = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
            phone.add_cookies([member_cookie])
            page = phone.new_page()
            page.goto(f"{base}/stm/councils/{council.pk}/score/")
            page.wait_for_selector("body[data-loaded]")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], "the ballot fits the phone's width"
            scores = full_tech_ballot(15)
            for code, value in scores.items():
                page.fill(f"section[data-dossier='{dossier.pk}'] input[name={code}]", str(value))
            assert page.inner_text(f"section[data-dossier='{dossier.pk}'] [data-total]") == "85"
            page.screenshot(path=str(SCREENS / "stm-score-phone.png"), full_page=True)
            page.click(f"section[data-dossier='{dossier.pk}'] button")
            page.wait_for_selector(".msg.ok")

            live.wait_for_function("document.getElementById('cast').textContent === '9'", timeout=20_000)
            live.wait_for_function("!document.getElementById('result').classList.contains('pending')")
            text = live.inner_text("#result")
            assert "Trúng tuyển" in text and "điểm trung bình cao nhất" in text
            live.screenshot(path=str(SCREENS / "stm-secretary-live.png"), full_page=True)
            screen.close()
            phone.close()
    total = orm(lambda: registry.model_for("stm.Ballot").objects.filter(council_id=council.pk).count())
    assert total == 9
