"""The office demo seeders (issue 16) run through the real write paths and are idempotent,
at a small size here (the full size is `make run`'s)."""

from __future__ import annotations

import io
from typing import Any

from modules.engine import demo as engine_demo
from modules.engine import registry
from tests.conftest import make_user


def test_the_office_demo_seeds_once(org: Any, legal_days: Any) -> None:
    from modules.rooms import demo as rooms_demo
    from modules.schedule import demo as schedule_demo
    from modules.vehicles import demo as vehicles_demo

    make_user("office_chief", org.office, ("unit_head",))
    out = io.StringIO()
    with engine_demo.loading("small"):
        for demo in (rooms_demo, vehicles_demo, schedule_demo):
            demo.seed(out)
    bookings = registry.model_for("rooms.RoomBooking").objects.count()
    trips = registry.model_for("vehicles.VehicleRequest").objects.count()
    weeks = registry.model_for("schedule.WeekSchedule").objects.filter(state="published").count()
    assert bookings >= 30 and trips >= 1 and weeks >= 3, out.getvalue()
    assert registry.model_for("rooms.Room").objects.count() == len(rooms_demo.ROOMS)
    with engine_demo.loading("small"):
        for demo in (rooms_demo, vehicles_demo, schedule_demo):  # a second run adds nothing
            demo.seed(out)
    assert registry.model_for("rooms.RoomBooking").objects.count() == bookings
    assert registry.model_for("schedule.WeekSchedule").objects.filter(state="published").count() == weeks


def test_seed_demo_full_loads_the_issues_sizes(org: Any, legal_days: Any, monkeypatch: Any) -> None:
    """`seed_demo --full` asks each seeder for the issue's size (3,200 bookings, 600 trips a
    year: here scaled down to 40 and 12), the quick default stays as it was."""
    import random

    from modules.rooms import demo as rooms_demo
    from modules.vehicles import demo as vehicles_demo

    assert (rooms_demo.FULL, vehicles_demo.FULL) == (3200, 600)  # the issue's "about 3,200" and "about 600"
    monkeypatch.setattr(rooms_demo, "SERIES", ())  # single bookings only: small and quick
    monkeypatch.setattr(rooms_demo, "TARGET", 15)
    monkeypatch.setattr(rooms_demo, "FULL", 40)
    rooms_demo.seed(io.StringIO())
    quick = registry.model_for("rooms.RoomBooking").objects.count()
    assert 15 <= quick < 40 and engine_demo.size() != "full"
    with engine_demo.loading("full"):
        assert engine_demo.size() == "full"
        rooms_demo.seed(io.StringIO())
    assert engine_demo.size() == "quick"
    assert registry.model_for("rooms.RoomBooking").objects.count() >= 40

    # 600 trips over a year's ~250 working days is 2.4 a day; the quick 300 stays one a day at most
    rng = random.Random(1)
    days = [vehicles_demo._trips_on_a_day(rng, (600 // 50) / 5) for _ in range(250)]
    assert set(days) == {2, 3} and 560 <= sum(days) <= 640
    assert {vehicles_demo._trips_on_a_day(rng, (300 // 50) / 5) for _ in range(250)} == {1}


def test_the_full_year_is_spread_to_reach_the_target_not_stopped_short() -> None:
    """The arithmetic of `seed_demo --full`'s rooms: what is left of 3,200 once the series are in
    is spread over every working day of the window (about 260), adding up to exactly that."""
    from modules.rooms import demo as rooms_demo

    counts = rooms_demo.daily_counts(3200 - 134, 261)
    assert sum(counts) == 3066 and set(counts) == {11, 12}  # 3,066 / 261 = 11.75 a day
    assert counts[-1] == 12  # the last day (two weeks ahead) still gets its share
    assert rooms_demo.daily_counts(3, 5) == [0, 1, 0, 1, 1] and rooms_demo.daily_counts(7, 0) == []


def test_a_single_booking_takes_a_room_free_at_its_hour() -> None:
    """The seeder looks at the day's busy times before asking: [9:00, 10:00) is taken in the first
    room, so 9:30-10:30 goes to the second; 10:00-11:00 fits the first (half-open ranges)."""
    import datetime as dt
    from types import SimpleNamespace

    from modules.rooms import demo as rooms_demo

    first, second = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    nine = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    busy = {1: [(nine, nine + hour)], 2: [(nine - hour, nine)]}
    half = dt.timedelta(minutes=30)
    assert rooms_demo.free_room([first, second], busy, nine + half, nine + half + hour) is second
    assert rooms_demo.free_room([first, second], busy, nine + hour, nine + 2 * hour) is first
    busy[2].append((nine, nine + 2 * hour))
    assert rooms_demo.free_room([first, second], busy, nine + half, nine + hour) is None
