"""Roles get their declared permissions after every migrate and flush, in a few queries.

`sync_roles` runs after each migrate and each flush (every transactional test's teardown)
and in most tests' setup. It once cost a query per grant, and ran once per app on each
flush: about 7,000 queries, the largest part of the suite's time. These tests hold what it
must still do (every declared grant, after a migrate's signal too) and what it may cost.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

from modules.engine import registry
from modules.engine.roles import sync_roles


def _declared() -> dict[str, set[str]]:
    """role -> {"app.codename"}, read from the definitions (not from the code under test)."""
    wanted: dict[str, set[str]] = {}
    for entity in registry.entities():
        model = entity.name.lower()
        for role, actions in entity.permissions.items():
            wanted.setdefault(role, set()).update(f"{entity.app_label}.{a}_{model}" for a in actions)
        for transition in entity.workflow.transitions if entity.workflow else ():
            for role in transition.roles:
                wanted.setdefault(role, set()).add(f"{entity.app_label}.transition_{model}_{transition.name}")
    return wanted


def _granted(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_every_role_gets_every_declared_permission_and_only_adds():
    declared = _declared()
    assert "sample.transition_sampleproject_approve" in declared["unit_head"]  # tests/sample_module
    for role in declared:  # an administrator's removal, and an extra grant of their own
        Group.objects.get_or_create(name=role)[0].permissions.clear()
    extra = Permission.objects.get(codename="delete_sampleproject")
    Group.objects.get(name="provincial_officer").permissions.add(extra)
    sync_roles()
    for role, codes in declared.items():
        granted = _granted(role)
        assert codes <= granted, (role, sorted(codes - granted)[:5])
        assert granted - codes <= ({"sample.delete_sampleproject"} if role == "provincial_officer" else set())
    assert "sample.delete_sampleproject" not in _granted("unit_head")


@pytest.mark.django_db
def test_a_migrate_signal_gives_the_roles_back_their_permissions():
    """What `migrate` and `flush` send: one post_migrate per app; the roles end up complete."""
    declared = _declared()
    for role in declared:
        Group.objects.get(name=role).permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for role, codes in declared.items():
        assert codes <= _granted(role), role


@pytest.mark.django_db
def test_syncing_costs_a_few_queries_per_role_not_one_per_grant(django_assert_max_num_queries):
    declared = _declared()
    grants = sum(len(codes) for codes in declared.values())
    budget = 1 + 4 * len(declared)
    assert budget < grants / 3  # the old way (a query or two per grant) would not fit
    for role in declared:
        Group.objects.get(name=role).permissions.clear()
    with django_assert_max_num_queries(budget):
        sync_roles()
    with django_assert_max_num_queries(budget):  # all in place already: reads only
        sync_roles()
