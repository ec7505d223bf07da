"""The office demo seeders (issue 16) run through the real write paths and are idempotent,
at a small size here (the full size is `make run`'s)."""

from __future__ import annotations

import io
from typing import Any

from modules.engine import registry
from tests.conftest import make_user


def test_the_office_demo_seeds_once(org: Any, legal_days: Any, monkeypatch: Any) -> None:
    from modules.rooms import demo as rooms_demo
    from modules.schedule import demo as schedule_demo
    from modules.vehicles import demo as vehicles_demo

    make_user("office_chief", org.office, ("unit_head",))
    monkeypatch.setattr(rooms_demo, "TARGET", 30)
    monkeypatch.setattr(vehicles_demo, "TARGET", 6)
    monkeypatch.setattr(schedule_demo, "WEEKS", 3)
    out = io.StringIO()
    for demo in (rooms_demo, vehicles_demo, schedule_demo):
        demo.seed(out)
    bookings = registry.model_for("rooms.RoomBooking").objects.count()
    trips = registry.model_for("vehicles.VehicleRequest").objects.count()
    weeks = registry.model_for("schedule.WeekSchedule").objects.filter(state="published").count()
    assert bookings >= 30 and trips >= 1 and weeks >= 3, out.getvalue()
    assert registry.model_for("rooms.Room").objects.count() == len(rooms_demo.ROOMS)
    for demo in (rooms_demo, vehicles_demo, schedule_demo):  # a second run adds nothing
        demo.seed(out)
    assert registry.model_for("rooms.RoomBooking").objects.count() == bookings
    assert registry.model_for("schedule.WeekSchedule").objects.filter(state="published").count() == weeks
