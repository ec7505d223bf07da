"""Shared fixtures: a small unit tree and one user per role, built through the engine."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import pytest

# The browser tests that CI runs in its PostgreSQL + Redis run instead of its SQLite run (`.ci/run`:
# `-m 'not browser_pg'` for SQLite, `-m 'not browser or browser_pg'` for PostgreSQL): about half of
# the browser tests, so that the two runs, side by side, end together; each still runs exactly once.
# A page may not differ by database, but a test's setup can: every file here passes on both.
BROWSER_ON_POSTGRES = frozenset(
    {
        "test_custom_fields_browser.py",
        "test_documents_browser.py",
        "test_kiosk_browser.py",
        "test_onestop_live.py",
        "test_reception_browser.py",
        "test_report_admin_browser.py",
        "test_report_board.py",
        "test_stm2_browser.py",
        "test_task_board.py",
        "test_vietnamese_browser.py",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that opens chromium as `browser`, and those of `BROWSER_ON_POSTGRES` also
    as `browser_pg`.

    CI runs each browser test once: those marked `browser_pg` in the PostgreSQL run, the others in
    the SQLite run. They are the slowest part of the suite, so the split balances the two runs.
    Marking by the call keeps a new browser test from being missed.
    """
    marker = pytest.mark.browser
    on_postgres = pytest.mark.browser_pg
    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        if "chromium(" in source:
            item.add_marker(marker)
            if item.path.name in BROWSER_ON_POSTGRES:
                item.add_marker(on_postgres)


@dataclass
class Org:
    ministry: Any
    office: Any
    department: Any
    province_a: Any
    province_b: Any
    admin: Any
    leader: Any
    office_clerk: Any
    head_a: Any
    officer_a: Any
    officer_b: Any
    specialist: Any


def make_user(username: str, unit: Any, roles: tuple[str, ...], *, superuser: bool = False) -> Any:
    from django.contrib.auth.models import Group, User

    from modules.engine import registry

    user = User.objects.create_user(
        username=username, password="pass12345", is_superuser=superuser, is_staff=True
    )
    person_model = registry.model_for("org.Person")
    person = person_model.objects.create(user=user, full_name=username.title(), owner_unit=unit)
    groups = [Group.objects.get_or_create(name=r)[0] for r in roles]
    person.roles.set(groups)
    user.groups.set(groups)
    return user


def make_unit(admin: Any, code: str, name: str, kind: str, parent: Any = None, **extra: Any) -> Any:
    from modules.engine import registry, services

    entity = registry.entity_by_label("org.Unit")
    values = {"code": code, "name": name, "kind": kind, "parent": parent.pk if parent else None, **extra}
    return services.create_record(entity, admin, values)


@pytest.fixture(autouse=True)
def fresh_shared_cache() -> Any:
    """Each test's rows are rolled back and ids reused: start from no remembered facts."""
    from modules.calendar.holidays import forget as forget_calendar
    from modules.engine.access import forget_permission_ids
    from modules.engine.authcache import invalidate

    invalidate()
    forget_calendar()
    forget_permission_ids()  # a transactional test's flush re-created the permission rows
    yield
    invalidate()
    forget_calendar()
    forget_permission_ids()


@pytest.fixture
def legal_days(db: Any) -> None:
    """The shipped holidays (a transactional test elsewhere may have flushed the migration's rows)."""
    from modules.calendar.legal_days import load
    from modules.engine import registry

    load(registry.model_for("calendar.CalendarDay"))


@pytest.fixture
def org(db: Any) -> Org:
    from django.contrib.auth.models import User

    from modules.engine.roles import sync_roles

    sync_roles()
    root = User.objects.create_superuser("root", "root@example.org", "pass12345")
    ministry = make_unit(root, "BKHCN", "Bộ Khoa học và Công nghệ", "ministry")
    office = make_unit(root, "VP", "Văn phòng Bộ", "ministry_unit", ministry, sees_all_units=True)
    department = make_unit(root, "KHTC", "Vụ Kế hoạch - Tài chính", "ministry_unit", ministry)
    province_a = make_unit(root, "SKHCN-01", "Sở KH&CN Hà Nội", "provincial_dost", province_code="01")
    province_b = make_unit(
        root, "SKHCN-79", "Sở KH&CN TP. Hồ Chí Minh", "provincial_dost", province_code="79"
    )
    return Org(
        ministry=ministry,
        office=office,
        department=department,
        province_a=province_a,
        province_b=province_b,
        admin=make_user("admin", office, ("platform_admin",), superuser=True),
        leader=make_user("leader", ministry, ("ministry_leader",)),
        office_clerk=make_user("office", office, ("specialist",)),
        head_a=make_user("head_a", province_a, ("unit_head",)),
        officer_a=make_user("officer_a", province_a, ("provincial_officer",)),
        officer_b=make_user("officer_b", province_b, ("provincial_officer",)),
        specialist=make_user("specialist", department, ("specialist",)),
    )


@pytest.fixture
def entity():
    """Look up a declared entity by label, e.g. entity('sample.SampleProject')."""
    from modules.engine import registry

    return registry.entity_by_label
