"""A week's schedule changed: an item was added, changed or cancelled (issue 16, "Subscriptions:
the week's schedule").

Published after commit on the week's own channel-layer group (`schedule.week.<id>`), so only
that week's subscribers are woken. The message carries the item's owner unit, creator and
shared flag, so `weekSchedule` judges each event with the engine's rule for each subscriber.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from realtime.bus import publish

EVENT_TYPE = "schedule.item"
CHANGES = (
    ("added", "Thêm vào lịch", "Added"),
    ("changed", "Thay đổi", "Changed"),
    ("cancelled", "Huỷ", "Cancelled"),
)


def group_for_week(week_id: Any) -> str:
    return f"schedule.week.{week_id}"


def announce(item: Any, created: bool) -> None:
    """Inside the item's write: the event leaves once it commits (a rolled-back write says nothing)."""
    action = "cancelled" if item.cancelled else "added" if created else "changed"
    message = {
        "type": EVENT_TYPE,
        "action": action,
        "id": item.pk,
        "week_id": item.week_id,
        "version": item.version,
        "owner_unit_id": item.owner_unit_id,
        "created_by_id": item.created_by_id,
        "is_shared": item.is_shared,
        "starts_at": timezone.localtime(item.starts_at).isoformat(),  # Asia/Ho_Chi_Minh
        "ends_at": timezone.localtime(item.ends_at).isoformat() if item.ends_at else None,
        "title": item.title,
        "place": item.place_room.name if item.place_room_id else item.place or "",
        "is_changed": item.is_changed,
        "change_reason": item.change_reason or "",
        "cancelled": item.cancelled,
    }
    transaction.on_commit(partial(publish, group_for_week(item.week_id), message))
