"""Answers the engine's questions about people and units (settings.ONEMST_DIRECTORY).

Results are cached on the user object, i.e. per request or per socket
event, so a permission-filtered list costs one extra query at most.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from modules.engine import registry

from .roles import ROLES_SEEING_ALL

_CACHE = "_onemst_directory"


def _facts(user: Any) -> dict[str, Any]:
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    person_model = registry.model_for("org.Person")
    unit_model = registry.model_for("org.Unit")
    # One query for the person, their unit and whether a role lets them see every unit.
    seeing_all_role = Group.objects.filter(user=OuterRef("user_id"), name__in=ROLES_SEEING_ALL)
    row = (
        person_model.objects.filter(user_id=user.pk)
        .annotate(has_seeing_all_role=Exists(seeing_all_role))
        .values("owner_unit_id", "owner_unit__path", "owner_unit__sees_all_units", "has_seeing_all_role")
        .first()
    )
    if row is None:  # no person record: the role alone decides
        sees_all = user.is_superuser or user.groups.filter(name__in=ROLES_SEEING_ALL).exists()
    else:
        sees_all = user.is_superuser or row["has_seeing_all_role"]
    units: set[int] | None
    if row is None:
        unit_id, units = None, set()
    else:
        unit_id = row["owner_unit_id"]
        sees_all = sees_all or row["owner_unit__sees_all_units"]
        units = set(
            unit_model.objects.filter(path__startswith=row["owner_unit__path"]).values_list("id", flat=True)
        )
    facts = {"unit_id": unit_id, "units": None if sees_all else units}
    setattr(user, _CACHE, facts)
    return facts


def unit_id_of(user: Any) -> int | None:
    """The unit a user works in (the default owner of what they create)."""
    return _facts(user)["unit_id"]


def visible_unit_ids(user: Any) -> set[int] | None:
    """The user's unit and its sub-units; None when the user sees every unit."""
    return _facts(user)["units"]


def forget(user: Any) -> None:
    """Drop cached facts (long-lived sockets call this before each check)."""
    for attr in (_CACHE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
