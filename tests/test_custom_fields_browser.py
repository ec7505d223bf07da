"""Issue 15 in chromium: an administrator adds a field in the admin, an officer fills it in.

The platform administrator opens "Trường bổ sung", adds "Nguồn vốn đối ứng" to tasks as a
choice list with two options, shown in lists and filters. Without a restart, a provincial
officer opens one of their tasks, finds the field on the change form, chooses "Vốn tỉnh",
saves, sees "Vốn tỉnh" (the label, not the code) in the task list's new column, and
filtering the list by it keeps that task and drops the other. Screenshots go to
docs/screens/ (custom-field-define.png, custom-field-fill.png).

Then who may see a field: the administrator opens a field, ticks "Lãnh đạo đơn vị" among the
declared roles (named in Vietnamese, no JSON to type), is told what this narrows for API
clients, confirms and saves; the officer no longer finds the field on the task
(custom-field-roles.png).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modules.engine.custom_models import CustomField
from tests.browser import chromium, orm
from tests.live_server import daphne_server
from tests.tasks_helpers import make_task

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
FILLED = "Nhiệm vụ có vốn đối ứng"
OTHER = "Nhiệm vụ chưa ghi nguồn vốn"


def login(page, site: str, username: str) -> None:
    page.goto(f"{site}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass12345")
    with page.expect_navigation():
        page.click("button[type=submit], input[type=submit]")
    assert "/login/" not in page.url, page.url


def test_an_administrator_adds_a_field_and_an_officer_fills_it_in(org) -> None:
    task = make_task(org, title=FILLED)
    make_task(org, title=OTHER)

    with daphne_server() as site, chromium() as browser:  # opened after the data is committed
        SCREENS.mkdir(parents=True, exist_ok=True)
        admin = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1100})
        login(admin, site, "admin")
        admin.goto(f"{site}/admin/engine/customfield/add/")
        admin.select_option("select[name=entity]", value="tasks.Task")
        admin.fill("input[name=code]", "nguon_von_doi_ung")
        admin.fill("input[name=label_vi]", "Nguồn vốn đối ứng")
        admin.fill("input[name=label_en]", "Counterpart funding")
        admin.fill("input[name=help_vi]", "Nguồn vốn địa phương đối ứng cho nhiệm vụ.")
        admin.select_option("select[name=type]", value="choice")
        admin.check("input[name=in_list]")
        admin.check("input[name=in_filter]")
        for index, (code, label_vi, label_en) in enumerate(
            (("tinh", "Vốn tỉnh", "Province budget"), ("huyen", "Vốn huyện", "District budget"))
        ):
            admin.locator("#options-group a.add-row").first.click()
            admin.fill(f"input[name=options-{index}-code]", code)
            admin.fill(f"input[name=options-{index}-label_vi]", label_vi)
            admin.fill(f"input[name=options-{index}-label_en]", label_en)
        admin.screenshot(path=str(SCREENS / "custom-field-define.png"), full_page=True)
        with admin.expect_navigation():
            admin.locator("button[name=_save], input[name=_save]").first.click()
        assert admin.url.rstrip("/").endswith("/admin/engine/customfield"), admin.locator(
            "body"
        ).inner_text()[:2000]

        officer = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1100})
        login(officer, site, "officer_a")
        officer.goto(f"{site}/admin/tasks/task/{task.pk}/change/")
        field = officer.locator("select[name='custom.nguon_von_doi_ung']")
        assert field.count() == 1, officer.locator("body").inner_text()[:2000]
        assert "Nguồn vốn đối ứng" in officer.locator("form#task_form, form[method=post]").last.inner_text()
        field.select_option(label="Vốn tỉnh")
        field.scroll_into_view_if_needed()
        officer.screenshot(path=str(SCREENS / "custom-field-fill.png"), full_page=False)
        with officer.expect_navigation():
            officer.locator("button[name=_save], input[name=_save]").first.click()
        assert officer.url.rstrip("/").endswith("/admin/tasks/task"), officer.locator("body").inner_text()[
            :3000
        ]

        officer.goto(f"{site}/admin/tasks/task/")
        listed = officer.locator("#result_list").inner_text()
        assert "Nguồn vốn đối ứng" in listed and "Vốn tỉnh" in listed and "tinh" not in listed.split(), listed
        officer.goto(f"{site}/admin/tasks/task/?cf_nguon_von_doi_ung=tinh")
        filtered = officer.locator("#result_list").inner_text()
        assert FILLED in filtered and OTHER not in filtered, filtered

    stored = orm(lambda: type(task).objects.get(pk=task.pk).custom)
    assert stored == {"nguon_von_doi_ung": "tinh"}


def test_an_administrator_ticks_the_roles_that_may_see_a_field(org) -> None:
    field = CustomField(
        entity="tasks.Task", code="ghi_chu_noi_bo", label_vi="Ghi chú nội bộ", label_en="Internal note"
    )
    field.full_clean()
    field.save()
    task = make_task(org, title=FILLED)

    with daphne_server() as site, chromium() as browser:
        SCREENS.mkdir(parents=True, exist_ok=True)
        admin = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1100})
        login(admin, site, "admin")
        admin.goto(f"{site}/admin/engine/customfield/{field.pk}/change/")
        roles = admin.locator("input[name=roles_see]")
        assert roles.count() >= 9, admin.locator("body").inner_text()[:2000]
        page_text = admin.locator("body").inner_text()
        assert "Lãnh đạo đơn vị" in page_text and "Cán bộ Sở KH&CN" in page_text
        assert "unit_head" not in page_text  # names on screen, never codes
        admin.locator("input[name=roles_see][value=unit_head]").check()
        admin.locator("input[name=roles_change][value=unit_head]").check()
        admin.locator("input[name=roles_see][value=unit_head]").scroll_into_view_if_needed()
        admin.screenshot(path=str(SCREENS / "custom-field-roles.png"), full_page=False)
        with admin.expect_navigation():
            admin.locator("button[name=_save], input[name=_save]").first.click()
        asked = admin.locator("body").inner_text()
        assert "Thay đổi này làm hỏng các client API" in asked, asked[:3000]  # fewer roles may see it
        assert admin.locator("input[name=roles_see][value=unit_head]").is_checked()  # the ticks are kept
        admin.locator("input[name=confirm_breaking]").check()
        with admin.expect_navigation():
            admin.locator("button[name=_save], input[name=_save]").first.click()
        assert admin.url.rstrip("/").endswith("/admin/engine/customfield"), admin.locator(
            "body"
        ).inner_text()[:3000]

        officer = browser.new_page(locale="vi-VN", viewport={"width": 1440, "height": 1100})
        login(officer, site, "officer_a")
        officer.goto(f"{site}/admin/tasks/task/{task.pk}/change/")
        assert officer.locator("form[method=post]").count() >= 1
        assert officer.locator("[name='custom.ghi_chu_noi_bo']").count() == 0
        assert "Ghi chú nội bộ" not in officer.locator("body").inner_text()

    saved = orm(lambda: CustomField.objects.values("roles_see", "roles_change").get(pk=field.pk))
    assert saved == {"roles_see": ["unit_head"], "roles_change": ["unit_head"]}
