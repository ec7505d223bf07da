"""Object grants to a group: a party outside the unit tree sees exactly the rows it is given.

`access.scope_q` already admits a row through a guardian grant held by one of the user's
groups (the direct-FK `<Entity>GroupObjectPermission` tables). A party from outside the
ministry (an applicant organisation, a contractor) is a group; its rows are granted to it
when they are written, and nothing else is visible to its members unless their role says so.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models

from . import batch, registry
from .access import codename
from .authcache import invalidate
from .definitions import Entity


def party_group(prefix: str, pk: Any) -> Group:
    """The group standing for one party (e.g. `stm-org-12`), made on first use."""
    name = f"{prefix}-{pk}"
    return batch.cached(("group", name), lambda: Group.objects.get_or_create(name=name)[0])


def _permissions(entity: Entity, model_name: str, actions: tuple[str, ...]) -> list[Permission]:
    """The permission rows of `actions` on the entity (read once per batch)."""
    return batch.cached(
        ("permissions", entity.label, model_name, *actions),
        lambda: list(
            Permission.objects.filter(
                content_type__app_label=entity.app_label,
                content_type__model=model_name,
                codename__in=[codename(entity, action) for action in actions],
            )
        ),
    )


def grant_group(entity: Entity, group: Group, instance: models.Model, actions: tuple[str, ...]) -> None:
    """Give `group` the actions on one row (`view`, `change`, `transition:<name>`)."""
    grants = registry.classes_for(entity)[f"{entity.name}GroupObjectPermission"]
    model_name = type(instance)._meta.model_name
    permissions = _permissions(entity, model_name, actions)
    # one INSERT for all the actions; a grant already held is kept (the unique constraint on
    # group, permission and row makes a repeat a no-op), so a bulk import pays one query a row
    rows = [grants(group=group, permission=p, content_object=instance) for p in permissions]
    if not batch.gather_grants(grants, rows):  # a bulk write inserts them once a table
        grants.objects.bulk_create(rows, ignore_conflicts=True)


def grant_user(entity: Entity, user: Any, instance: models.Model, actions: tuple[str, ...]) -> None:
    """Give one account the actions on one row (a member's own ballot, an expert's profile)."""
    grants = registry.classes_for(entity)[f"{entity.name}UserObjectPermission"]
    model_name = type(instance)._meta.model_name
    permissions = _permissions(entity, model_name, actions)
    rows = [grants(user=user, permission=p, content_object=instance) for p in permissions]
    if not batch.gather_grants(grants, rows):
        grants.objects.bulk_create(rows, ignore_conflicts=True)


def join(group: Group, user: Any) -> None:
    """Make `user` a member of the party; cached permissions are dropped."""
    user.groups.add(group)
    invalidate()
