"""Every role that may create a record does so in the admin, pickers included (issue 12.1).

Before, `/admin/autocomplete/` asked for view permission on the picker's TARGET admin, so
a unit head's "Lãnh đạo giao" picker said "The results could not be loaded.". For each
role with "add" on an entity that has link pickers: one browser session opens the add
form, uses every picker (types a few letters, picks the person or record by name), fills
the required fields, saves, and the record is then read back from the database.

Each role gets its own data, Daphne and chromium session (a Daphne shared by the module
kept its own cache of who-sees-what across the database flushes between tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from modules.engine import registry
from tests.browser import chromium
from tests.conftest import make_unit, make_user
from tests.live_server import daphne_server

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"  # issue 12's acceptance


@dataclass
class Case:
    role: str
    login: str
    path: str  # the add form
    picks: list[tuple[str, str, str]]  # (field, letters typed, text of the option picked)
    fill: dict[str, str] = field(default_factory=dict)
    label: str = ""  # entity whose new row is checked
    lookup: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case(
        "ministry_leader",
        "leader",
        "/admin/tasks/task/add/",
        [
            ("assigned_by", "lea", "Leader"),
            ("assignee", "offi", "Officer_B"),
            ("coordinating_units", "Hà", "Hà Nội"),
        ],
        {"title": "Nhiệm vụ Bộ trưởng giao", "content": "Nội dung"},
        "tasks.Task",
        {"title": "Nhiệm vụ Bộ trưởng giao"},
    ),
    Case(
        "unit_head",
        "head_a",
        "/admin/tasks/task/add/",
        [("assigned_by", "hea", "Head_A"), ("assignee", "offi", "Officer_A")],
        {"title": "Nhiệm vụ của Sở giao", "content": "Nội dung"},
        "tasks.Task",
        {"title": "Nhiệm vụ của Sở giao"},
    ),
    Case(
        "secretary",
        "secretary",
        "/admin/tasks/directive/add/",
        [("assigned_by", "lea", "Leader"), ("lead_units", "Kế", "Kế hoạch")],
        {"source_date": "2026-11-02", "summary": "Kết luận giao ban do thư ký ghi", "content": "Nội dung"},
        "tasks.Directive",
        {"summary": "Kết luận giao ban do thư ký ghi"},
    ),
    Case(
        "specialist",
        "specialist",
        "/admin/tasks/directive/add/",
        [("assigned_by", "spe", "Specialist"), ("coordinating_units", "Văn", "Văn phòng")],
        {"source_date": "2026-11-03", "summary": "Văn bản do chuyên viên nhập", "content": "Nội dung"},
        "tasks.Directive",
        {"summary": "Văn bản do chuyên viên nhập"},
    ),
    Case(
        "provincial_officer",
        "officer_a",
        "/admin/tasks/taskupdate/add/",
        [("task", "tỉnh", "Nhiệm vụ của tỉnh A")],
        {"percent": "40", "note": "Đã làm được gần một nửa"},
        "tasks.TaskUpdate",
        {"note": "Đã làm được gần một nửa"},
    ),
    Case(
        "onestop_clerk",
        "clerk",
        "/admin/onestop/dossier/add/",
        [("procedure", "chuyển", "Đăng ký chuyển giao")],
        {"applicant_name": "Công ty Ánh Dương", "address": "12 Tràng Tiền, Hà Nội", "phone": "0912345678"},
        "onestop.Dossier",
        {"applicant_name": "Công ty Ánh Dương"},
    ),
    Case(
        "report_reviewer",
        "reviewer",
        "/admin/reporting/reportform/add/",
        [("regime", "tháng", "Báo cáo tháng")],
        {"title": "Biểu mẫu tháng mới"},
        "reporting.ReportForm",
        {"title": "Biểu mẫu tháng mới"},
    ),
    Case(
        "platform_admin",
        "platform",
        "/admin/org/person/add/",
        [("user", "newb", "newbie"), ("roles", "spec", "specialist")],
        {"full_name": "Người Mới Vào"},
        "org.Person",
        {"full_name": "Người Mới Vào"},
    ),
]


def _write_data() -> SimpleNamespace:
    from django.contrib.auth.models import User

    from modules.engine.roles import sync_roles
    from tests.onestop_helpers import make_procedure
    from tests.reporting_helpers import make_regime
    from tests.tasks_helpers import make_task

    sync_roles()
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    ministry = make_unit(root, "BKHCN", "Bộ Khoa học và Công nghệ", "ministry")
    office = make_unit(root, "VP", "Văn phòng Bộ", "ministry_unit", ministry, sees_all_units=True)
    department = make_unit(root, "KHTC", "Vụ Kế hoạch - Tài chính", "ministry_unit", ministry)
    province_a = make_unit(root, "SKHCN-01", "Sở KH&CN Hà Nội", "provincial_dost", province_code="01")
    province_b = make_unit(
        root, "SKHCN-79", "Sở KH&CN TP. Hồ Chí Minh", "provincial_dost", province_code="79"
    )
    org = SimpleNamespace(
        ministry=ministry,
        office=office,
        department=department,
        province_a=province_a,
        province_b=province_b,
        admin=root,
        leader=make_user("leader", ministry, ("ministry_leader",)),
        head_a=make_user("head_a", province_a, ("unit_head",)),
        officer_a=make_user("officer_a", province_a, ("provincial_officer",)),
        officer_b=make_user("officer_b", province_b, ("provincial_officer",)),
        specialist=make_user("specialist", department, ("specialist",)),
    )
    make_user("secretary", office, ("secretary",))
    make_user("clerk", office, ("onestop_clerk",))
    make_user("reviewer", office, ("report_reviewer",))
    make_user("platform", office, ("platform_admin",))
    User.objects.create_user("newbie", password="pass12345")  # an account with no person yet
    make_task(org, title="Nhiệm vụ của tỉnh A")
    make_procedure(org, components=[])
    make_regime(root, office)
    return org


def _pick(page: Any, name: str, letters: str, wanted: str) -> None:
    """Open a field's select2 picker, type a few letters, click the option that names `wanted`."""
    picker = page.locator(f"#id_{name} ~ .select2").first
    try:
        picker.wait_for(state="visible", timeout=20_000)
    except Exception as exc:
        raise AssertionError(f"{name}: no picker on {page.url}: {page.content()[-3000:]}") from exc
    picker.click()
    page.keyboard.type(letters, delay=40)
    results = page.locator(".select2-container--open .select2-results")
    option = results.locator(".select2-results__option", has_text=wanted).first
    try:
        option.wait_for(state="visible", timeout=15_000)
    except Exception as exc:
        raise AssertionError(
            f"{name}: no option {wanted!r}; the picker says {results.inner_text()!r}"
        ) from exc
    option.click()


@pytest.mark.parametrize("case", CASES, ids=[c.role for c in CASES])
def test_role_creates_a_record_with_every_picker(case: Case) -> None:
    _write_data()
    with (
        daphne_server() as site,
        chromium() as browser,
    ):  # opened after the database fixtures, closed before theirs end
        page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 1000})
        page.goto(f"{site}/admin/login/")
        page.fill("input[name=username]", case.login)
        page.fill("input[name=password]", "pass12345")
        with page.expect_navigation():
            page.click("button[type=submit], input[type=submit]")
        assert "/login/" not in page.url, page.locator(".errornote, .errorlist").all_inner_texts()
        page.goto(f"{site}{case.path}")
        for name, letters, wanted in case.picks:
            _pick(page, name, letters, wanted)
        for name, value in case.fill.items():
            page.fill(f"[name={name}]", value)
        SCREENS.mkdir(parents=True, exist_ok=True)  # the filled form, every picker chosen
        page.screenshot(path=str(SCREENS / f"pickers-{case.role}.png"), full_page=True)
        page.locator("[name=_save]").first.click()
        page.wait_for_load_state()
        ARTIFACTS.mkdir(exist_ok=True)  # after saving: for a failure's diagnosis
        page.screenshot(path=str(ARTIFACTS / f"pickers-{case.role}-saved.png"), full_page=True)
        problems = page.locator(".errornote, .errorlist, ul.messagelist").all_inner_texts()
        assert not re.search(r"/add/?$", page.url), problems
    model = registry.model_for(registry.entity_by_label(case.label))
    assert model.objects.filter(**case.lookup).exists(), case
