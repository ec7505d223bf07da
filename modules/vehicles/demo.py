"""A year of vehicle trips replayed at their own times: six cars, ten drivers, units asking,
the Office chief approving, the dispatcher picking a free car and driver (the real no-overlap
rule refuses a busy one), the trip closed with its readings. About `TARGET` trips
(`ONEMST_DEMO_TRIPS`; the issue's 600, sized down to 300 for a quick `make run`; `seed_demo
--full` makes the issue's `FULL`)."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

from django.contrib.auth import get_user_model

from modules.engine import demo as engine_demo
from modules.engine import registry, replay, services, workdays
from modules.engine.errors import InvalidInput
from modules.org.roles import PROVINCIAL_OFFICER, SPECIALIST, UNIT_HEAD

TARGET = int(os.environ.get("ONEMST_DEMO_TRIPS", "300"))
FULL = 600  # the "about 600 vehicle trips"
SMALL = 10  # enough for every status (`seed_demo --size small`)
CARS = (
    ("80A-001.01", "Toyota Camry", 5),
    ("80A-001.02", "Toyota Fortuner", 7),
    ("80A-001.03", "Ford Transit", 16),
    ("80A-001.04", "Kia Carnival", 7),
    ("80A-001.05", "Toyota Innova", 7),
    ("80A-001.06", "Hyundai Solati", 16),
)
DRIVERS = (
    "Nguyễn Văn An",
    "Trần Văn Bình",
    "Lê Minh Cường",
    "Phạm Quốc Dũng",
    "Hoàng Văn Đức",
    "Vũ Ngọc Hải",
    "Đặng Văn Hùng",
    "Bùi Thanh Long",
    "Đỗ Văn Nam",
    "Ngô Quang Phúc",
)
ROUTES = (
    ("Hà Nội - Bắc Ninh", 70),
    ("Hà Nội - Hải Phòng", 240),
    ("Hà Nội - Hòa Bình", 150),
    ("Nội thành Hà Nội", 35),
    ("Hà Nội - Nội Bài", 60),
    ("Hà Nội - Ninh Bình", 200),
)
PURPOSES = (
    "Kiểm tra cơ sở",
    "Làm việc với UBND tỉnh",
    "Đón đoàn công tác",
    "Dự hội nghị",
    "Khảo sát thực tế",
)


def seed(out: Any) -> None:
    trips = registry.model_for("vehicles.VehicleRequest").objects
    target = engine_demo.sized(small=SMALL, quick=TARGET, full=FULL)
    if trips.count() >= target:
        out.write(f"Demo vehicles: {trips.count()} trips present, nothing added.")
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    requesters, chief, dispatcher = _people()
    if admin is None or not requesters or chief is None or dispatcher is None:
        out.write("Demo vehicles: no people yet (run the organisation's seed first).")
        return
    cars, drivers = _fleet(admin)
    rng = random.Random(17)
    today = workdays.today()
    day = today - dt.timedelta(days=365)
    per_week = max(target // 50, 1)
    closed = 0
    while day <= today and trips.count() < target:
        if workdays.is_working_day(day):
            for _ in range(_trips_on_a_day(rng, per_week / 5)):
                closed += _trip(rng, day, today, requesters, chief, dispatcher, cars, drivers)
        day += dt.timedelta(days=1)
    out.write(f"Demo vehicles: {trips.count()} trips, {closed} closed with readings.")


def _trips_on_a_day(rng: random.Random, rate: float) -> int:
    """Trips a working day sees at `rate` a day: at most one below two a day (the quick demo's
    draws, unchanged), two or three a day at the full size (600 trips in ~250 working days)."""
    if rng.random() >= rate:
        return 0
    if rate < 2:
        return 1
    return int(rate) + (rng.random() < rate - int(rate))


def _people() -> tuple[list[Any], Any, Any]:
    users = get_user_model().objects.order_by("id")
    persons = registry.model_for("org.Person").objects.filter(user__isnull=False)
    requesters = list(
        users.filter(
            pk__in=persons.filter(roles__name__in=(SPECIALIST, PROVINCIAL_OFFICER)).values("user_id")
        )
    )
    office = persons.filter(owner_unit__sees_all_units=True)
    chief = users.filter(pk__in=office.filter(roles__name=UNIT_HEAD).values("user_id")).first()
    dispatcher = users.filter(pk__in=office.filter(roles__name=SPECIALIST).values("user_id")).first()
    return requesters, chief, dispatcher


def _fleet(admin: Any) -> tuple[list[Any], list[Any]]:
    vehicle_model, driver_model = (
        registry.model_for("vehicles.Vehicle"),
        registry.model_for("vehicles.Driver"),
    )
    if not vehicle_model.objects.exists():
        entity = registry.entity_by_label("vehicles.Vehicle")
        for plate, kind, seats in CARS:
            services.create_record(entity, admin, {"plate": plate, "vehicle_type": kind, "seats": seats})
    if not driver_model.objects.exists():
        entity = registry.entity_by_label("vehicles.Driver")
        for i, name in enumerate(DRIVERS):
            services.create_record(entity, admin, {"full_name": name, "phone": f"0912{i:06d}"})
    return list(vehicle_model.objects.order_by("plate")), list(driver_model.objects.order_by("id"))


def _trip(
    rng: random.Random,
    day: dt.date,
    today: dt.date,
    requesters: list,
    chief: Any,
    dispatcher: Any,
    cars: list,
    drivers: list,
) -> bool:
    label = "vehicles.VehicleRequest"
    entity = registry.entity_by_label(label)
    route, km = rng.choice(ROUTES)
    leaves = replay.on(day, rng.choice((7, 8, 13)), 0)
    returns = leaves + dt.timedelta(hours=max(2, km // 40 + rng.randint(1, 3)))
    asked = leaves - dt.timedelta(days=rng.randint(2, 5))
    with replay.at(asked):
        row = services.create_record(
            entity,
            rng.choice(requesters),
            {
                "purpose": rng.choice(PURPOSES),
                "route": route,
                "passengers": rng.randint(1, 4),
                "starts_at": leaves,
                "ends_at": returns,
            },
        )
    replay.fire_at(asked + dt.timedelta(hours=3), label, chief, row.pk, "approve")
    if rng.random() < 0.05:
        replay.fire_at(asked + dt.timedelta(hours=4), label, row.created_by, row.pk, "cancel")
        return False
    dispatched = asked + dt.timedelta(hours=5)
    for car, driver in rng.sample([(c, d) for c in cars for d in drivers], 12):
        with replay.at(dispatched):
            version = registry.model_for(entity).objects.values_list("version", flat=True).get(pk=row.pk)
            try:
                services.update_record(
                    entity, dispatcher, row.pk, {"vehicle": car.pk, "driver": driver.pk}, version
                )
            except InvalidInput:
                continue  # that car or driver is out then: try another
        replay.fire_at(dispatched + dt.timedelta(minutes=5), label, dispatcher, row.pk, "assign")
        break
    else:
        return False
    if returns.date() >= today:
        return False
    odometer = 10_000 + rng.randint(0, 90_000)
    with replay.at(returns + dt.timedelta(minutes=30)):
        version = registry.model_for(entity).objects.values_list("version", flat=True).get(pk=row.pk)
        readings = {
            "odometer_start": odometer,
            "odometer_end": odometer + km + rng.randint(-5, 15),
            "fuel_litres": str(round(km * 0.09, 1)),
        }
        services.update_record(entity, dispatcher, row.pk, readings, version)
    replay.fire_at(returns + dt.timedelta(minutes=35), label, dispatcher, row.pk, "close")
    return True
