"""Give each declared role (a Django group named by its code) its declared permissions.

Runs after every migrate. It only adds: permissions an administrator removed
in the admin are re-added on the next migrate only if still declared.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from . import registry
from .factory import transition_codename


def declared_grants() -> dict[str, set[tuple[str, str, str]]]:
    """role code -> {(app_label, model_name, codename)} from every definition."""
    grants: dict[str, set[tuple[str, str, str]]] = {}
    for entity in registry.entities():
        model_name = entity.name.lower()
        for role, actions in entity.permissions.items():
            for action in actions:
                grants.setdefault(role, set()).add((entity.app_label, model_name, f"{action}_{model_name}"))
        if entity.workflow:
            for t in entity.workflow.transitions:
                for role in t.roles:
                    grants.setdefault(role, set()).add(
                        (entity.app_label, model_name, transition_codename(entity, t.name))
                    )
    return grants


def sync_roles(sender: Any = None, **kwargs: Any) -> None:
    """post_migrate receiver; also callable directly (e.g. from seed_demo)."""
    using = kwargs.get("using", "default")
    for role, perms in declared_grants().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for app_label, model_name, codename in sorted(perms):
            try:
                ct = ContentType.objects.db_manager(using).get_by_natural_key(app_label, model_name)
            except ContentType.DoesNotExist:
                continue
            perm = Permission.objects.using(using).filter(content_type=ct, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)
