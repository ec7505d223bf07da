"""Counter reception in chromium, as a one-stop clerk (issue 12.3): pick the procedure and
its documents fill the checklist; tick, save, accept; and the error case, one line a document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from modules.engine import registry
from tests.browser import chromium, orm
from tests.conftest import make_user
from tests.live_server import daphne_server
from tests.onestop_helpers import COMPONENTS, make_procedure
from tests.test_pickers_browser import _pick

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
REQUIRED = [c["name"] for c in COMPONENTS if c["required"]]


def _receive(page: Any, site: str, tick: list[int]) -> None:
    page.goto(f"{site}/admin/onestop/dossier/add/")
    _pick(page, "procedure", "chuyen giao", "Đăng ký chuyển giao công nghệ")
    page.wait_for_url("**/add/?procedure=*")  # the form came back with the procedure's checklist
    names = [page.input_value(f"[name=components-{i}-name]") for i in range(len(COMPONENTS))]
    assert names == [c["name"] for c in COMPONENTS]
    page.fill("[name=applicant_name]", "Công ty CP Công nghệ Sao Mai")
    page.fill("[name=address]", "18 Hoàng Quốc Việt, Cầu Giấy, Hà Nội")
    page.fill("[name=phone]", "0912 345 678")
    for i in tick:
        page.check(f"[name=components-{i}-provided]")
    page.locator("[name=_save]").first.click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_clerk_receives_a_dossier_from_the_procedures_checklist(org, legal_days):
    make_user("clerk", org.office, ("onestop_clerk",))
    make_procedure(org)
    dossiers = registry.model_for("onestop.Dossier")
    with daphne_server() as site, chromium() as browser:
        page = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 900})
        page.goto(f"{site}/admin/login/")
        page.fill("input[name=username]", "clerk")
        page.fill("input[name=password]", "pass12345")
        with page.expect_navigation():
            page.click("button[type=submit], input[type=submit]")
        # the error case first: nothing ticked, so accepting names each missing document
        _receive(page, site, tick=[])
        missing = orm(lambda: dossiers.objects.get())
        page.goto(f"{site}/admin/onestop/dossier/{missing.pk}/change/")
        page.locator("a[href*='transition/accept']").first.click()
        page.wait_for_load_state()
        page.locator("#transition-form [type=submit]").first.click()
        page.wait_for_load_state()
        lines = page.locator("#transition-form [data-error]").all_inner_texts()
        assert [line.strip() for line in lines] == [f"Thiếu giấy tờ / Missing: {n}" for n in REQUIRED]
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "onestop-reception-missing.png"), full_page=True)
        # the happy case: the required documents ticked, the dossier is received
        _receive(page, site, tick=[i for i, c in enumerate(COMPONENTS) if c["required"]])
        page.screenshot(path=str(SCREENS / "onestop-reception-saved.png"), full_page=True)
    received = dossiers.objects.exclude(pk=missing.pk).get()
    rows = {r.name: r.provided for r in received.components.all()}
    assert {n for n, provided in rows.items() if provided} == set(REQUIRED)
