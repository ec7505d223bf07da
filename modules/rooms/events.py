"""A room's busy times changed: published after commit, with times only (busy times are
everyone's; the purpose is not), for the room boards and `roomBusyChanged`."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from realtime.bus import publish

GROUP = "rooms.busy"
EVENT_TYPE = "room.busy"


def announce(booking: Any, user: Any = None, created: bool = False) -> None:
    """An `after_save` hook: every write of a booking (a transition too) may move busy times."""
    transaction.on_commit(partial(_send, booking.room_id, booking.pk, booking.starts_at, booking.ends_at))


def _send(room_id: int, booking_id: int, starts_at: Any, ends_at: Any) -> None:
    publish(
        GROUP,
        {
            "type": EVENT_TYPE,
            "room_id": room_id,
            "booking_id": booking_id,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
        },
    )
