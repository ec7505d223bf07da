"""Batched writes (engine/batch.py): a bulk import looks each link target up once, yet every row
is still judged by the write path's rule (a link names only a record the user may see), a
target one user may see is not lent to another, and a refused row's records are forgotten with
it. Also: object grants are written in one statement and a repeated grant is a no-op."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from modules.engine import batch, registry, services
from modules.engine.errors import InvalidInput

pytestmark = pytest.mark.django_db


def project(user, title: str):
    return services.create_record(
        registry.entity_by_label("sample.SampleProject"), user, {"title": title, "priority": "normal"}
    )


def note(user, text: str, project_id):
    return services.create_record(
        registry.entity_by_label("sample.SampleNote"), user, {"text": text, "project": project_id}
    )


def project_queries(target, user, count: int) -> int:
    """Queries on the projects' table spent writing `count` notes that all link to `target`."""
    with CaptureQueriesContext(connection) as queries:
        for i in range(count):
            with batch.row():
                note(user, f"n{i}", target.pk)
    table = registry.model_for("sample.SampleProject")._meta.db_table
    return sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"])


def test_a_batch_looks_a_shared_link_target_up_once(org):
    """Each note's link is judged twice one by one (visible to the user: the write path's rule;
    exists: `full_clean`); in a batch both are asked once for the one target of five rows."""
    mine = project(org.officer_a, "Của tỉnh A")
    with transaction.atomic():
        one_by_one = project_queries(mine, org.officer_a, 5)
        transaction.set_rollback(True)
    with transaction.atomic(), batch.writing():
        batched = project_queries(mine, org.officer_a, 5)
        transaction.set_rollback(True)
    assert (one_by_one, batched) == (10, 2)


def test_in_a_batch_a_link_to_another_provinces_record_is_refused_as_one_by_one(org):
    mine = project(org.officer_a, "Của tỉnh A")
    theirs = project(org.officer_b, "Của tỉnh B")
    with transaction.atomic(), batch.writing():
        with batch.row():
            note(org.officer_a, "được", mine.pk)
        with pytest.raises(InvalidInput) as refused, batch.row():
            note(org.officer_a, "tấn công", theirs.pk)
        assert [(p.field, p.code) for p in refused.value.problems] == [("project", "NOT_FOUND")]
        # what officer A was found to see is not lent to officer B in the same batch
        with pytest.raises(InvalidInput) as lent, batch.row():
            note(org.officer_b, "mượn", mine.pk)
        assert [(p.field, p.code) for p in lent.value.problems] == [("project", "NOT_FOUND")]
    model = registry.model_for("sample.SampleNote")
    assert list(model.objects.values_list("text", flat=True)) == ["được"]


def test_a_refused_rows_record_is_forgotten_by_the_batch(org):
    """A row creates a project, links a note to it, then fails: the savepoint removes both, and
    a later row naming that project's id is refused (not linked to a record that is gone)."""
    with transaction.atomic(), batch.writing():
        with pytest.raises(RuntimeError), batch.row():
            gone = project(org.officer_a, "Sẽ bị huỷ")
            note(org.officer_a, "trên dự án sẽ huỷ", gone.pk)
            raise RuntimeError("the row is refused after its writes")
        with pytest.raises(InvalidInput) as refused, batch.row():
            note(org.officer_a, "trỏ vào dự án đã huỷ", gone.pk)
        assert [(p.field, p.code) for p in refused.value.problems] == [("project", "NOT_FOUND")]
    assert not registry.model_for("sample.SampleProject").objects.filter(pk=gone.pk).exists()
    assert not registry.model_for("sample.SampleNote").objects.exists()


def test_object_grants_take_one_statement_and_a_repeat_is_a_no_op(org):
    from django.contrib.auth.models import Group

    from modules.engine import object_grants

    entity = registry.entity_by_label("sample.SampleProject")
    row = project(org.officer_a, "Được cấp quyền")
    group = Group.objects.create(name="doi-tac-1")
    grants = registry.classes_for(entity)["SampleProjectGroupObjectPermission"]
    with CaptureQueriesContext(connection) as queries:
        object_grants.grant_group(entity, group, row, ("view", "change"))
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    object_grants.grant_group(entity, group, row, ("view", "change"))  # granted again: kept once
    assert grants.objects.filter(group=group, content_object=row).count() == 2


def test_a_party_group_made_by_a_refused_row_is_made_again(org):
    """The batch asks a party's group once, but a group a refused row made is gone with it: the
    next row gets a group that exists, not the rolled-back one."""
    from django.contrib.auth.models import Group

    from modules.engine import object_grants

    with transaction.atomic(), batch.writing():
        with pytest.raises(RuntimeError), batch.row():
            lost = object_grants.party_group("doi-tac", 7)
            raise RuntimeError("the row is refused")
        with batch.row():
            kept = object_grants.party_group("doi-tac", 7)
            assert object_grants.party_group("doi-tac", 7) is kept  # asked once in the batch
    assert list(Group.objects.filter(name="doi-tac-7").values_list("pk", flat=True)) == [kept.pk]
    assert Group.objects.filter(pk=lost.pk).exists() == (lost.pk == kept.pk)
