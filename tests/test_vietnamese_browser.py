"""The admin in Vietnamese, in Debian's chromium against a real Daphne (issue 12.4).

A Vietnamese user opens a list with its filter panel, an add form with a file field and a
validation error, a record's history after a choice, a decimal and a link changed and a
transition fired, and the object-permission page. None of the English strings the issue
saw is on screen, and no raw code or Python value ("draft", "None", "14.0000", a login)
stands where a label should. Screenshots: docs/screens/filters-vi.png, history-vi.png,
add-form-vi.png, permissions-vi.png.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from modules.engine import registry, services
from tests.browser import chromium
from tests.live_server import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
PROJECT = "sample.SampleProject"

# What the issue saw in English in the Vietnamese admin, and their near relatives.
ENGLISH = (
    "Filters",
    "Apply Filters",
    "Select value",
    "Please correct the error",
    "Choose file to upload",
    "Changed by",
    "Change reason",
    "Changes",
    "Object permissions",
    "User identification",
    "User permissions",
    "Group permissions",
    "Manage user",
    "Manage group",
    "Date/time",
    "Reset filters",
    "Hide counts",
    "Show counts",
    "Type to search",
    "View history",
    "This field is required",
)

# Everything a person reads on the page: text (hidden panels too) and the words in
# placeholders, titles and labels of controls; not scripts, styles or icon ligatures.
READABLE_JS = """() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, parent = node.parentElement;
        if (!parent || parent.closest('script, style, template, .material-symbols-outlined')) continue;
        parts.push(node.textContent);
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], [data-placeholder]')) {
        for (const name of ['placeholder', 'title', 'aria-label', 'data-placeholder']) {
            if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
        }
    }
    parts.push(document.title);
    return parts.join(' ').replace(/\\s+/g, ' ');
}"""


def readable(page: Any) -> str:
    return page.evaluate(READABLE_JS)


def assert_vietnamese(text: str, where: str) -> None:
    for english in ENGLISH:
        assert not re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text), (where, english, text)


def login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass12345")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{base}/admin/", page.url
    return page


def admin_url(base: str, view: str, *args: Any) -> str:
    model = registry.model_for(PROJECT)
    path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return base + path + "".join(f"{a}/" for a in args) + (f"{view}/" if view else "")


def test_the_admin_speaks_vietnamese_and_shows_no_raw_codes(org):
    person_entity = registry.entity_by_label("org.Person")
    for account, name in ((org.officer_a, "Nguyễn Văn An"), (org.admin, "Trần Thị Quản Trị")):
        person = registry.model_for(person_entity).objects.get(user=account)
        services.update_record(person_entity, org.admin, person.pk, {"full_name": name}, person.version)
    entity = registry.entity_by_label(PROJECT)
    row = services.create_record(
        entity,
        org.officer_a,
        {"title": "Đề án chuyển đổi số", "priority": "normal", "budget": 1000, "score": Decimal("14")},
    )
    row = services.update_record(
        entity,
        org.officer_a,
        row.pk,
        {"priority": "high", "score": Decimal("57.5"), "lead_unit": org.province_a.pk},
        row.version,
    )
    services.fire_transition(entity, org.officer_a, row.pk, "submit", row.version)
    SCREENS.mkdir(parents=True, exist_ok=True)

    with daphne_server() as base, chromium() as browser:
        page = login(browser, base, "officer_a")

        # a list with its filter panel open
        page.goto(admin_url(base, ""))
        toggle = page.locator("a[x-on\\:click='filterOpen = true']")
        assert "Bộ lọc" in toggle.inner_text(), toggle.inner_text()
        toggle.click()
        page.get_by_text("Áp dụng bộ lọc").first.wait_for(state="visible")
        text = readable(page)
        assert_vietnamese(text, "list")
        assert "Đã trình" in text and "Cao" in text, text  # the state and priority labels
        assert "Nguyễn Văn An" in text and "officer_a" not in text, text  # the account menu
        for raw in ("submitted", "draft"):
            assert not re.search(rf"\b{raw}\b", text), (raw, text)
        page.screenshot(path=str(SCREENS / "filters-vi.png"))

        # an add form with a file field, sent empty: a validation error, in Vietnamese
        page.goto(admin_url(base, "add"))
        assert "Chọn tệp để tải lên" in readable(page)
        page.locator("button[name=_save]").first.click()
        page.wait_for_load_state()
        text = readable(page)
        assert "Vui lòng sửa các lỗi dưới đây." in text, text
        assert_vietnamese(text, "add form")
        page.screenshot(path=str(SCREENS / "add-form-vi.png"), full_page=True)

        # the history after a choice, a decimal and a link changed and a transition fired
        page.goto(admin_url(base, "history", row.pk))
        text = readable(page)
        assert_vietnamese(text, "history")
        changes = page.locator("#change-history").inner_text()
        for expected in (
            "Trạng thái:",
            "Dự thảo",
            "Đã trình",
            "Độ ưu tiên:",
            "Thường",
            "Cao",
            "Điểm:",
            "57,5",
            "Đơn vị chủ trì:",
            "(trống)",
            "Sở KH&CN Hà Nội",
            "Người thay đổi",
            "Nguyễn Văn An",
            "Lịch sử thay đổi",
        ):
            assert expected in text, (expected, changes)
        for raw in (
            "draft",
            "submitted",
            "normal",
            "None",
            "14.0000",
            "14.00",
            "57.50",
            "officer_a",
            "submit",
        ):
            assert not re.search(rf"(?<![\w.,]){re.escape(raw)}(?![\w])", changes), (raw, changes)
        assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", changes), changes
        page.screenshot(path=str(SCREENS / "history-vi.png"), full_page=True)
        page.context.close()

        # the object-permission page, for an administrator
        page = login(browser, base, "admin")
        page.goto(admin_url(base, "permissions", row.pk))
        text = readable(page)
        assert "Quyền trên đối tượng" in text, text
        assert_vietnamese(text, "object permissions")
        assert not re.search(r"\bGroup\b", text), text  # guardian's unlabelled group field
        page.screenshot(path=str(SCREENS / "permissions-vi.png"), full_page=True)
        page.context.close()
