"""Give each declared role (a Django group named by its code) its declared permissions.

Runs after every migrate. It only adds: permissions an administrator removed
in the admin are re-added on the next migrate only if still declared.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

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


def sync_roles_after_last_app(sender: Any = None, **kwargs: Any) -> None:
    """post_migrate receiver: the signal comes once per app, and the roles need every app's
    permissions, so sync once, after the last app's (whose permissions exist by then)."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender is with_models[-1]:
        sync_roles(sender, **kwargs)


def sync_roles(sender: Any = None, **kwargs: Any) -> None:
    """Called after migrate (by `sync_roles_after_last_app`) and directly (e.g. from seed_demo).

    A few queries per role, however many grants: it runs after every migrate, after every
    flush (each transactional test's teardown) and in most tests' setup, and one query per
    grant made that the suite's largest cost.
    """
    using = kwargs.get("using", "default")
    grants = declared_grants()
    apps_named = {app_label for perms in grants.values() for app_label, _, _ in perms}
    existing = {
        (perm.content_type.app_label, perm.content_type.model, perm.codename): perm
        for perm in Permission.objects.using(using)
        .select_related("content_type")
        .filter(content_type__app_label__in=apps_named)
    }
    for role, perms in grants.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = [existing[key] for key in sorted(perms) if key in existing]
        group.permissions.add(*wanted)


def declared_roles() -> list[tuple[str, str, str]]:
    """Every role as (code, label_vi, label_en), for pickers: the directory's roles in its
    order (settings.ONEMST_DIRECTORY's `roles()`), then any other role a definition grants
    something to, labelled by its code."""
    from .access import directory

    offered = getattr(directory(), "roles", None)
    found = [(r.code, r.label_vi, r.label_en) for r in (offered() if offered is not None else ())]
    known = {code for code, _, _ in found}
    found += [(code, code, code) for code in sorted(declared_grants()) if code not in known]
    return found
