"""Meeting rooms over GraphQL (issue 16): field-level OVERLAP errors, and what another unit sees.

A provincial officer sees when a room is busy (`roomAvailability`: every room's busy times, for
everyone), never another unit's booking itself: not in a list, not by id, not by search, not
in a refusal's message. Every answer officer B gets is searched for the purpose's words.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from modules.engine import registry, services
from tests.graphql import run
from tests.test_office_overlap import book, make_room

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SECRET = "Thanh tra nội bộ Sở 01"

CREATE = """
mutation($input: RoomBookingCreateInput!) {
  createRoomBooking(input: $input) { ok errors { field code message } node { id number state } }
}"""
AVAILABILITY = """
query($from: DateTime!, $to: DateTime!, $cap: Int) {
  roomAvailability(startsAt: $from, endsAt: $to, minCapacity: $cap) {
    code capacity busy { startsAt endsAt }
  }
}"""


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, 15, hour, minute, tzinfo=HCM)


@pytest.fixture
def rooms(org: Any) -> tuple[Any, Any]:
    return make_room(org.admin, "P301", capacity=30), make_room(
        org.admin, "P201", capacity=8, needs_approval=True
    )


def test_create_over_graphql_and_a_collision_is_a_field_error(org: Any, rooms: tuple[Any, Any]) -> None:
    big, _ = rooms
    first = run(
        CREATE,
        {
            "input": {
                "room": str(big.pk),
                "title": SECRET,
                "startsAt": at(9).isoformat(),
                "endsAt": at(11).isoformat(),
                "attendees": 12,
            }
        },
        user=org.officer_a,
    )["data"]["createRoomBooking"]
    assert first["ok"] and first["node"]["state"] == "CONFIRMED"

    second = run(
        CREATE,
        {
            "input": {
                "room": str(big.pk),
                "title": "Họp Sở 79",
                "startsAt": at(10).isoformat(),
                "endsAt": at(10, 30).isoformat(),
            }
        },
        user=org.officer_b,
    )
    payload = second["data"]["createRoomBooking"]
    assert payload["ok"] is False and payload["node"] is None
    (error,) = payload["errors"]
    assert (error["field"], error["code"]) == ("room", "OVERLAP")
    assert first["node"]["number"] in error["message"]
    assert "11:00–11:30 15/12/2026" in error["message"]  # the next free half hour, after it
    assert "Thanh tra" not in json.dumps(second, ensure_ascii=False)
    assert registry.model_for("rooms.RoomBooking").objects.count() == 1


def test_other_units_see_busy_times_never_the_booking(org: Any, rooms: tuple[Any, Any]) -> None:
    big, small = rooms
    mine = book(org.officer_a, big, at(9), at(11), title=SECRET)
    answers = [
        run("{ roomBookings { totalCount results { id title } } }", user=org.officer_b),
        run(f'{{ roomBooking(id: "{mine.pk}") {{ id title participants {{ id }} }} }}', user=org.officer_b),
        run(
            '{ roomBookings(filters: {search: "thanh tra"}) { totalCount results { title } } }',
            user=org.officer_b,
        ),
        run("{ roomBookingsConnection(first: 10) { edges { node { title } } } }", user=org.officer_b),
    ]
    for answer in answers:
        assert "Thanh tra" not in json.dumps(answer, ensure_ascii=False), answer
    assert answers[0]["data"]["roomBookings"]["totalCount"] == 0
    assert answers[1]["data"] is None or answers[1]["data"]["roomBooking"] is None

    busy = run(AVAILABILITY, {"from": at(0).isoformat(), "to": at(23).isoformat()}, user=org.officer_b)
    rows = {row["code"]: row for row in busy["data"]["roomAvailability"]}
    assert set(rows) == {"P201", "P301"}
    (slot,) = rows["P301"]["busy"]
    assert dt.datetime.fromisoformat(slot["startsAt"]) == at(9)
    assert dt.datetime.fromisoformat(slot["endsAt"]) == at(11)
    assert rows["P201"]["busy"] == []
    assert "Thanh tra" not in json.dumps(busy, ensure_ascii=False)
    # there is no purpose to ask for on a busy slot
    asked = run(
        "query($f: DateTime!, $t: DateTime!) { roomAvailability(startsAt: $f, endsAt: $t) { busy { title } } }",
        {"f": at(0).isoformat(), "t": at(23).isoformat()},
        user=org.officer_b,
    )
    assert asked["errors"] and "title" in asked["errors"][0]["message"]

    # the booker's unit and the Office see the booking itself
    for user in (org.officer_a, org.office_clerk):
        seen = run(f'{{ roomBooking(id: "{mine.pk}") {{ title }} }}', user=user)
        assert seen["data"]["roomBooking"]["title"] == SECRET
    # a filter by capacity leaves the small room out
    fit = run(
        AVAILABILITY, {"from": at(0).isoformat(), "to": at(23).isoformat(), "cap": 10}, user=org.officer_b
    )
    assert [row["code"] for row in fit["data"]["roomAvailability"]] == ["P301"]
    assert small.pk


def test_availability_refuses_a_bad_window_and_strangers(org: Any, rooms: tuple[Any, Any]) -> None:
    inverted = run(AVAILABILITY, {"from": at(12).isoformat(), "to": at(9).isoformat()}, user=org.officer_b)
    assert inverted["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    anonymous = run(AVAILABILITY, {"from": at(9).isoformat(), "to": at(12).isoformat()})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_availability_of_every_room_for_a_week_is_two_queries(org: Any, rooms: tuple[Any, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modules.rooms import availability

    big, _small = rooms
    for day in range(14, 19):
        for hour in (8, 10, 14):
            start = dt.datetime(2026, 12, day, hour, tzinfo=HCM)
            book(org.officer_a, big, start, start + dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as queries:
        week = availability.availability(
            dt.datetime(2026, 12, 14, tzinfo=HCM), dt.datetime(2026, 12, 21, tzinfo=HCM)
        )
    assert len(queries) == 2
    assert [len(day.busy) for day in week] == [0, 15]  # P201 (code order), P301


def test_approval_belongs_to_the_office(org: Any, rooms: tuple[Any, Any]) -> None:
    _, small = rooms
    entity = registry.entity_by_label("rooms.RoomBooking")
    pending = book(org.officer_a, small, at(14), at(15))
    assert pending.state == "pending"  # this room needs the Office's approval
    from modules.engine.errors import EngineError

    with pytest.raises(EngineError):  # the province's own head may not approve it
        services.fire_transition(entity, org.head_a, pending.pk, "approve", pending.version)
    approved = services.fire_transition(entity, org.office_clerk, pending.pk, "approve", pending.version)
    assert approved.state == "confirmed"


def test_the_room_boards_name_only_what_the_viewer_may_see(org: Any, rooms: tuple[Any, Any]) -> None:
    big, _small = rooms
    book(org.officer_a, big, at(9), at(10), title=SECRET)
    book(org.officer_b, big, at(10), at(11), title="Họp Sở 79")
    query = '{ roomBoards(day: "2026-12-15") { code slots { startsAt title } } }'
    for user, expected in (
        (org.officer_b, [None, "Họp Sở 79"]),
        (org.officer_a, [SECRET, None]),
        (org.office_clerk, [SECRET, "Họp Sở 79"]),  # the Office sees every unit
    ):
        boards = {b["code"]: b for b in run(query, user=user)["data"]["roomBoards"]}
        assert [s["title"] for s in boards["P301"]["slots"]] == expected
        assert boards["P201"]["slots"] == []
