"""Export in chromium, as a unit officer does it (issue 12.8): from the task list, XLSX.

A provincial officer opens the task list in the admin, follows its export link, chooses
XLSX and downloads the file. The file (opened with openpyxl) holds the tasks of the
officer's own province and not the other province's: the rule "a provincial officer sees
the records of their unit" (domain.md, roles) holds for the file as for the list.
A screenshot of the export page goes to docs/screens/.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests.browser import chromium
from tests.live_server import daphne_server
from tests.tasks_helpers import make_task

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
MINE = {"Nhiệm vụ Hà Nội thứ nhất", "Nhiệm vụ Hà Nội thứ hai"}
THEIRS = "Nhiệm vụ TP.HCM không được xem"


def test_an_officer_exports_the_task_list_as_xlsx_with_only_their_provinces_rows(org, tmp_path: Path) -> None:
    for title in sorted(MINE):
        make_task(org, title=title)
    make_task(org, title=THEIRS, unit=org.province_b, assignee=org.officer_b.pk)

    with daphne_server() as site, chromium() as browser:  # opened after the data is committed
        page = browser.new_page(
            locale="vi-VN", viewport={"width": 1440, "height": 900}, accept_downloads=True
        )
        page.goto(f"{site}/admin/login/")
        page.fill("input[name=username]", "officer_a")
        page.fill("input[name=password]", "pass12345")
        with page.expect_navigation():
            page.click("button[type=submit], input[type=submit]")
        assert "/login/" not in page.url

        page.goto(f"{site}/admin/tasks/task/")
        listed = page.locator("#result_list").inner_text()
        assert all(title in listed for title in MINE) and THEIRS not in listed, listed
        with page.expect_navigation():
            page.locator("a[href*='/admin/tasks/task/export/']").first.click()
        assert "/export/" in page.url, page.url
        form_text = page.locator("#content, main").first.inner_text()
        assert "Định dạng" in form_text and not re.search(r"\bFormat\b", form_text), form_text  # Vietnamese
        page.select_option("select[name=format]", label="xlsx")
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "export-officer-xlsx.png"), full_page=True)
        with page.expect_download() as download:
            page.locator("form button[type=submit], form input[type=submit]").last.click()
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)

    assert target.suffix == ".xlsx", target.name
    sheet = openpyxl.load_workbook(target).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = table[0]
    title = next(i for i, h in enumerate(header) if str(h).startswith("Tên nhiệm vụ"))
    assert {row[title] for row in table[1:]} == MINE  # the officer's province only
