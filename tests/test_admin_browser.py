"""The admin in a real browser (Debian chromium via Playwright) against a real Daphne.

A provincial officer logs in, lands on the Vietnamese dashboard with the
generated sidebar, and the list of a generated entity shows their province's
rows and not another province's. The page is styled (static files are served).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from modules.engine import registry, services
from tests.browser import chromium
from tests.live_server import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
def make_project(user: Any, title: str) -> Any:
    entity = registry.entity_by_label("sample.SampleProject")
    return services.create_record(entity, user, {"title": title, "priority": "normal", "budget": 100})


def test_officer_logs_in_and_sees_only_their_province(org):
    make_project(org.head_a, "Dự án của tỉnh A")
    make_project(org.officer_b, "Dự án bí mật của tỉnh B")
    ARTIFACTS.mkdir(exist_ok=True)

    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
        stylesheets: list[int] = []
        page.on(
            "response",
            lambda r: stylesheets.append(r.status) if r.request.resource_type == "stylesheet" else None,
        )

        page.goto(f"{base}/admin/login/")
        page.fill("input[name=username]", "officer_a")
        page.fill("input[name=password]", "pass12345")
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state()
        assert page.url == f"{base}/admin/", page.content()[-3000:]
        body = page.content()
        assert "One MST" in body
        assert "Mô-đun mẫu" in body  # sidebar group generated from the sample module's definition
        assert stylesheets and all(status == 200 for status in stylesheets), stylesheets
        page.screenshot(path=str(ARTIFACTS / "admin-dashboard-officer.png"), full_page=True)

        page.goto(f"{base}/admin/sample/sampleproject/")
        listing = page.content()
        assert "Dự án của tỉnh A" in listing
        assert "bí mật của tỉnh B" not in listing
        page.screenshot(path=str(ARTIFACTS / "admin-list-officer.png"), full_page=True)
