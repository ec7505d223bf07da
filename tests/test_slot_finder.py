"""Finding a time and a room (issue 16): the earliest slots at which every participant is free
(their weekly schedule and their own bookings) and a room seating everyone is free.

The scenario, Monday 14/12/2026, one hour for 10 people, on the half-hour grid from 08:00: the
leader chairs a schedule item 08:00–10:00; the specialist booked the small room 10:00–11:30;
another unit holds the only room for 10 (P301) 11:30–13:00. So 13:00 is the first slot, then
13:30 and 14:00, in P301 (P201 seats 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from modules.engine import registry, services
from tests.graphql import run
from tests.test_office_overlap import book, make_room

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

SLOTS = """
query($people: [ID!]!, $from: DateTime!, $to: DateTime!) {
  meetingSlots(participants: $people, durationMinutes: 60, attendees: 10, startsAt: $from, endsAt: $to, count: 3) {
    startsAt endsAt rooms { code }
  }
}"""


def at(hour: int, minute: int = 0, day: int = 14) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=HCM)


def test_the_earliest_slots_with_everyone_and_a_room_free(org: Any) -> None:
    big = make_room(org.admin, "P301", capacity=30)
    small = make_room(org.admin, "P201", capacity=8)
    week = services.create_record(
        registry.entity_by_label("schedule.WeekSchedule"),
        org.office_clerk,
        {"kind": "leaders", "week_start": dt.date(2026, 12, 14)},
    )
    services.create_record(
        registry.entity_by_label("schedule.ScheduleItem"),
        org.office_clerk,
        {
            "week": week.pk,
            "starts_at": at(8),
            "ends_at": at(10),
            "title": "Tiếp khách",
            "chair": org.leader.pk,
        },
    )
    book(org.specialist, small, at(10), at(11, 30))
    book(org.officer_b, big, at(11, 30), at(13))

    answer = run(
        SLOTS,
        {
            "people": [str(org.leader.pk), str(org.specialist.pk)],
            "from": at(8).isoformat(),
            "to": at(17).isoformat(),
        },
        user=org.officer_a,
    )
    slots = answer["data"]["meetingSlots"]
    assert [dt.datetime.fromisoformat(s["startsAt"]) for s in slots] == [at(13), at(13, 30), at(14)]
    assert [dt.datetime.fromisoformat(s["endsAt"]) for s in slots] == [at(14), at(14, 30), at(15)]
    assert {tuple(r["code"] for r in s["rooms"]) for s in slots} == {("P301",)}

    # without the leader the specialist alone is free from 08:00 (the small room does not count)
    alone = run(
        SLOTS,
        {"people": [str(org.specialist.pk)], "from": at(8).isoformat(), "to": at(17).isoformat()},
        user=org.officer_a,
    )["data"]["meetingSlots"]
    assert [dt.datetime.fromisoformat(s["startsAt"]) for s in alone] == [at(8), at(8, 30), at(9)]


def test_the_finder_skips_days_off_and_refuses_bad_arguments(org: Any, legal_days: Any) -> None:
    make_room(org.admin, "P301", capacity=30)
    # Tuesday 01/09/2026 and Wednesday 02/09/2026 are Quốc khánh: the first slot is Thursday's 08:00
    answer = run(
        SLOTS,
        {
            "people": [str(org.leader.pk)],
            "from": at(0, day=1).replace(month=9).isoformat(),
            "to": at(17, day=4).replace(month=9).isoformat(),
        },
        user=org.officer_a,
    )
    first = dt.datetime.fromisoformat(answer["data"]["meetingSlots"][0]["startsAt"])
    assert first == dt.datetime(2026, 9, 3, 8, 0, tzinfo=HCM)
    bad = run(
        SLOTS, {"people": ["x"], "from": at(8).isoformat(), "to": at(17).isoformat()}, user=org.officer_a
    )
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_clerk_who_booked_the_room_for_a_schedule_item_is_not_busy_in_it(org: Any) -> None:
    """The rule's text: participants are busy in "the weekly schedules and their own bookings".
    The Office's clerk drafting the leaders' item 08:00–10:00 in P301 books that room for the
    leader (engine/holds.py: the booking's requester is the clerk) but sits in no meeting: free
    from 08:00, in P302 (P301 is the item's). The leader who chairs it is busy until 10:00, and a
    booking the clerk makes for a meeting of their own still holds the clerk."""
    held_room = make_room(org.admin, "P301", capacity=30)
    make_room(org.admin, "P302", capacity=30)
    week = services.create_record(
        registry.entity_by_label("schedule.WeekSchedule"),
        org.office_clerk,
        {"kind": "leaders", "week_start": dt.date(2026, 12, 14)},
    )
    item = services.create_record(
        registry.entity_by_label("schedule.ScheduleItem"),
        org.office_clerk,
        {
            "week": week.pk,
            "starts_at": at(8),
            "ends_at": at(10),
            "title": "Họp giao ban Lãnh đạo Bộ",
            "chair": org.leader.pk,
            "place_room": held_room.pk,
        },
    )
    assert item.room_booking.created_by_id == org.office_clerk.pk  # the clerk requested the booking

    def starts(people: list[Any]) -> list[dt.datetime]:
        answer = run(
            SLOTS,
            {"people": [str(p.pk) for p in people], "from": at(8).isoformat(), "to": at(17).isoformat()},
            user=org.officer_a,
        )
        found = answer["data"]["meetingSlots"]
        if dt.datetime.fromisoformat(found[0]["startsAt"]) < at(10):
            assert [r["code"] for r in found[0]["rooms"]] == ["P302"]  # P301 is the item's
        return [dt.datetime.fromisoformat(s["startsAt"]) for s in found]

    assert starts([org.office_clerk]) == [at(8), at(8, 30), at(9)]
    assert starts([org.leader]) == [at(10), at(10, 30), at(11)]  # the chair sits in it
    book(org.office_clerk, held_room, at(13), at(17))  # the clerk's own meeting, in the afternoon
    assert starts([org.office_clerk]) == [at(8), at(8, 30), at(9)]
    later = run(
        SLOTS,
        {"people": [str(org.office_clerk.pk)], "from": at(12).isoformat(), "to": at(17).isoformat()},
        user=org.officer_a,
    )["data"]["meetingSlots"]
    assert [dt.datetime.fromisoformat(s["startsAt"]) for s in later] == [at(12)]  # 12:00–13:00 alone
