"""Two bookings of one room, two trips of one vehicle or of one driver never overlap (issue 16).

The heart of the rule (`modules/engine/timeranges.py`): 20 writers at once ask for
overlapping slots of the same resource; exactly one is written, the other 19 get the typed
field error OVERLAP naming the booking they collide with. Run on SQLite (the serialised
check) and on PostgreSQL (advisory lock + exclusion constraint). On PostgreSQL the database
itself also refuses an overlap that skips the write path.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from modules.engine import registry, services
from modules.engine.errors import InvalidInput

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WRITERS = 20


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=HCM)


def make_room(admin: Any, code: str = "P301", *, needs_approval: bool = False, capacity: int = 30) -> Any:
    entity = registry.entity_by_label("rooms.Room")
    values = {"code": code, "name": f"Phòng {code}", "capacity": capacity, "needs_approval": needs_approval}
    return services.create_record(entity, admin, values)


def book(user: Any, room: Any, start: dt.datetime, end: dt.datetime, title: str = "Họp giao ban") -> Any:
    entity = registry.entity_by_label("rooms.RoomBooking")
    return services.create_record(
        entity, user, {"room": room.pk, "title": title, "starts_at": start, "ends_at": end, "attendees": 5}
    )


def race(count: int, work: Any) -> tuple[list[Any], list[BaseException]]:
    """Run `work(i)` in `count` threads released together; each thread closes its connection."""
    barrier = threading.Barrier(count)
    done: list[Any] = []
    failed: list[BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = work(index)
            with lock:
                done.append(result)
        except BaseException as exc:  # judged by the test, in its own thread
            with lock:
                failed.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return done, failed


def assert_one_wins(done: list[Any], failed: list[BaseException], field: str) -> None:
    assert len(done) == 1, f"{len(done)} writers succeeded: {failed[:2]}"
    assert len(failed) == WRITERS - 1
    winner = done[0]
    for exc in failed:
        assert isinstance(exc, InvalidInput), repr(exc)  # never an IntegrityError or "locked"
        codes = {(p.field, p.code) for p in exc.problems}
        assert codes == {(field, "OVERLAP")}, codes
        assert winner.number in exc.problems[0].message  # names the booking it collides with


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_bookings_of_one_room_one_wins(org: Any) -> None:
    room = make_room(org.admin)
    users = [org.officer_a, org.officer_b, org.specialist, org.office_clerk]
    # each asks for a different but overlapping hour: 09:00-10:00, 09:01-10:01, ...
    done, failed = race(
        WRITERS, lambda i: book(users[i % len(users)], room, at(3, 9, i), at(3, 10, i), f"Họp {i}")
    )
    assert_one_wins(done, failed, "room")
    bookings = registry.model_for("rooms.RoomBooking").objects.filter(room=room)
    assert bookings.count() == 1
    assert bookings.get().state == "confirmed"  # this room needs no approval: confirmed at once


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_assignments_of_one_vehicle_then_one_driver_one_wins(org: Any) -> None:
    """Twenty dispatcher screens name the same car for twenty approved, overlapping trips; then
    twenty others name the same driver. One of each wins."""
    vehicle, drivers, trips = fleet(org, count=2 * WRITERS)
    trip = registry.entity_by_label("vehicles.VehicleRequest")
    model = registry.model_for("vehicles.VehicleRequest")

    def assign(field: str, value: int, rows: list[Any]) -> Any:
        def work(i: int) -> Any:
            row = rows[i]
            return services.update_record(trip, org.office_clerk, row.pk, {field: value}, row.version)

        return work

    done, failed = race(WRITERS, assign("vehicle", vehicle.pk, trips[:WRITERS]))
    assert_one_wins(done, failed, "vehicle")
    assert model.objects.filter(vehicle=vehicle).count() == 1

    done, failed = race(WRITERS, assign("driver", drivers[0].pk, trips[WRITERS:]))
    assert_one_wins(done, failed, "driver")
    assert model.objects.filter(driver=drivers[0]).count() == 1


def fleet(org: Any, count: int) -> tuple[Any, list[Any], list[Any]]:
    """One car, two drivers, and `count` approved trips of overlapping times from several units."""
    vehicle = services.create_record(
        registry.entity_by_label("vehicles.Vehicle"), org.admin, {"plate": "80B-123.45", "seats": 7}
    )
    driver_entity = registry.entity_by_label("vehicles.Driver")
    drivers = [
        services.create_record(driver_entity, org.admin, {"full_name": name})
        for name in ("Nguyễn Văn Tài", "Trần Minh Xế")
    ]
    trip = registry.entity_by_label("vehicles.VehicleRequest")
    trips = []
    for i in range(count):
        requester = (org.officer_a, org.specialist, org.office_clerk)[i % 3]
        row = services.create_record(
            trip,
            requester,
            {
                "purpose": f"Công tác {i}",
                "route": "Hà Nội - Bắc Ninh",
                "passengers": 3,
                "starts_at": at(4, 7, i),
                "ends_at": at(4, 17, i),
            },
        )
        row = services.fire_transition(trip, org.admin, row.pk, "approve", row.version)
        trips.append(row)
    return vehicle, drivers, trips


@pytest.mark.django_db
def test_a_refusal_names_the_booking_and_the_next_free_slots_not_its_purpose(org: Any) -> None:
    room = make_room(org.admin)
    first = book(org.officer_a, room, at(7, 9), at(7, 10), title="Bàn kế hoạch kiểm tra bí mật")
    book(org.officer_a, room, at(7, 10, 30), at(7, 11))
    with pytest.raises(InvalidInput) as refused:
        book(org.officer_b, room, at(7, 9, 30), at(7, 10, 30))
    (problem,) = refused.value.problems
    assert (problem.field, problem.code) == ("room", "OVERLAP")
    assert first.number in problem.message and "09:00–10:00 07/12/2026" in problem.message
    assert "bí mật" not in problem.message  # the purpose belongs to the other unit
    # an hour is free from 11:00 (10:00-10:30 is too short), then on after it
    assert "Khung giờ trống gần nhất: 11:00–12:00 07/12/2026" in problem.message
    assert "Next free slots: 11:00–12:00 07/12/2026" in problem.message


@pytest.mark.django_db
def test_touching_ranges_and_other_rooms_and_cancelled_bookings_do_not_collide(org: Any) -> None:
    room, other = make_room(org.admin), make_room(org.admin, "P302")
    first = book(org.officer_a, room, at(8, 9), at(8, 10))
    book(org.officer_b, room, at(8, 10), at(8, 11))  # [9,10) and [10,11) only touch
    book(org.officer_b, other, at(8, 9), at(8, 10))  # another room
    entity = registry.entity_by_label("rooms.RoomBooking")
    services.fire_transition(entity, org.officer_a, first.pk, "cancel", first.version)
    book(org.officer_b, room, at(8, 9), at(8, 10))  # the cancelled booking holds nothing


@pytest.mark.django_db
def test_moving_a_booking_onto_another_is_refused(org: Any) -> None:
    room = make_room(org.admin)
    book(org.officer_a, room, at(9, 9), at(9, 10))
    second = book(org.officer_a, room, at(9, 14), at(9, 15))
    entity = registry.entity_by_label("rooms.RoomBooking")
    with pytest.raises(InvalidInput) as refused:
        services.update_record(
            entity, org.officer_a, second.pk, {"starts_at": at(9, 9, 30), "ends_at": at(9, 10, 30)}, 1
        )
    assert {p.code for p in refused.value.problems} == {"OVERLAP"}
    # and a booking may be moved within its own time (it does not collide with itself)
    services.update_record(entity, org.officer_a, second.pk, {"ends_at": at(9, 15, 30)}, 1)


@pytest.mark.django_db
def test_an_inverted_or_overlong_range_is_a_field_error(org: Any) -> None:
    room = make_room(org.admin)
    with pytest.raises(InvalidInput) as inverted:
        book(org.officer_a, room, at(10, 10), at(10, 9))
    assert {(p.field, p.code) for p in inverted.value.problems} == {("ends_at", "INVALID_RANGE")}
    with pytest.raises(InvalidInput) as long:  # a room is held 24 hours at most (the declaration)
        book(org.officer_a, room, at(10, 9), at(11, 9, 1))
    assert {(p.field, p.code) for p in long.value.problems} == {("ends_at", "TOO_LONG")}


@pytest.mark.django_db
def test_the_database_itself_refuses_an_overlap_on_postgresql(org: Any) -> None:
    """A write that skips the write path (a raw insert) meets the exclusion constraint.

    On SQLite there is no such constraint (Django skips its SQL there): the serialised check
    of the write path, tested above, is the rule."""
    from modules.engine.timeranges import NoOverlapConstraint

    room = make_room(org.admin)
    model = registry.model_for("rooms.RoomBooking")
    first = book(org.officer_a, room, at(14, 9), at(14, 10))
    constraint = next(c for c in model._meta.constraints if isinstance(c, NoOverlapConstraint))
    ddl = constraint.create_sql(model, connection.schema_editor())  # the SQL only, not run
    copy = dict(
        room=room,
        title="x",
        starts_at=at(14, 9, 30),
        ends_at=at(14, 10, 30),
        owner_unit_id=first.owner_unit_id,
        number="RAW-1",
        state="confirmed",
    )
    if connection.vendor == "postgresql":
        assert "EXCLUDE USING gist" in ddl
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(**copy)
        model.objects.create(**{**copy, "state": "cancelled", "number": "RAW-2"})  # not holding: allowed
        model.objects.create(**{**copy, "starts_at": at(14, 10), "number": "RAW-3"})  # touching: allowed
    else:
        assert ddl is None
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [model._meta.db_table])
            assert "EXCLUDE" not in cursor.fetchone()[0]
