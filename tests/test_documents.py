"""Decree 30/2020 documents (domain.md §5): the incoming register and its numbering, the
duplicate warning, the registration timing rule, the handling slip with its task, and the
outgoing number given on release, in its legal form, gap-free, and recall.

Expected values come from the rules' text: numbers from 01 each year (Art. 15), the forms
`15/QĐ-BNV` and `05/BNV-VP`, "registered the same day, at the latest the next working day".
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from modules.documents import routing
from modules.engine import registry, services
from modules.engine.errors import InvalidInput, NotFound, TransitionRefused
from tests.conftest import make_user
from tests.documents_helpers import (
    at,
    draft,
    fire,
    incoming_entity,
    outgoing_entity,
    register,
    release,
)

pytestmark = pytest.mark.django_db


# --- incoming register ---------------------------------------------------------------


def test_incoming_numbers_run_from_1_each_year_per_receiving_agency(org, legal_days):
    with time_machine.travel(at(dt.date(2026, 12, 30)), tick=False):
        first = register(org.office_clerk, number_symbol="01/TB-BTC")
        second = register(org.office_clerk, number_symbol="02/TB-BTC")
        province = register(org.officer_a, number_symbol="03/TB-BTC")
    with time_machine.travel(at(dt.date(2027, 1, 4)), tick=False):
        new_year = register(org.office_clerk, number_symbol="04/TB-BTC")
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert province.arrival_number == 1  # the province's own register
    assert new_year.arrival_number == 1  # numbering restarts on 1 January


def test_a_document_registered_twice_is_flagged_with_a_link_to_the_first(org, legal_days):
    first = register(org.office_clerk, issuer_name="Bộ Tài chính", number_symbol="15/QĐ-BTC")
    # the same number, symbol and issuer, typed another way
    again = register(org.office_clerk, issuer_name="bộ tài chính", number_symbol="Số: 15 / qđ-btc")
    other_issuer = register(org.office_clerk, issuer_name="Bộ Nội vụ", number_symbol="15/QĐ-BTC")
    other_number = register(org.office_clerk, issuer_name="Bộ Tài chính", number_symbol="16/QĐ-BTC")
    assert again.duplicate_of_id == first.pk
    assert first.duplicate_of_id is None
    assert other_issuer.duplicate_of_id is None
    assert other_number.duplicate_of_id is None


def test_registration_later_than_the_next_working_day_is_late(org, legal_days):
    friday = dt.date(2026, 11, 27)  # arrived on a Friday: the next working day is Monday 30/11
    with time_machine.travel(at(dt.date(2026, 11, 30)), tick=False):
        on_monday = register(org.office_clerk, arrival_date=at(friday), issued_date=friday)
    with time_machine.travel(at(dt.date(2026, 12, 1)), tick=False):
        on_tuesday = register(org.office_clerk, arrival_date=at(friday), issued_date=friday)
    with time_machine.travel(at(friday, 16), tick=False):
        same_day = register(org.office_clerk, arrival_date=at(friday), issued_date=friday)
    assert (on_monday.register_by, on_monday.registered_late) == (dt.date(2026, 11, 30), False)
    assert on_tuesday.registered_late is True
    assert same_day.registered_late is False
    model = registry.model_for("documents.IncomingDocument")
    late = model.objects.filter(registered_late=True)  # the report of late registrations
    assert list(late.values_list("pk", flat=True)) == [on_tuesday.pk]


def test_arrival_before_the_document_date_is_a_field_error(org, legal_days):
    with pytest.raises(InvalidInput) as refused:
        register(org.office_clerk, issued_date=dt.date.today() + dt.timedelta(days=5))
    assert [p.field for p in refused.value.problems] == ["arrival_date"]


def test_a_secret_document_goes_to_its_own_register_and_series(org, legal_days):
    plain = register(org.office_clerk)
    secret = register(org.office_clerk, secret=True, number_symbol="07/QĐ-BQP")
    assert (plain.arrival_number, secret.arrival_number) == (1, 1)
    with pytest.raises(InvalidInput) as refused:  # the ordinary register holds no secret document
        register(org.office_clerk, confidentiality="mat")
    assert [p.field for p in refused.value.problems] == ["confidentiality"]


# --- routing (phiếu xử lý) -------------------------------------------------------------------


def test_routing_writes_the_slip_and_a_direction_with_a_deadline_creates_a_task(org, legal_days):
    entity = incoming_entity()
    doc = register(org.office_clerk, urgency="hoa_toc")
    doc = routing.propose(entity, org.office_clerk, doc.pk, doc.version, note="Đề xuất giao Sở Hà Nội")
    deadline = dt.date.today() + dt.timedelta(days=20)
    doc = routing.direct(
        entity,
        org.leader,
        doc.pk,
        doc.version,
        lead_unit=org.province_a,
        coordinating_units=[org.department],
        deadline=deadline,
        instructions="Sở chủ trì, báo cáo Bộ.",
    )
    # the lead unit's head was given the document and names the handler
    doc = routing.assign(entity, org.head_a, doc.pk, doc.version, handler=org.officer_a, note="Giao anh A")
    assert doc.state == "assigned"
    steps = list(doc.steps.order_by("position"))
    assert [(s.kind, s.actor_id) for s in steps] == [
        ("propose", org.office_clerk.pk),
        ("direct", org.leader.pk),
        ("assign", org.head_a.pk),
    ]
    assert all(s.at is not None for s in steps)
    task = steps[1].task
    assert task is not None
    assert (task.owner_unit_id, task.deadline, task.assigned_by_id) == (
        org.province_a.pk,
        deadline,
        org.leader.pk,
    )
    assert task.priority == "urgent"  # Hỏa tốc
    assert list(task.coordinating_units.all()) == [org.department]
    assert task.source_number == "15/QĐ-BTC"
    # the handler sees the document; another province does not
    seen = services.fetch_for(entity, org.officer_a, doc.pk, "view")
    assert seen.pk == doc.pk
    with pytest.raises(NotFound):
        services.fetch_for(entity, org.officer_b, doc.pk, "view")
    # the handler finishes
    doc = routing.finish(entity, org.officer_a, doc.pk, doc.version, note="Đã báo cáo")
    assert doc.state == "finished"


def test_a_direction_without_a_deadline_creates_no_task(org, legal_days):
    entity = incoming_entity()
    doc = register(org.office_clerk)
    doc = routing.direct(entity, org.leader, doc.pk, doc.version, lead_unit=org.department)
    assert doc.steps.get().task is None
    assert not registry.model_for("tasks.Task").objects.exists()


def test_a_unit_head_cannot_direct_another_units_document(org, legal_days):
    entity = incoming_entity()
    doc = register(org.office_clerk)
    with pytest.raises(NotFound):
        routing.direct(entity, org.head_a, doc.pk, doc.version, lead_unit=org.province_a)
    doc.refresh_from_db()
    assert (doc.state, doc.steps.count()) == ("registered", 0)


def test_a_secret_documents_task_does_not_carry_its_subject(org, legal_days):
    entity = incoming_entity(secret=True)
    doc = register(org.office_clerk, secret=True, readers=[org.leader.pk])
    deadline = dt.date.today() + dt.timedelta(days=10)
    routing.direct(entity, org.leader, doc.pk, doc.version, lead_unit=org.province_a, deadline=deadline)
    task = registry.model_for("tasks.Task").objects.get()
    assert "Quyết định phân bổ" not in task.title + task.content
    assert task.source_number == ""
    assert str(doc.arrival_number) in task.title


# --- outgoing -----------------------------------------------------------------------------


def test_an_outgoing_document_is_numbered_only_on_release_in_its_legal_form(org, legal_days):
    decision = draft(org.office_clerk, org.leader)
    letter = draft(
        org.office_clerk, org.leader, doc_type="cong_van", drafting_unit_code="VP", subject="Về việc góp ý"
    )
    assert decision.number_symbol == "" and decision.seq is None
    decision = release(org, decision)
    letter = release(org, letter)
    assert decision.number_symbol == "01/QĐ-BKHCN"
    assert letter.number_symbol == "02/BKHCN-VP"
    assert decision.released_on == dt.date.today()


def test_a_letter_needs_its_drafting_unit(org, legal_days):
    with pytest.raises(InvalidInput) as refused:
        draft(org.office_clerk, org.leader, doc_type="cong_van")
    assert [p.field for p in refused.value.problems] == ["drafting_unit_code"]


def test_only_the_named_signer_approves(org, legal_days):
    entity = outgoing_entity()
    doc = draft(org.office_clerk, org.leader)
    fire(entity, org.office_clerk, doc, "submit")
    other_leader = make_user("deputy", org.ministry, ("ministry_leader",))
    with pytest.raises(TransitionRefused):
        fire(entity, other_leader, doc, "approve")


def test_a_failed_release_gives_its_number_back(org, legal_days):
    entity = outgoing_entity()
    first = draft(org.office_clerk, org.leader)
    fire(entity, org.office_clerk, first, "submit")
    fire(entity, org.leader, first, "approve")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        fire(entity, org.office_clerk, first, "release")
        raise Boom  # e.g. the signing or the delivery failed after the number was taken
    first.refresh_from_db()
    assert (first.state, first.seq) == ("approved", None)
    first = fire(entity, org.office_clerk, first, "release")
    assert first.number_symbol == "01/QĐ-BKHCN"  # no gap: 01 was given back


def test_secret_outgoing_documents_have_their_own_series(org, legal_days):
    ordinary = release(org, draft(org.office_clerk, org.leader))
    secret = release(org, draft(org.office_clerk, org.leader, confidentiality="mat"))
    assert (ordinary.number_symbol, secret.number_symbol) == ("01/QĐ-BKHCN", "01/QĐ-BKHCN")
    assert (ordinary.series, secret.series) == ("normal", "secret")


def test_release_delivers_to_platform_units_and_recall_takes_it_back_and_freezes(org, legal_days):
    doc = draft(org.office_clerk, org.leader)
    services.update_record(
        outgoing_entity(), org.office_clerk, doc.pk, {"recipient_units": [org.province_a.pk]}, doc.version
    )
    doc = release(org, doc)
    incoming = registry.model_for("documents.IncomingDocument")
    copy = incoming.objects.get(source_outgoing=doc)
    assert (copy.owner_unit_id, copy.number_symbol, copy.arrival_number) == (
        org.province_a.pk,
        "01/QĐ-BKHCN",
        1,
    )
    assert services.fetch_for(incoming_entity(), org.officer_a, copy.pk, "view").pk == copy.pk
    doc = fire(outgoing_entity(), org.leader, doc, "recall", "Ban hành nhầm")
    assert doc.state == "recalled" and doc.recalled_at is not None
    assert not incoming.objects.filter(pk=copy.pk).exists()
    with pytest.raises(InvalidInput) as refused:  # the outgoing copy is frozen
        services.update_record(outgoing_entity(), org.office_clerk, doc.pk, {"subject": "Sửa"}, doc.version)
    assert {p.code for p in refused.value.problems} == {"LOCKED"}
