"""The shared request-approval steps (`modules/engine/approvals.py`): a room booking and a vehicle
request take approve / refuse / cancel from one helper, so they say and guard them alike."""

from __future__ import annotations

import pytest

from modules.engine import registry, services
from modules.engine.approvals import CANCELLED, REFUSED, approval_steps
from modules.engine.errors import InvalidInput, TransitionRefused
from modules.engine.guards import only_units_seeing_all


def test_the_steps_say_what_the_office_does() -> None:
    steps = approval_steps(
        pending="asked", approved="granted", approvers=("a",), cancellers=("b",), cancel_from=("asked",)
    )
    assert (steps.approve.source, steps.approve.target) == (("asked",), "granted")
    assert (steps.refuse.target, steps.cancel.target) == (REFUSED.code, CANCELLED.code)
    assert steps.refuse.needs_comment and not steps.approve.needs_comment  # a refusal gives its reason
    assert steps.approve.guards == steps.refuse.guards == (only_units_seeing_all,)  # the Office's
    assert steps.cancel.guards == () and steps.cancel.roles == ("b",)  # whoever asked may cancel
    assert REFUSED.final and CANCELLED.final


@pytest.mark.parametrize("label", ["rooms.RoomBooking", "vehicles.VehicleRequest"])
def test_rooms_and_vehicles_use_them(label: str) -> None:
    workflow = registry.entity_by_label(label).workflow
    names = {t.name: t for t in workflow.transitions}
    assert names["refuse"].needs_comment and names["refuse"].label_vi == "Không duyệt"
    assert names["approve"].guards == (only_units_seeing_all,)
    assert {s.code for s in workflow.states} >= {REFUSED.code, CANCELLED.code}


@pytest.mark.django_db
def test_a_province_cannot_approve_and_a_refusal_needs_its_reason(org) -> None:
    from tests.test_office_overlap import at, make_room

    room = make_room(org.admin, needs_approval=True)
    entity = registry.entity_by_label("rooms.RoomBooking")
    values = {"room": room.pk, "title": "Họp", "starts_at": at(3, 9), "ends_at": at(3, 10)}
    booking = services.create_record(entity, org.head_a, values)
    assert booking.state == "pending"
    with pytest.raises(TransitionRefused):  # a province's head is no approver of the Office's rooms
        services.fire_transition(entity, org.head_a, booking.pk, "approve", booking.version)
    with pytest.raises(InvalidInput) as refused:
        services.fire_transition(entity, org.admin, booking.pk, "refuse", booking.version)
    assert {(p.field, p.code) for p in refused.value.problems} == {("comment", "REQUIRED")}
    booking = services.fire_transition(entity, org.admin, booking.pk, "refuse", booking.version, "Phòng bận")
    assert booking.state == "refused"
