"""The clerk's pages in chromium (issue 17): a scan uploaded on /van-ban/vao-so/ is read by OCR
and its metadata proposed in the form; the clerk registers it; the same scan again is flagged
as a duplicate with a link; then the leader records a direction on the document's admin page
(lead unit, deadline) and the handling slip shows the step and the task it created.
Screenshots in docs/screens/."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from modules.documents import specimens
from modules.engine import registry, services
from tests.browser import chromium, orm
from tests.documents_heldout import HELDOUT
from tests.live_server import daphne_server

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"


def _login(browser: Any, site: str, username: str) -> Any:
    page = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1000})
    page.goto(f"{site}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass12345")
    with page.expect_navigation():
        page.click("button[type=submit], input[type=submit]")
    return page


def _scan_png() -> bytes:
    out = io.BytesIO()
    specimens.scan(specimens.render_pdf(HELDOUT[2]), dpi=300).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_clerk_registers_a_scan_from_its_proposal_and_a_leader_directs_it(org, legal_days):
    scan = _scan_png()
    spec = HELDOUT[2]
    documents = registry.model_for("documents.IncomingDocument")
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as site, chromium() as browser:
        page = _login(browser, site, "office")
        page.goto(f"{site}/van-ban/vao-so/")
        page.set_input_files("#scan", files=[{"name": "scan.png", "mimeType": "image/png", "buffer": scan}])
        with page.expect_navigation():
            page.click("#read")
        assert page.input_value("#number_symbol") == spec["number_symbol"]
        assert page.input_value("#issued_date") == spec["date"].isoformat()
        assert page.input_value("#doc_type") == spec["expected_type"]
        page.screenshot(path=str(SCREENS / "documents-intake-proposal.png"), full_page=True)
        if not page.input_value("#subject"):
            page.fill("#subject", spec["subject"])
        with page.expect_navigation():
            page.click("#register")
        assert "/admin/documents/incomingdocument/" in page.url
        doc = orm(lambda: documents.objects.get())
        assert doc.arrival_number == 1 and doc.number_symbol == spec["number_symbol"]
        # the same paper again: the proposal points to the earlier registration
        page.goto(f"{site}/van-ban/vao-so/")
        page.set_input_files("#scan", files=[{"name": "scan.png", "mimeType": "image/png", "buffer": scan}])
        with page.expect_navigation():
            page.click("#read")
        assert "số đến 1" in page.inner_text("#duplicate")
        page.screenshot(path=str(SCREENS / "documents-intake-duplicate.png"), full_page=True)
        # the leader: lead unit and deadline written on the document (the engine's write path),
        # then the direction from the document's admin page
        deadline = dt.date.today() + dt.timedelta(days=21)
        entity = registry.entity_by_label("documents.IncomingDocument")
        orm(
            lambda: services.update_record(
                entity,
                org.leader,
                doc.pk,
                {
                    "lead_unit": org.province_a.pk,
                    "due_date": deadline,
                    "instructions": "Sở chủ trì, báo cáo Bộ.",
                },
                documents.objects.get(pk=doc.pk).version,
            )
        )
        leader = _login(browser, site, "leader")
        leader.goto(f"{site}/admin/documents/incomingdocument/{doc.pk}/change/")
        leader.locator("a[href*='transition/direct']").first.click()
        leader.wait_for_load_state()
        leader.locator("#transition-form [type=submit]").first.click()
        leader.wait_for_load_state()
        leader.screenshot(path=str(SCREENS / "documents-routing-directed.png"), full_page=True)
    doc = documents.objects.get()
    assert doc.state == "directed"
    step = doc.steps.get()
    assert (step.kind, step.actor_id, step.unit_id) == ("direct", org.leader.pk, org.province_a.pk)
    assert step.task is not None and step.task.owner_unit_id == org.province_a.pk
