"""Object grants on documents: the secret register's readers and a direction's lead unit.

A secret document's entity gives no role a right to view it (`definition.py`): the engine's
one rule (`access.scoped_queryset`) then admits only people holding a guardian grant on the
row, on every route (lists, by id, search, exports, files, subscriptions).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission

from modules.engine import registry
from modules.engine.access import codename
from modules.engine.definitions import Entity


def grant(entity: Entity, account: Any, instance: Any, actions: tuple[str, ...]) -> None:
    """Give `account` the object permissions `actions` on `instance` (idempotent)."""
    table = registry.classes_for(entity)[f"{entity.name}UserObjectPermission"]
    model_name = type(instance)._meta.model_name
    for action in actions:
        permission = Permission.objects.get(
            content_type__app_label=entity.app_label,
            content_type__model=model_name,
            codename=codename(entity, action),
        )
        table.objects.get_or_create(user=account, permission=permission, content_object=instance)


def unit_heads(unit: Any) -> list[Any]:
    """The accounts of the unit heads working in `unit` (who assign its handlers)."""
    people = registry.model_for("org.Person").objects.filter(owner_unit=unit, roles__name="unit_head")
    return [p.user for p in people.select_related("user") if p.user_id]
