"""Vehicle trips: who may name a vehicle and a driver, and what closing a trip needs."""

from __future__ import annotations

from typing import Any

from modules.engine.guards import ONLY_OFFICE, only_units_seeing_all


def validate_trip(instance: Any, user: Any) -> dict[str, list[str]]:
    """Only the Office's dispatcher names a vehicle or a driver; readings never run backwards."""
    errors: dict[str, list[str]] = {}
    if instance.passengers is not None and instance.passengers < 1:
        errors["passengers"] = ["Số người đi phải từ 1 trở lên. / At least one passenger."]
    vehicle = instance.vehicle if instance.vehicle_id else None
    if vehicle is not None and instance.passengers and instance.passengers > vehicle.seats:
        errors["vehicle"] = [f"Xe chỉ có {vehicle.seats} chỗ. / The vehicle seats {vehicle.seats}."]
    if vehicle is not None and not vehicle.is_active:
        errors.setdefault("vehicle", []).append("Xe đang ngừng sử dụng. / The vehicle is out of use.")
    if instance.driver_id and not instance.driver.is_active:
        errors["driver"] = ["Lái xe đang ngừng làm việc. / The driver is not on duty."]
    start, end = instance.odometer_start, instance.odometer_end
    if start is not None and end is not None and end < start:
        errors["odometer_end"] = [
            "Số km lúc về nhỏ hơn lúc đi. / The closing reading is below the opening one."
        ]
    changed = _dispatch_changed(instance)
    if changed and only_units_seeing_all(instance, user):
        for name in changed:
            errors.setdefault(name, []).append(ONLY_OFFICE)
    return errors


def _dispatch_changed(instance: Any) -> list[str]:
    """The dispatch fields this write sets or changes (compared with the stored row)."""
    names = ("vehicle_id", "driver_id")
    if instance.pk is None:
        stored: dict[str, Any] = {}
    else:
        stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first() or {}
    return [
        n[:-3] for n in names if getattr(instance, n) is not None and getattr(instance, n) != stored.get(n)
    ]


def dispatched(instance: Any, user: Any) -> str | None:
    """A trip is assigned once it has both a vehicle and a driver."""
    if instance.vehicle_id and instance.driver_id:
        return None
    return "Cần chọn xe và lái xe trước. / Choose a vehicle and a driver first."


def readings_taken(instance: Any, user: Any) -> str | None:
    """A trip closes with both odometer readings (the km of the monthly report)."""
    if instance.odometer_start is not None and instance.odometer_end is not None:
        return None
    return "Cần nhập số km lúc đi và lúc về. / Enter the odometer readings first."
