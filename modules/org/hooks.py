"""Organisation hooks: keep the unit tree's paths and users' roles consistent."""

from __future__ import annotations

from typing import Any

from modules.engine import registry, workdays

from . import provinces


def validate_unit(unit: Any, user: Any) -> dict[str, list[str]]:
    """Refuse a parent that would make the tree a cycle, and a province code not valid today.

    A unit that keeps an old code (45, 89: before the 34-province reform) is not re-judged on
    other edits: the code stays readable; only a new or changed code must be valid today."""
    stored = type(unit).objects.filter(pk=unit.pk).values_list("province_code", flat=True).first()
    if unit.province_code and (unit.pk is None or unit.province_code != stored):
        refusal = provinces.check_new_code(unit.province_code, workdays.today())
        if refusal:
            return {"province_code": [refusal]}
    parent = unit.parent
    while parent is not None:
        if unit.pk and parent.pk == unit.pk:
            return {"parent": ["Đơn vị cấp trên tạo thành vòng lặp. / The parent would create a cycle."]}
        parent = parent.parent
    return {}


def compute_unit_path(unit: Any, user: Any, created: bool) -> None:
    """Materialised path of codes, e.g. `/BKHCN/VP/`: a sub-tree is one prefix query."""
    prefix = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{prefix}{unit.code}/"


def repath_descendants(unit: Any, user: Any, created: bool) -> None:
    """When a unit moves, its descendants' paths follow."""
    if created:
        return
    model = type(unit)
    for child in model.objects.filter(parent=unit):
        expected = f"{unit.path}{child.code}/"
        if child.path != expected:
            child.path = expected
            child.save(update_fields=["path"])
            repath_descendants(child, user, False)


def sync_user_roles(person: Any, user: Any, created: bool) -> None:
    """A person's roles are their account's groups, so Django permissions follow them; and
    the account carries the person's full name, so pages that name the signed-in user
    (Unfold's account menu, `get_full_name()`) show the name, not the login."""
    account = person.user
    account.groups.set(person.roles.all())
    if (account.first_name, account.last_name) != (person.full_name[:150], ""):
        type(account).objects.filter(pk=account.pk).update(first_name=person.full_name[:150], last_name="")


def unit_model() -> Any:
    return registry.model_for("org.Unit")
