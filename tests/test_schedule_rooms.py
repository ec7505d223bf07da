"""A schedule item held in a meeting room books it by the rooms' own never-overlap rule
(issue 16; `modules/engine/holds.py`).

The rule's text: "two bookings of one room never overlap, whoever submits them"; a conflicting
request "gets a typed field error naming the booking it collides with and the next free
slots". An item is such a request: refused whole (no item, no booking) when the room is taken;
moving it moves its booking; cancelling or deleting it frees the room. Run on SQLite and on
PostgreSQL (`DATABASE_URL`), the race included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.engine import registry, services
from modules.engine.errors import InvalidInput
from tests.test_office_overlap import HCM, book, make_room, race

MONDAY = dt.date(2026, 12, 7)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=HCM)


def items() -> Any:
    return registry.entity_by_label("schedule.ScheduleItem")


def bookings() -> Any:
    return registry.model_for("rooms.RoomBooking").objects


def make_week(org: Any) -> Any:
    """The leaders' week of 07/12/2026, drafted by the Office."""
    entity = registry.entity_by_label("schedule.WeekSchedule")
    return services.create_record(entity, org.office_clerk, {"kind": "leaders", "week_start": MONDAY})


def add_item(org: Any, week: Any, room: Any, start: dt.datetime, end: dt.datetime | None, **more: Any) -> Any:
    values = {"week": week.pk, "starts_at": start, "ends_at": end, "title": "Họp giao ban Bộ"}
    values |= {"place_room": room.pk if room else None, "chair": org.leader.pk} | more
    return services.create_record(items(), org.office_clerk, values)


def change(org: Any, item: Any, **values: Any) -> Any:
    return services.update_record(items(), org.office_clerk, item.pk, values, item.version)


def refusal(exc: InvalidInput) -> tuple[str, str, str]:
    (problem,) = exc.problems
    return problem.field, problem.code, problem.message


@pytest.mark.django_db
def test_a_taken_room_refuses_the_item_whole_and_a_free_one_is_booked(org: Any) -> None:
    room = make_room(org.admin)
    week = make_week(org)
    theirs = book(org.officer_b, room, at(8, 9), at(8, 10), title="Bàn kế hoạch riêng của Sở")

    with pytest.raises(InvalidInput) as refused:
        add_item(org, week, room, at(8, 9, 30), at(8, 11))
    field, code, message = refusal(refused.value)
    assert (field, code) == ("place_room", "OVERLAP")  # on the item's own field
    assert theirs.number in message and "09:00–10:00 08/12/2026" in message
    assert "Khung giờ trống gần nhất: 10:00–11:30 08/12/2026" in message  # the next 90 minutes free
    assert "riêng của Sở" not in message  # the other unit's purpose is not told
    assert not registry.model_for("schedule.ScheduleItem").objects.exists()  # nothing half-written
    assert bookings().count() == 1

    item = add_item(org, week, room, at(8, 14), at(8, 16))
    held = item.room_booking
    assert (held.room_id, held.starts_at, held.ends_at) == (room.pk, at(8, 14), at(8, 16))
    assert held.title == "Họp giao ban Bộ" and held.owner_unit_id == org.office.pk
    assert held.state == "confirmed"  # the room needs no approval (a setting per room)
    with pytest.raises(InvalidInput) as second:  # the item's booking holds the room for everyone
        book(org.officer_a, room, at(8, 15), at(8, 17))
    field, code, message = refusal(second.value)
    assert (field, code) == ("room", "OVERLAP") and held.number in message

    # an item with no end holds its room an hour (busy.py: "an item with no end holds an hour")
    short = add_item(org, week, room, at(9, 8), None)
    assert short.room_booking.ends_at == at(9, 9)
    # an item at another place books nothing
    elsewhere = add_item(org, week, None, at(9, 8), at(9, 9), place="Hội trường tỉnh")
    assert elsewhere.room_booking_id is None and bookings().count() == 3


@pytest.mark.django_db
def test_moving_the_item_moves_its_booking_and_cancelling_it_frees_the_room(org: Any) -> None:
    room, other_room = make_room(org.admin), make_room(org.admin, "P302")
    week = make_week(org)
    item = add_item(org, week, room, at(10, 9), at(10, 10))
    held_pk = item.room_booking_id

    item = change(org, item, starts_at=at(10, 10), ends_at=at(10, 11))
    held = bookings().get(pk=held_pk)
    assert item.room_booking_id == held_pk and (held.starts_at, held.ends_at) == (at(10, 10), at(10, 11))
    book(org.officer_b, room, at(10, 9), at(10, 10))  # the old hour is free again

    blocker = book(org.officer_b, room, at(10, 14), at(10, 15))
    with pytest.raises(InvalidInput) as refused:  # moving onto another unit's booking
        change(org, item, starts_at=at(10, 14, 30), ends_at=at(10, 15, 30))
    field, code, message = refusal(refused.value)
    assert (field, code) == ("place_room", "OVERLAP") and blocker.number in message
    item.refresh_from_db()
    held.refresh_from_db()
    assert item.starts_at == at(10, 10) and (held.starts_at, held.ends_at) == (at(10, 10), at(10, 11))

    item = change(org, item, place_room=other_room.pk)  # to another room: the first one is free
    held.refresh_from_db()
    assert held.room_id == other_room.pk
    book(org.officer_b, room, at(10, 10), at(10, 11))

    item = change(org, item, cancelled=True)
    held.refresh_from_db()
    assert held.state == "cancelled" and item.room_booking_id is None
    taken = book(org.officer_b, other_room, at(10, 10), at(10, 11))  # freed: someone else takes it
    with pytest.raises(InvalidInput) as again:  # restoring the item asks for the room again
        change(org, item, cancelled=False)
    field, code, message = refusal(again.value)
    assert (field, code) == ("place_room", "OVERLAP") and taken.number in message


@pytest.mark.django_db
def test_deleting_the_item_frees_its_room_and_a_published_move_moves_the_booking(org: Any) -> None:
    room = make_room(org.admin)
    week = make_week(org)
    gone = add_item(org, week, room, at(11, 9), at(11, 10))
    held_pk = gone.room_booking_id
    services.delete_record(items(), org.admin, gone.pk, gone.version)
    assert bookings().get(pk=held_pk).state == "cancelled"
    book(org.officer_b, room, at(11, 9), at(11, 10))

    item = add_item(org, week, room, at(11, 14), at(11, 15))
    week = services.fire_transition(
        registry.entity_by_label("schedule.WeekSchedule"), org.admin, week.pk, "publish", week.version
    )
    item.refresh_from_db()
    item = change(org, item, starts_at=at(11, 16), ends_at=at(11, 17), change_reason="Lãnh đạo bận")
    assert item.is_changed
    held = item.room_booking
    assert (held.starts_at, held.ends_at, held.state) == (at(11, 16), at(11, 17), "confirmed")


@pytest.mark.django_db(transaction=True)
def test_items_and_bookings_racing_for_one_room_one_wins(org: Any) -> None:
    """Ten schedule items and ten bookings ask at once for overlapping hours of one room."""
    room = make_room(org.admin)
    week = make_week(org)
    users = [org.officer_a, org.officer_b, org.specialist]

    def work(i: int) -> Any:
        if i % 2:
            return book(users[i % 3], room, at(8, 9, i), at(8, 10, i), f"Họp {i}")
        return add_item(org, week, room, at(8, 9, i), at(8, 10, i), title=f"Lịch {i}")

    done, failed = race(20, work)
    assert len(done) == 1, f"{len(done)} writers succeeded: {failed[:2]}"
    winner = done[0]
    winner_is_item = hasattr(winner, "room_booking_id")
    number = winner.room_booking.number if winner_is_item else winner.number
    for exc in failed:
        assert isinstance(exc, InvalidInput), repr(exc)  # never an IntegrityError or "locked"
        field, code, message = refusal(exc)
        assert code == "OVERLAP" and field in ("room", "place_room") and number in message
    assert bookings().filter(room=room).count() == 1
    assert registry.model_for("schedule.ScheduleItem").objects.count() == (1 if winner_is_item else 0)


@pytest.mark.django_db
def test_a_week_deleted_with_its_items_frees_their_rooms(org: Any) -> None:
    """Deleting a week deletes its items by cascade (no write path runs for them); each item's
    booking is released all the same, so the same room at the same hour can be booked again."""
    room, other_room = make_room(org.admin), make_room(org.admin, "P302")
    week = make_week(org)
    first = add_item(org, week, room, at(8, 9), at(8, 10))
    second = add_item(org, week, other_room, at(9, 14), at(9, 16))
    held = [first.room_booking_id, second.room_booking_id]

    week.refresh_from_db()
    services.delete_record(
        registry.entity_by_label("schedule.WeekSchedule"), org.admin, week.pk, week.version
    )
    assert not registry.model_for("schedule.ScheduleItem").objects.exists()
    assert sorted(bookings().filter(pk__in=held).values_list("state", flat=True)) == [
        "cancelled",
        "cancelled",
    ]
    again = book(org.officer_b, room, at(8, 9), at(8, 10))
    assert again.state == "confirmed"
    book(org.officer_b, other_room, at(9, 14), at(9, 16))

    # a queryset delete (the shell, a clean-up job) frees the room the same way
    week = make_week(org)
    third = add_item(org, week, room, at(10, 9), at(10, 10))
    registry.model_for("schedule.ScheduleItem").objects.filter(pk=third.pk).delete()
    assert bookings().get(pk=third.room_booking_id).state == "cancelled"
    book(org.officer_b, room, at(10, 9), at(10, 10))
