"""The task contract and what happens under it (issue 19, part 2): declarations, the report
schedule, disbursements against tranches, progress reports, changes and the deadlines they move.
Expected dates come from the rules' text (domain.md §7, issue 19), counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from modules.engine import registry, services
from modules.engine.errors import InvalidInput
from modules.stm.definition_part2 import ENTITIES
from tests.stm2_helpers import END, START, host, make_contract, signed_contract
from tests.stm_helpers import E, fire

pytestmark = pytest.mark.django_db


def test_part_two_entities_are_declared_and_migrated():
    for entity in ENTITIES:
        model = registry.model_for(entity.label)
        assert model.objects.count() == 0, entity.label  # the table exists
        assert registry.entity_by_label(entity.label) is entity


def test_a_contract_gets_its_deadlines_from_its_dates(org, legal_days):
    _, organisation, pi = host()
    contract = make_contract(org.officer_a, organisation, pi)
    assert contract.number.startswith("HĐNV-")
    assert contract.owner_unit_id == org.province_a.pk  # a backfilled task: the recorder's unit
    # "acceptance dossier due (30 days after the contract ends)": Friday 29/10/2027 + 30 days is
    # Sunday 28/11/2027, which moves to Monday 29/11/2027 (Civil Code Art. 148(5))
    assert contract.acceptance_due == dt.date(2027, 11, 29)
    # "every six months": six months after the start on Monday 04/01/2027 is Sunday 04/07/2027,
    # so Monday 05/07/2027
    assert contract.next_report_due == dt.date(2027, 7, 5)
    assert contract.duration_months == 10  # 04/01 to 29/10/2027: nine months and a started tenth


def test_a_contract_ending_before_it_starts_is_a_field_error(org):
    _, organisation, pi = host()
    with pytest.raises(InvalidInput) as caught:
        make_contract(org.officer_a, organisation, pi, end_on=START - dt.timedelta(days=1))
    assert [p.field for p in caught.value.problems] == ["end_on"]
    assert not registry.model_for("stm.Contract").objects.exists()


def test_signing_locks_the_terms(org, legal_days):
    _, organisation, pi = host()
    with time_machine.travel(dt.datetime(2027, 1, 4, 9), tick=False):
        contract = signed_contract(org.officer_a, organisation, pi)
    assert contract.state == "active" and contract.signed_on == START
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            E("Contract"),
            org.officer_a,
            contract.pk,
            {"end_on": END + dt.timedelta(days=90)},
            contract.version,
        )
    assert caught.value.problems[0].code == "LOCKED"
    assert fire  # the change request is the way (test_stm_contract_changes)
