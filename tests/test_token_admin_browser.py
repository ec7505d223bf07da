"""The administrator issues an API token in the admin, in a real browser (Debian chromium, Daphne).

The job: a wall screen in province A needs a read-only token in the name of the unit's head. The
administrator opens "Mã truy cập API" from the sidebar, adds one, picks the head by full name, ticks
read-only and saves; the secret is shown once, works as a Bearer token, and never appears again.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from modules.engine.models import ApiToken
from tests.browser import chromium
from tests.live_server import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)


def graphql_as(base: str, token: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql/",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_an_administrator_issues_a_read_only_board_token_from_the_sidebar(org):
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1000})
        page.goto(f"{base}/admin/login/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "pass12345")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")

        link = page.locator("a[href='/admin/engine/apitoken/']").first  # the sidebar's entry
        assert "Mã truy cập API" in link.inner_text()
        page.goto(base + link.get_attribute("href"))
        page.locator("a[href='/admin/engine/apitoken/add/']").first.click()
        page.wait_for_url(f"{base}/admin/engine/apitoken/add/")
        page.click("#select2-id_user-container")
        page.fill(".select2-search__field", "Head")
        page.click(".select2-results__option:has-text('Head_A')")
        page.fill("#id_name", "Màn hình phòng họp Sở")
        page.check("#id_read_only")
        page.click("button[name=_save], input[name=_save]")
        page.wait_for_url(f"{base}/admin/engine/apitoken/")

        # the list names tokens by their 12-character prefix; the whole secret is in the one message
        shown = sorted(
            {m for m in re.findall(r"omst_[A-Za-z0-9_\-]+", page.inner_text("body")) if len(m) > 12}
        )
        assert len(shown) == 1, page.inner_text("body")[:3000]
        # the secret reads as the head, and the admin never shows it again
        assert graphql_as(base, shown[0], "{ __typename }") == {"data": {"__typename": "Query"}}
        page.locator("a[href^='/admin/engine/apitoken/'][href$='/change/']").first.click()
        page.wait_for_url(re.compile(r".*/admin/engine/apitoken/\d+/change/$"))
        change_page = page.content()

    token = ApiToken.objects.get(name="Màn hình phòng họp Sở")  # the ORM, once the browser is closed
    assert token.user == org.head_a and token.read_only and token.prefix == shown[0][:12]
    assert shown[0] not in change_page and token.prefix in change_page
