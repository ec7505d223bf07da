"""Who may see and do what: one rule set, compiled into a queryset filter.

Every entry point (admin, GraphQL queries, nested fields, mutations,
subscriptions, exports) gets its rows from `scoped_queryset`, so the rule
is written once. The rule for user U, entity E and action A:

- superusers: everything;
- else rows are allowed when U holds the role permission `A_e` AND the row
  is in U's scope: owned by U's unit or a sub-unit, or created by U, or
  (for viewing only) marked shared; users whose directory says they see
  all units (ministry leaders, the office) skip the unit test;
- OR U (or one of U's groups) holds a guardian object grant for A on the
  row — the exceptions, read through direct-FK tables in one subquery.

The result is a single `Q`, so a permission-filtered list is one SQL query.
`scoped_queryset` applies it as a `rulesql.Scope`: the same rule, written for
index lookups when the query counts or aggregates (`totalCount`, figures).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from . import registry
from .definitions import Entity
from .factory import transition_codename
from .rulesql import Scope

EMPTY = Q(pk__in=[])


@cache
def directory() -> Any:
    """The module that knows people and units (settings.ONEMST_DIRECTORY)."""
    return import_module(settings.ONEMST_DIRECTORY)


def codename(entity: Entity, action: str) -> str:
    if action.startswith("transition:"):
        return transition_codename(entity, action.split(":", 1)[1])
    return f"{action}_{entity.name.lower()}"


@cache
def _permission_id(app_label: str, model_name: str, code: str) -> int | None:
    ct = ContentType.objects.get_by_natural_key(app_label, model_name)
    row = Permission.objects.filter(content_type=ct, codename=code).values_list("id", flat=True)
    return next(iter(row), None)


def forget_permission_ids(**_signal: Any) -> None:
    """Drop the remembered permission ids (a flush or migrate makes new rows)."""
    _permission_id.cache_clear()


def has_role_permission(user: Any, entity: Entity, action: str) -> bool:
    """The role (group) permission for an action, regardless of rows."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm(f"{entity.app_label}.{codename(entity, action)}")


def grants_q(user: Any, entity: Entity, action: str) -> Q:
    """Rows on which the user or their groups hold an object grant for `action`."""
    classes = registry.classes_for(entity)
    model = classes[entity.name]
    perm_id = _permission_id(entity.app_label, model._meta.model_name, codename(entity, action))
    if perm_id is None:
        return EMPTY
    user_grants = classes[f"{entity.name}UserObjectPermission"].objects.filter(
        user_id=user.pk, permission_id=perm_id
    )
    group_grants = classes[f"{entity.name}GroupObjectPermission"].objects.filter(
        group__user=user.pk, permission_id=perm_id
    )
    return Q(pk__in=user_grants.values("content_object_id")) | Q(
        pk__in=group_grants.values("content_object_id")
    )


def scope_q(user: Any, entity: Entity, action: str = "view") -> Q | None:
    """The row filter for `action`; None means "every row" (no filter at all)."""
    if not (user and user.is_authenticated and user.is_active):
        return EMPTY
    if user.is_superuser:
        return None
    # Grants are built only on the branches that use them: most nested links
    # (e.g. to units) need no filter at all, and this runs for every one of them.
    if not has_role_permission(user, entity, action):
        return grants_q(user, entity, action)
    if not entity.unit_scoped:
        return None
    units = directory().visible_units_query(user)
    if units is None:  # sees every unit
        return None
    rule = Q(owner_unit_id__in=units) | Q(created_by_id=user.pk)
    if entity.shareable and action == "view":
        rule |= Q(is_shared=True)
    return rule | grants_q(user, entity, action)


def scoped_queryset(
    user: Any, entity: Entity, action: str = "view", queryset: QuerySet | None = None
) -> QuerySet:
    """Rows of `entity` that `user` may act on; the only way rows are fetched."""
    if queryset is None:
        queryset = registry.model_for(entity)._default_manager.all()
    rule = scope_q(user, entity, action)
    if rule is None:
        return queryset
    if rule is EMPTY:
        return queryset.none()
    return queryset.filter(Scope(rule))  # pages walk the rows, counts use indexes (rulesql.py)


def can(user: Any, entity: Entity, action: str, instance: Model | None = None) -> bool:
    """Whether `user` may do `action` (on `instance`, when given)."""
    if instance is None:
        if action == "add":
            return bool(
                user
                and user.is_authenticated
                and (user.is_superuser or has_role_permission(user, entity, "add"))
            )
        return scope_q(user, entity, action) != EMPTY
    return scoped_queryset(user, entity, action).filter(pk=instance.pk).exists()


def row_visible_from_snapshot(user: Any, entity: Entity, snapshot: dict[str, Any]) -> bool:
    """Visibility of a row from its values alone (e.g. a deleted row's last values)."""
    return snapshot_rule(user, entity)(snapshot)


SnapshotRule = Callable[[dict[str, Any]], bool]


def snapshot_rule(user: Any, entity: Entity, action: str = "view") -> SnapshotRule:
    """`scope_q` as a plain function of a row's values (id, owner unit, creator, shared flag).

    Built once, with the queries it needs (the user's units, their grants), then
    checked in pure Python: a live event reaching thousands of sockets is judged
    for each of them without a query. Rebuild it when the rule may have changed
    (`authcache.current_generation()` moves).
    """
    if not (user and user.is_authenticated and user.is_active):
        return _nothing
    if user.is_superuser:
        return _everything
    rows = registry.model_for(entity)._default_manager.filter(grants_q(user, entity, action))
    granted = set(rows.values_list("pk", flat=True))
    if not has_role_permission(user, entity, action):
        return lambda row: row.get("id") in granted
    if not entity.unit_scoped:
        return _everything
    units = directory().visible_unit_ids(user)
    if units is None:
        return _everything
    user_id, shared = user.pk, entity.shareable and action == "view"
    return lambda row: (
        row.get("owner_unit_id") in units
        or row.get("created_by_id") == user_id
        or bool(shared and row.get("is_shared"))
        or row.get("id") in granted
    )


def _nothing(row: dict[str, Any]) -> bool:
    return False


def _everything(row: dict[str, Any]) -> bool:
    return True
