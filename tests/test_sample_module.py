"""A module declared only in tests/sample_module/definition.py gets everything, with no other code."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.db import transaction

from modules.engine import registry, services
from modules.engine.events import record_committed
from schema.schema import schema

pytestmark = pytest.mark.django_db

SAMPLE_DIR = Path(__file__).parent / "sample_module"


def test_the_module_is_only_a_definition():
    files = sorted(p.name for p in SAMPLE_DIR.glob("*.py"))
    assert files == ["__init__.py", "apps.py", "definition.py"]


def test_model_with_standard_columns():
    model = registry.model_for("sample.SampleProject")
    names = {f.name for f in model._meta.get_fields()}
    assert {
        "id",
        "number",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "owner_unit",
        "is_shared",
        "state",
        "version",
        "title",
        "partner_units",
        "milestones",
        "history",
    } - {"history"} <= names
    assert model._meta.get_field("number").unique
    assert registry.classes_for(registry.entity_by_label("sample.SampleProject"))["SampleProjectMilestones"]
    assert hasattr(model, "history")


def test_admin_is_registered():
    for label in ("sample.SampleProject", "sample.SampleNote"):
        assert registry.model_for(label) in admin.site._registry


def test_graphql_types_mutations_and_subscription_exist():
    sdl = str(schema)
    for piece in (
        "type SampleProject ",
        "input SampleProjectFilter",
        "input SampleProjectOrder",
        "sampleProjects(",
        "sampleProjectsConnection(",
        "sampleProject(id: ID!)",
        "createSampleProject(",
        "updateSampleProject(",
        "deleteSampleProject(",
        "sampleProjectSubmit(",
        "sampleProjectApprove(",
        "sampleProjectChanged(",
        "type SampleProjectMilestones",
    ):
        assert piece in sdl, piece


def test_role_and_transition_permissions_are_declared():
    from django.contrib.auth.models import Group

    from modules.engine.roles import sync_roles

    sync_roles()
    head = Group.objects.get(name="unit_head")
    codes = set(head.permissions.values_list("codename", flat=True))
    assert {"transition_sampleproject_approve", "view_sampleproject", "change_sampleproject"} <= codes
    assert "delete_sampleproject" not in codes
    officer = Group.objects.get(name="provincial_officer")
    assert "transition_sampleproject_approve" not in set(
        officer.permissions.values_list("codename", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_events_go_out_only_after_commit(org):
    events = []

    def listen(sender, entity, action, snapshot, **kwargs):
        events.append((entity.label, action, snapshot["id"]))

    record_committed.connect(listen)
    try:
        entity = registry.entity_by_label("sample.SampleProject")
        with pytest.raises(RuntimeError), transaction.atomic():
            services.create_record(entity, org.officer_a, {"title": "rollback", "priority": "normal"})
            assert events == []  # not yet: still inside the transaction
            raise RuntimeError("abort")
        assert events == []
        project = services.create_record(entity, org.officer_a, {"title": "kept", "priority": "normal"})
        assert events == [("sample.SampleProject", "created", project.pk)]
    finally:
        record_committed.disconnect(listen)
