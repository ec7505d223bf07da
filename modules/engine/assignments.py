"""Actors and assignees: who a record says did something, and who it gives work to.

Declared on links (`Field.actor`, `Field.delegations`, `Field.assignee`) and enforced
in one place, `services.save_record`, so the admin, GraphQL and module code meet the
same rule:

- an actor link ("assigned by") names the current user (or their person record). On
  create an empty one is filled in with them; another person is accepted only when a
  declared `Delegation` lets the recorder speak for them (a secretary for a leader
  above them), else the write fails with a `NOT_ALLOWED` field error;
- each person newly named in an assignee link must be able to see the record under
  `access.scoped_queryset`. If they cannot, the assignment is refused with an
  `OUT_OF_SCOPE` field error naming them, or, where the declaration says the assigning
  person's role may (`Assignee.grant_by`), they get a guardian object grant, noted in
  the record's history.

Module code writing without a user (a public intake, a job) is trusted: nothing is
checked or filled then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q, QuerySet

from . import registry
from .access import codename, directory, scoped_queryset
from .definitions import USER, Entity, Field
from .display import display_name
from .errors import FieldProblem, InvalidInput

NOT_ALLOWED = "NOT_ALLOWED"
OUT_OF_SCOPE = "OUT_OF_SCOPE"


@dataclass
class Pending:
    """What `before_save` learned, for `after_save` to settle once the row is written."""

    assigned: list[tuple[Field, Any]] = field(default_factory=list)  # (link, person or user) newly named
    authorities: list[Any] = field(default_factory=list)  # whose roles decide a grant


def _declared(entity: Entity) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    return _declared_by_label(entity.label)


@cache
def _declared_by_label(label: str) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    entity = registry.entity_by_label(label)
    actors = tuple(f for f in entity.fields if f.actor)
    assignees = tuple(f for f in entity.fields if f.assignee is not None)
    return actors, assignees


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.pk)


def _roles(user: Any) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _target_model(spec: Field) -> type[models.Model]:
    if spec.target == USER:
        return get_user_model()
    from django.apps import apps

    return apps.get_model(spec.target)


def actor_value(user: Any, spec: Field) -> Any:
    """What an actor link holds for `user`: the account itself, or their person record."""
    if spec.target == USER:
        return user
    person = directory().person_of(user)
    return person if isinstance(person, _target_model(spec)) else None


def delegators(user: Any, spec: Field) -> QuerySet:
    """Accounts `user` may name in the actor link `spec` besides themselves (declared delegations)."""
    accounts = get_user_model().objects
    rule = Q(pk__in=[])
    mine = _roles(user) if spec.delegations else set()
    for delegation in spec.delegations:
        if not mine & set(delegation.by):
            continue
        holders = Group.user_set.through.objects.filter(group__name__in=delegation.for_roles)
        part = Q(pk__in=holders.values("user_id"), is_active=True)
        units = directory().units_within(user, delegation.within)
        if units is not None:
            part &= Q(pk__in=directory().users_in(units))
        rule |= part
    return accounts.filter(rule)


def actor_choices(user: Any, spec: Field) -> QuerySet | None:
    """Rows an actor picker offers: the user and whom they may record for (None: no limit)."""
    if not _signed_in(user) or user.is_superuser:
        return None
    ids = get_user_model().objects.filter(Q(pk=user.pk) | Q(pk__in=delegators(user, spec).values("pk")))
    return directory().accounts_query(_target_model(spec), ids.values("pk"))


def initial_actors(entity: Entity, user: Any) -> dict[str, Any]:
    """An add form's starting values: each input actor link names the user."""
    if not _signed_in(user):
        return {}
    initial = {}
    for spec in _declared(entity)[0]:
        value = None if spec.computed else actor_value(user, spec)
        if value is not None:
            initial[spec.name] = value.pk
    return initial


def fill_actors(entity: Entity, user: Any, instance: models.Model) -> None:
    """On create, an empty actor link is the current user (before validation asks for it)."""
    if not _signed_in(user):
        return
    for spec in _declared(entity)[0]:
        if spec.computed or getattr(instance, f"{spec.name}_id") is not None:
            continue
        value = actor_value(user, spec)
        if value is not None:
            setattr(instance, spec.name, value)


def _stored(entity: Entity, instance: models.Model, links: list[Field]) -> dict[str, Any]:
    """The row's stored link ids (before this write), one query for the single links."""
    names = [f"{spec.name}_id" for spec in links if spec.kind == "link"]
    row = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first() if names else None
    stored: dict[str, Any] = dict(row or {})
    for spec in links:
        if spec.kind == "multilink":
            stored[spec.name] = set(getattr(instance, spec.name).values_list("pk", flat=True))
    return stored


def _refusal(spec: Field, named: Any) -> FieldProblem:
    who = directory().name_of(named) if named is not None else "?"
    return FieldProblem(
        spec.name,
        NOT_ALLOWED,
        f"«{spec.label_vi}» phải là chính bạn; bạn không được ghi thay {who}. / "
        f"“{spec.label_en}” must be yourself; you may not record on behalf of {who}.",
    )


def before_save(
    entity: Entity,
    user: Any,
    instance: models.Model,
    *,
    created: bool,
    multilinks: dict[str, list[models.Model]] | None = None,
) -> Pending | None:
    """Fill and judge the actor links; note who is newly assigned. Raises InvalidInput."""
    actors, assignees = _declared(entity)
    if not (actors or assignees) or not _signed_in(user):
        return None
    if created:
        fill_actors(entity, user, instance)
    stored = {} if created else _stored(entity, instance, [*actors, *assignees])
    pending = Pending(authorities=[user])
    problems: list[FieldProblem] = []
    for spec in actors:
        value_id = getattr(instance, f"{spec.name}_id")
        if value_id is None or (not created and stored.get(f"{spec.name}_id") == value_id):
            continue
        named = directory().account_of(getattr(instance, spec.name))
        if named is not None and (named.pk == user.pk or user.is_superuser):
            continue
        if named is not None and delegators(user, spec).filter(pk=named.pk).exists():
            pending.authorities.append(named)  # the leader's word, recorded by their secretary
            continue
        problems.append(_refusal(spec, named))
    if problems:
        raise InvalidInput(problems)
    for spec in assignees:
        if spec.kind == "link":
            value_id = getattr(instance, f"{spec.name}_id")
            if value_id is not None and (created or stored.get(f"{spec.name}_id") != value_id):
                pending.assigned.append((spec, getattr(instance, spec.name)))
        elif multilinks and spec.name in multilinks:
            before = stored.get(spec.name, set())
            pending.assigned += [(spec, row) for row in multilinks[spec.name] if row.pk not in before]
    return pending


def after_save(entity: Entity, user: Any, instance: models.Model, pending: Pending | None) -> None:
    """Each person newly assigned sees the written row, or is granted it, or the write fails."""
    if pending is None or not pending.assigned:
        return
    problems: list[FieldProblem] = []
    granted: list[Any] = []
    for spec, target in pending.assigned:
        account = directory().account_of(target)
        if account is not None and scoped_queryset(account, entity, "view").filter(pk=instance.pk).exists():
            continue
        if account is not None and _may_grant(spec, pending.authorities):
            _grant(entity, account, instance, spec.assignee.grant)
            granted.append(account)
            continue
        who = directory().name_of(account) if account is not None else str(target)
        problems.append(
            FieldProblem(
                spec.name,
                OUT_OF_SCOPE,
                f"{who} không xem được bản ghi này (khác đơn vị), nên không giao được. / "
                f"{who} cannot see this record (another unit), so it cannot be assigned to them.",
            )
        )
    if problems:
        raise InvalidInput(problems)
    if granted:
        _note_in_history(entity, instance, granted)


def _may_grant(spec: Field, authorities: list[Any]) -> bool:
    grant_by = set(spec.assignee.grant_by)
    if not grant_by:
        return False
    return any(a.is_superuser or _roles(a) & grant_by for a in authorities)


def _grant(entity: Entity, account: Any, instance: models.Model, actions: tuple[str, ...]) -> None:
    grants = registry.classes_for(entity)[f"{entity.name}UserObjectPermission"]
    model_name = type(instance)._meta.model_name
    for action in actions:
        permission = Permission.objects.get(
            content_type__app_label=entity.app_label,
            content_type__model=model_name,
            codename=codename(entity, action),
        )
        grants.objects.get_or_create(user=account, permission=permission, content_object=instance)


def _note_in_history(entity: Entity, instance: models.Model, granted: list[Any]) -> None:
    """The grant is part of this write: say so on the history row the save just wrote."""
    if not entity.history:
        return
    row = instance.history.order_by("-history_id").first()
    if row is None:
        return
    names = ", ".join(display_name(account) for account in granted)
    note = f"cấp quyền xem / view granted: {names}"
    reason = f"{row.history_change_reason}; {note}" if row.history_change_reason else note
    type(row).objects.filter(pk=row.pk).update(history_change_reason=reason[:100])
