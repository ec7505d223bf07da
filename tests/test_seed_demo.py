"""`manage.py seed_demo`: the whole unit tree and ~60 people, idempotent, scoped."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from modules.engine import registry
from modules.engine.access import scoped_queryset
from modules.engine.models import ApiToken
from modules.org.roles import ALL_ROLES, PROVINCIAL_OFFICER


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--organisation-only", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    unit, person = registry.model_for("org.Unit"), registry.model_for("org.Person")
    return {
        "units": unit.objects.count(),
        "people": person.objects.count(),
        "users": User.objects.count(),
        "tokens": ApiToken.objects.count(),
        "unit_versions": sum(unit.objects.values_list("version", flat=True)),
        "person_versions": sum(person.objects.values_list("version", flat=True)),
        "unit_history": unit.history.count(),
        "person_history": person.history.count(),
    }


@pytest.fixture
def seeded(db: Any) -> tuple[str, str]:
    first = seed()
    before = counts()
    second = seed()
    assert counts() == before, "a second run must create and change nothing"
    return first, second


def test_provincial_departments(seeded: Any) -> None:
    unit = registry.model_for("org.Unit")
    provinces = unit.objects.filter(kind="provincial_dost")
    assert provinces.count() == 34
    codes = set(provinces.values_list("province_code", flat=True))
    assert len(codes) == 34
    assert {"01", "31", "46", "48", "79", "92"} <= codes  # the six cities
    for code, name in (("01", "Hà Nội"), ("79", "Hồ Chí Minh"), ("96", "Cà Mau"), ("44", "Quảng Trị")):
        dost = provinces.get(province_code=code)
        assert dost.code == f"SKHCN-{code}"
        assert dost.name == f"Sở Khoa học và Công nghệ {name}"
        assert dost.path == f"/SKHCN-{code}/", "a provincial Department sits outside the Ministry's sub-tree"
        assert dost.parent_id is None


def test_ministry_tree(seeded: Any) -> None:
    unit = registry.model_for("org.Unit")
    ministry = unit.objects.get(code="BKHCN", kind="ministry")
    assert ministry.name == "Bộ Khoa học và Công nghệ"
    units = unit.objects.filter(kind="ministry_unit")
    assert 8 <= units.count() <= 14
    assert all(u.parent_id == ministry.pk and u.path == f"/BKHCN/{u.code}/" for u in units)
    office = units.get(name="Văn phòng Bộ")
    assert office.sees_all_units
    assert not units.exclude(pk=office.pk).filter(sees_all_units=True).exists()


def test_people_and_roles(seeded: Any) -> None:
    person = registry.model_for("org.Person")
    assert person.objects.count() >= 55
    for role in ALL_ROLES:
        group = Group.objects.get(name=role)
        assert group.user_set.exists(), f"nobody holds role {role}"
        assert person.objects.filter(roles=group).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("onemst2026")
    officer = person.objects.filter(roles__name=PROVINCIAL_OFFICER).first()
    assert officer.user.is_staff and officer.user.check_password("onemst2026")
    assert set(officer.user.groups.values_list("name", flat=True)) == {PROVINCIAL_OFFICER}
    assert ApiToken.objects.filter(user=admin, name="demo").count() == 1


def test_token_printed_once(seeded: Any) -> None:
    first, second = seeded
    token = ApiToken.objects.get(name="demo")
    assert token.prefix in first
    assert token.prefix not in second
    assert "0 created, 0 updated" in second


def test_provincial_officer_sees_only_own_province(seeded: Any) -> None:
    person_entity = registry.entity_by_label("org.Person")
    person = registry.model_for(person_entity)
    hanoi = person.objects.get(roles__name=PROVINCIAL_OFFICER, owner_unit__province_code="01")
    hcm_people = person.objects.filter(owner_unit__province_code="79")
    assert hcm_people.exists()
    visible = scoped_queryset(hanoi.user, person_entity, "view")
    assert visible.exists()
    assert set(visible.values_list("owner_unit__code", flat=True)) == {"SKHCN-01"}
    assert not visible.filter(pk__in=hcm_people).exists()
    assert not visible.filter(owner_unit__code="BKHCN").exists()
