"""What a link picker offers: exactly the rows the write path would accept for that link.

One rule for every picker (the admin's autocomplete, GraphQL lookups): the caller may
ask when they may add or change the record that holds the link, and the candidates are
- the owner unit: the units they may assign records to;
- an actor link ("assigned by"): themselves and the leaders they may record for
  (`assignments.actor_choices`);
- an assignee link: people who could see a record of the caller's units (their units,
  the units above them, and whoever sees every unit), all of them when the caller's role
  may grant the record (`Assignee.grant_by`); the write still judges the saved row;
- any other link: `services._target_queryset`, the rows the caller can see.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from . import assignments, registry, search
from .access import can, codename, directory, has_role_permission, scoped_queryset
from .definitions import Entity, Field
from .errors import FieldProblem, InvalidInput, PermissionDenied

NO_SUCH_LINK = "Không có trường liên kết này. / No such link field."
MAY_NOT_PICK = (
    "Bạn không có quyền thêm hoặc sửa bản ghi này nên không chọn được giá trị. / "
    "You may not add or change this record, so you cannot pick values for it."
)


def may_pick(user: Any, entity: Entity) -> bool:
    """Pickers serve whoever may fill the form: add the record, or change some of them."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if can(user, entity, "add"):
        return True
    if has_role_permission(user, entity, "change"):
        return True
    return scoped_queryset(user, entity, "change").exists()  # object grants alone


def _spec(entity: Entity, name: str) -> Field:
    spec = next((f for f in entity.fields if f.name == name), None)
    if spec is None or spec.kind not in ("link", "multilink"):
        raise InvalidInput([FieldProblem(name, "NOT_FOUND", NO_SUCH_LINK)])
    return spec


def _owner_units(user: Any) -> QuerySet:
    unit_model = apps.get_model(settings.ONEMST_UNIT_MODEL)
    units = directory().visible_unit_ids(user)
    queryset = unit_model._default_manager.all()
    return queryset if units is None or user.is_superuser else queryset.filter(pk__in=sorted(units))


def _viewers(entity: Entity) -> Q:
    """Accounts whose role (or own permission) lets them view the entity at all."""
    model_name = registry.model_for(entity)._meta.model_name
    permission = Permission.objects.filter(
        content_type__app_label=entity.app_label,
        content_type__model=model_name,
        codename=codename(entity, "view"),
    ).values("pk")
    return Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)


def _assignee_accounts(user: Any, entity: Entity, spec: Field) -> QuerySet:
    """Accounts the caller may name as responsible (before the record's unit is known)."""
    accounts = get_user_model().objects.filter(is_active=True)
    roles = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or roles & set(spec.assignee.grant_by):
        return accounts  # the write grants the record to whoever is named
    seen = directory().visible_unit_ids(user)
    rule = _viewers(entity)
    if seen is not None:
        near = Q(pk__in=directory().users_in(directory().units_within(user, "below")))
        near |= Q(pk__in=directory().users_in(directory().units_within(user, "above")))
        everyone = getattr(directory(), "users_seeing_all", None)
        if everyone is not None:
            near |= Q(pk__in=everyone())
        rule &= near
    return accounts.filter(pk__in=get_user_model().objects.filter(rule).values("pk"))


def _candidates(user: Any, entity: Entity, spec: Field) -> QuerySet:
    from .services import _target_queryset

    if spec.actor:
        actors = assignments.actor_choices(user, spec)
        if actors is not None:
            return actors
    if spec.assignee is not None:
        ids = _assignee_accounts(user, entity, spec).values("pk")
        return directory().accounts_query(assignments._target_model(spec), ids)
    return _target_queryset(user, spec)


def _search(queryset: QuerySet, term: str) -> QuerySet:
    """Rows matching every word of `term`, diacritics ignored (`search`, as the admin does)."""
    model = queryset.model
    if model is not get_user_model():
        target = registry.entity_for(model)
        if target is not None and search.columns(target):
            return queryset.filter(search.matches(term))
        columns = ["name"] if any(f.name == "name" for f in model._meta.fields) else ["pk"]
        named = None
    else:
        columns = ["username", "first_name", "last_name", "email"]
        named = getattr(directory(), "accounts_named", None)  # the person's full name
    for word in term.split():
        rule = Q()
        for column in columns:
            rule |= Q(**{f"{column}__icontains": word})
        if named is not None:
            rule |= Q(pk__in=named(word))
        queryset = queryset.filter(rule)
    return queryset


def link_choices(user: Any, entity: Entity, field: str, term: str = "") -> QuerySet:
    """The rows `user` may put in `entity.field`, matching `term`; PermissionDenied when the
    user may neither add nor change `entity` records."""
    if not may_pick(user, entity):
        raise PermissionDenied(MAY_NOT_PICK)
    if field == "owner_unit" and entity.unit_scoped:
        spec, queryset = None, _owner_units(user)
    else:
        spec = _spec(entity, field)
        queryset = _candidates(user, entity, spec)
    if term.strip():
        queryset = _search(queryset, term.strip())
    ordering = [o for o in queryset.model._meta.ordering if o not in ("pk", "-pk")]
    return queryset.distinct().order_by(*ordering, "pk")
