"""A vehicle's or a driver's day changed: a trip was given, moved, taken from or closed on a
vehicle or a driver (issue 16, "Subscriptions: vehicle assignments").

Published after commit on one group; the message carries the trip's vehicle, driver and times
before and after the write (a trip moved off a car leaves that car's day too), and its owner
unit and creator, so `vehicleAssignments` judges each event with the engine's rule.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from realtime.bus import publish

GROUP = "vehicles.assignments"
EVENT_TYPE = "vehicle.assignment"
KEPT = ("vehicle_id", "driver_id", "starts_at", "ends_at")


def remember(trip: Any, user: Any, created: bool) -> None:
    """A `before_save` hook: the stored vehicle, driver and times, to tell the days they leave."""
    stored = None if created else type(trip)._default_manager.filter(pk=trip.pk).values(*KEPT).first()
    trip._assignment_before = stored or {}


def _iso(moment: Any) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None  # Asia/Ho_Chi_Minh


def announce(trip: Any, user: Any, created: bool) -> None:
    """An `after_save` hook: a write that touches a vehicle's or a driver's day is announced."""
    before = getattr(trip, "_assignment_before", {})
    if not (trip.vehicle_id or trip.driver_id or before.get("vehicle_id") or before.get("driver_id")):
        return  # a request nobody was given to: no vehicle's or driver's day changed
    message = {
        "type": EVENT_TYPE,
        "id": trip.pk,
        "number": trip.number,
        "version": trip.version,
        "state": trip.state,
        "owner_unit_id": trip.owner_unit_id,
        "created_by_id": trip.created_by_id,
        "is_shared": False,
        "purpose": trip.purpose,
        "route": trip.route,
        "vehicle_id": trip.vehicle_id,
        "driver_id": trip.driver_id,
        "starts_at": _iso(trip.starts_at),
        "ends_at": _iso(trip.ends_at),
        "vehicle_ids": sorted({v for v in (trip.vehicle_id, before.get("vehicle_id")) if v}),
        "driver_ids": sorted({d for d in (trip.driver_id, before.get("driver_id")) if d}),
        "ranges": [
            [_iso(a), _iso(b)]
            for a, b in {(trip.starts_at, trip.ends_at), (before.get("starts_at"), before.get("ends_at"))}
            if a and b
        ],
    }
    transaction.on_commit(partial(publish, GROUP, message))
