"""Answers the engine's questions about people and units (settings.ONEMST_DIRECTORY).

A user's facts are read in one query, then kept across requests in the shared
cache (`engine.authcache`) until a person, a unit, a group or a user changes;
on each request they also sit on the user object.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet

from modules.engine import registry
from modules.engine.authcache import remembered

from .roles import ROLES_SEEING_ALL

_CACHE = "_onemst_directory"


def _facts(user: Any) -> dict[str, Any]:
    """The person's unit, its tree path and whether they see every unit (one query, cached)."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = remembered(user, "directory", lambda: _read_facts(user))
        setattr(user, _CACHE, cached)
    return cached


def _read_facts(user: Any) -> dict[str, Any]:
    person_model = registry.model_for("org.Person")
    seeing_all_role = Group.objects.filter(user=OuterRef("user_id"), name__in=ROLES_SEEING_ALL)
    row = (
        person_model.objects.filter(user_id=user.pk)
        .annotate(has_seeing_all_role=Exists(seeing_all_role))
        .values("owner_unit_id", "owner_unit__path", "owner_unit__sees_all_units", "has_seeing_all_role")
        .first()
    )
    if row is None:  # no person record: the role alone decides, and no unit is theirs
        sees_all = user.is_superuser or user.groups.filter(name__in=ROLES_SEEING_ALL).exists()
        facts = {"unit_id": None, "path": None, "sees_all": sees_all}
    else:
        sees_all = user.is_superuser or row["has_seeing_all_role"] or row["owner_unit__sees_all_units"]
        facts = {"unit_id": row["owner_unit_id"], "path": row["owner_unit__path"], "sees_all": sees_all}
    return facts


def unit_id_of(user: Any) -> int | None:
    """The unit a user works in (the default owner of what they create)."""
    return _facts(user)["unit_id"]


def visible_units_query(user: Any) -> QuerySet | None:
    """The ids of the user's unit and sub-units as a subquery (None: every unit).

    A subquery, not a list, so a permission-filtered list stays one round trip.
    """
    facts = _facts(user)
    if facts["sees_all"]:
        return None
    unit_model = registry.model_for("org.Unit")
    if facts["path"] is None:  # no unit of their own
        return unit_model.objects.none().values("id")
    return unit_model.objects.filter(path__startswith=facts["path"]).values("id")


def visible_unit_ids(user: Any) -> set[int] | None:
    """The user's unit and its sub-units as ids; None when the user sees every unit."""
    facts = _facts(user)
    if "units" not in facts:
        query = visible_units_query(user)
        facts["units"] = None if query is None else {row["id"] for row in query}
    return facts["units"]


def forget(user: Any) -> None:
    """Drop cached facts (long-lived sockets call this before each check)."""
    for attr in (_CACHE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
