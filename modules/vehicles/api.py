"""GraphQL additions of the vehicles module: `vehicleAssignments(day, vehicle, driver)`, a
vehicle's or a driver's day, live.

Each event is a trip given to, moved on or taken from that vehicle or driver on that day
(Asia/Ho_Chi_Minh), judged with the engine's rule for the subscriber: the Office sees every
trip, a unit its own; another unit's trip never reaches it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import strawberry
from strawberry.types import Info

from schema.enums import lazy_at

from . import events

TripState = lazy_at("vehicles.VehicleRequest.state")


@strawberry.type(
    name="VehicleAssignmentEvent",
    description="Chuyến xe được điều, đổi giờ hoặc bỏ khỏi xe, lái xe / A trip assigned, moved or unassigned",
)
class VehicleAssignmentEvent:
    id: strawberry.ID
    number: str
    state: TripState  # type: ignore[valid-type]
    purpose: str
    route: str
    vehicle_id: Optional[strawberry.ID]
    driver_id: Optional[strawberry.ID]
    starts_at: dt.datetime
    ends_at: dt.datetime


def _event(message: dict[str, Any]) -> VehicleAssignmentEvent:
    def ident(value: Any) -> strawberry.ID | None:
        return strawberry.ID(str(value)) if value else None

    return VehicleAssignmentEvent(
        id=strawberry.ID(str(message["id"])),
        number=message["number"],
        state=message["state"],
        purpose=message["purpose"],
        route=message["route"],
        vehicle_id=ident(message["vehicle_id"]),
        driver_id=ident(message["driver_id"]),
        starts_at=dt.datetime.fromisoformat(message["starts_at"]),
        ends_at=dt.datetime.fromisoformat(message["ends_at"]),
    )


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _meets(message: dict[str, Any], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the trip's range, before or after the write, meets the day."""
    for a, b in message.get("ranges", ()):
        if dt.datetime.fromisoformat(a) < end and dt.datetime.fromisoformat(b) > start:
            return True
    return False


def vehicle_subscriptions() -> dict[str, Any]:
    from modules.engine import registry
    from realtime.feeds import Feed, feed_resolver
    from realtime.visibility import LiveRule
    from schema.context import BadUserInput, require_user

    async def vehicle_assignments(
        info: Info,
        day: dt.date,
        vehicle: Optional[strawberry.ID] = None,
        driver: Optional[strawberry.ID] = None,
    ) -> Feed:
        user = require_user(info)
        for name, value in (("vehicle", vehicle), ("driver", driver)):
            if value is not None and not str(value).isdigit():
                raise BadUserInput(name, "Mã không hợp lệ. / Invalid id.")
        vehicle_id = int(vehicle) if vehicle is not None else None
        driver_id = int(driver) if driver is not None else None
        start, end = _day_bounds(day)
        rule = LiveRule(user, registry.entity_by_label("vehicles.VehicleRequest"))
        await rule.refresh()

        def accepts(message: dict[str, Any]) -> bool:
            return (
                message.get("type") == events.EVENT_TYPE
                and (vehicle_id is None or vehicle_id in message["vehicle_ids"])
                and (driver_id is None or driver_id in message["driver_ids"])
                and _meets(message, start, end)
            )

        return Feed(group=events.GROUP, accepts=accepts, to_event=_event, rule=rule)

    return {
        "vehicle_assignments": strawberry.subscription(
            resolver=feed_resolver(vehicle_assignments, VehicleAssignmentEvent),
            name="vehicleAssignments",
            description="Ngày của một xe hoặc một lái xe: chuyến được điều, đổi, bỏ (chỉ chuyến được xem) / "
            "A vehicle's or a driver's day: trips assigned, moved, unassigned (only trips you may see)",
        )
    }
