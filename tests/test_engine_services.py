"""The write path: validation, scoping, numbering, optimistic locking, workflow, history."""

from __future__ import annotations

import pytest

from modules.engine import registry, services
from modules.engine.access import scoped_queryset
from modules.engine.errors import InvalidInput, NotFound, PermissionDenied, StaleVersion, TransitionRefused

pytestmark = pytest.mark.django_db

PROJECT = "sample.SampleProject"


def project(org, user=None, **values):
    entity = registry.entity_by_label(PROJECT)
    data = {"title": "Đề án chuyển đổi số", "priority": "normal", "budget": 1000} | values
    return services.create_record(entity, user or org.officer_a, data)


def test_create_numbers_owner_and_history(org):
    p = project(org)
    year = p.created_at.year
    assert p.number == f"DA-{year}-0001"
    assert p.owner_unit_id == org.province_a.pk
    assert p.state == "draft" and p.version == 1
    assert p.created_by == org.officer_a
    assert p.history.count() == 1 and p.history.first().history_user == org.officer_a
    assert project(org).number == f"DA-{year}-0002"


def test_required_and_typed_errors_write_nothing(org):
    entity = registry.entity_by_label(PROJECT)
    with pytest.raises(InvalidInput) as exc:
        services.create_record(entity, org.officer_a, {"title": "", "priority": "bogus", "progress": 150})
    fields = {p.field for p in exc.value.problems}
    assert {"title", "priority", "progress"} <= fields
    assert registry.model_for(entity).objects.count() == 0


def test_hook_validation_is_field_level(org):
    with pytest.raises(InvalidInput) as exc:
        project(org, budget=10**13)
    assert [p.field for p in exc.value.problems] == ["budget"]


def test_stale_update_is_refused(org):
    entity = registry.entity_by_label(PROJECT)
    p = project(org)
    services.update_record(entity, org.officer_a, p.pk, {"title": "Mới"}, version=1)
    with pytest.raises(StaleVersion):
        services.update_record(entity, org.officer_a, p.pk, {"title": "Ghi đè"}, version=1)
    p.refresh_from_db()
    assert p.title == "Mới" and p.version == 2


def test_other_province_cannot_see_or_update(org):
    entity = registry.entity_by_label(PROJECT)
    p = project(org)
    assert not scoped_queryset(org.officer_b, entity).filter(pk=p.pk).exists()
    with pytest.raises(NotFound):
        services.update_record(entity, org.officer_b, p.pk, {"title": "x"}, version=1)
    assert scoped_queryset(org.leader, entity).filter(pk=p.pk).exists()
    assert scoped_queryset(org.office_clerk, entity).filter(pk=p.pk).exists()  # the office sees all


def test_shared_rows_are_visible_but_read_only(org):
    entity = registry.entity_by_label(PROJECT)
    p = project(org, is_shared=True)
    assert scoped_queryset(org.officer_b, entity).filter(pk=p.pk).exists()
    with pytest.raises(PermissionDenied):
        services.update_record(entity, org.officer_b, p.pk, {"title": "x"}, version=1)


def test_cannot_assign_to_another_province(org):
    with pytest.raises(InvalidInput) as exc:
        project(org, owner_unit=org.province_b.pk)
    assert exc.value.problems[0].field == "owner_unit"


def test_cannot_link_invisible_rows(org):
    hidden = project(org, user=org.officer_b)
    note = registry.entity_by_label("sample.SampleNote")
    with pytest.raises(InvalidInput) as exc:
        services.create_record(note, org.officer_a, {"text": "x", "project": hidden.pk})
    assert exc.value.problems[0].field == "project"


def test_object_grant_opens_one_row(org):
    from guardian.shortcuts import assign_perm

    entity = registry.entity_by_label(PROJECT)
    p = project(org, user=org.officer_b)
    other = project(org, user=org.officer_b)
    assign_perm("sample.view_sampleproject", org.officer_a, p)
    visible = set(scoped_queryset(org.officer_a, entity).values_list("pk", flat=True))
    assert p.pk in visible and other.pk not in visible


def test_workflow_roles_guards_and_comments(org):
    entity = registry.entity_by_label(PROJECT)
    p = project(org, budget=None)
    with pytest.raises(TransitionRefused):  # guard: no budget
        services.fire_transition(entity, org.officer_a, p.pk, "submit", version=1)
    p = services.update_record(entity, org.officer_a, p.pk, {"budget": 5}, version=1)
    p = services.fire_transition(entity, org.officer_a, p.pk, "submit", version=2)
    assert p.state == "submitted"
    with pytest.raises(PermissionDenied):  # officers may not approve
        services.fire_transition(entity, org.officer_a, p.pk, "approve", version=3)
    with pytest.raises(InvalidInput):  # returning needs a comment
        services.fire_transition(entity, org.head_a, p.pk, "return_back", version=3)
    with pytest.raises(TransitionRefused):  # wrong source state
        services.fire_transition(entity, org.officer_a, p.pk, "submit", version=3)
    p = services.fire_transition(entity, org.head_a, p.pk, "approve", version=3)
    assert p.state == "approved"
    assert p.history.first().history_change_reason == "approve"


def test_children_and_multilinks_are_written_atomically(org):
    entity = registry.entity_by_label(PROJECT)
    with pytest.raises(InvalidInput) as exc:
        project(org, milestones=[{"name": "A"}, {"name": ""}])
    assert exc.value.problems[0].field == "milestones.1.name"
    assert registry.model_for(entity).objects.count() == 0
    p = project(
        org,
        milestones=[{"name": "A", "amount": 5}, {"name": "B"}],
        partner_units=[org.province_b.pk, org.department.pk],
    )
    assert [m.name for m in p.milestones.all()] == ["A", "B"]
    assert set(p.partner_units.values_list("pk", flat=True)) == {org.province_b.pk, org.department.pk}
