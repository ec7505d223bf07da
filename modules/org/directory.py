"""Answers the engine's questions about people and units (settings.ONEMST_DIRECTORY).

A user's facts are read in one query, then kept across requests in the shared
cache (`engine.authcache`) until a person, a unit, a group or a user changes;
on each request they also sit on the user object.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, QuerySet

from modules.engine import registry
from modules.engine.authcache import remembered
from modules.engine.search import matches

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


def units_within(user: Any, within: str) -> QuerySet | None:
    """Units seen from the user's own unit, whatever they may read: "unit" (that unit),
    "above" (it and the units it belongs to), "below" (it and its sub-units); None for
    "anywhere". A user with no unit has none. For declared delegations (who may record
    an act for whom), so a unit that sees every unit does not widen them."""
    if within == "anywhere":
        return None
    unit_model = registry.model_for("org.Unit")
    path = _facts(user)["path"]
    if path is None:
        return unit_model.objects.none().values("id")
    if within == "unit":
        return unit_model.objects.filter(path=path).values("id")
    if within == "below":
        return unit_model.objects.filter(path__startswith=path).values("id")
    parts = [p for p in path.split("/") if p]
    ancestors = ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]
    return unit_model.objects.filter(path__in=ancestors).values("id")


def users_in(units: QuerySet) -> QuerySet:
    """The ids of the accounts of people working in `units` (a subquery of unit ids)."""
    return registry.model_for("org.Person").objects.filter(owner_unit__in=units).values("user_id")


def person_of(user: Any) -> Any:
    """The person record of an account (None for an account with no person)."""
    if getattr(user, "pk", None) is None:
        return None
    return registry.model_for("org.Person").objects.filter(user_id=user.pk).first()


def account_of(record: Any) -> Any:
    """The account behind a link target: a user is itself, a person is their account."""
    if isinstance(record, get_user_model()):
        return record
    if isinstance(record, registry.model_for("org.Person")):
        return record.user
    return None


def accounts_query(model: Any, users: QuerySet) -> QuerySet:
    """Rows of `model` (users or people) whose account is among `users` (a subquery of ids)."""
    if model is get_user_model():
        return model.objects.filter(pk__in=users)
    return model.objects.filter(user_id__in=users)


def name_of(user: Any) -> str:
    """How people call someone: the person's full name, else the account's name."""
    person = person_of(user)
    if person is not None and person.full_name:
        return f"{person.full_name} ({user.username})"
    return user.get_full_name() or user.username


def full_names(user_ids: list[Any]) -> dict[Any, str]:
    """Account id → the person's full name (engine.display.display_name), in one query."""
    people = registry.model_for("org.Person").objects.filter(user_id__in=user_ids)
    return {user_id: name for user_id, name in people.values_list("user_id", "full_name") if name}


def forget(user: Any) -> None:
    """Drop cached facts (long-lived sockets call this before each check)."""
    for attr in (_CACHE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


def users_seeing_all() -> QuerySet:
    """The ids of accounts that see every unit: a ministry-wide role, or a unit that does."""
    by_role = Group.objects.filter(name__in=ROLES_SEEING_ALL).values("user")
    people = registry.model_for("org.Person").objects
    by_unit = people.filter(owner_unit__sees_all_units=True).values("user_id")
    return get_user_model().objects.filter(Q(pk__in=by_role) | Q(pk__in=by_unit)).values("pk")


def accounts_named(word: str) -> QuerySet:
    """The ids of accounts whose person's name or email holds `word`, diacritics ignored (pickers)."""
    return registry.model_for("org.Person").objects.filter(matches(word)).values("user_id")


def roles() -> tuple[Any, ...]:
    """The platform's roles in their order, each with `code`, `label_vi` and `label_en`
    (for the engine's role pickers, e.g. who may see a custom field)."""
    from .roles import ROLES

    return ROLES
