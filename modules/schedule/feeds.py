"""The weekly schedules' iCalendar feeds (`engine/icalfeed.py`): the leaders' schedule, a unit's,
and a person's own items; each shows only items the token's user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from modules.engine import registry
from modules.engine.access import scoped_queryset
from modules.engine.icalfeed import FeedEvent, window

from .busy import DEFAULT_LENGTH
from .notices import place_of


def _items(user: Any) -> Any:
    start, end = window()
    entity = registry.entity_by_label("schedule.ScheduleItem")
    return (
        scoped_queryset(user, entity, "view")
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("place_room", "week")
        .order_by("starts_at")
    )


def _status(item: Any) -> str:
    if item.cancelled:
        return "CANCELLED"
    return "CONFIRMED" if item.week.state == "published" else "TENTATIVE"


def _event(item: Any) -> FeedEvent:
    note = f"Thay đổi / Changed: {item.change_reason}" if item.is_changed else ""
    return FeedEvent(
        uid=f"schedule.item.{item.pk}@onemst",
        starts_at=item.starts_at,
        ends_at=item.ends_at or item.starts_at + DEFAULT_LENGTH,
        summary=item.title,
        location=place_of(item),
        description="\n".join(x for x in (note, item.notes) if x),
        status=_status(item),
        updated_at=item.updated_at,
    )


def leaders_feed(user: Any, key: str) -> tuple[str, list[FeedEvent]]:
    rows = _items(user).filter(week__kind="leaders", week__state="published")
    return "Lịch công tác Lãnh đạo Bộ", [_event(i) for i in rows]


def unit_feed(user: Any, key: str) -> tuple[str, list[FeedEvent]]:
    unit = registry.model_for("org.Unit").objects.filter(pk=key if key.isdigit() else None).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị. / Unit not found.")
    rows = _items(user).filter(week__kind="unit", owner_unit=unit)
    return f"Lịch công tác {unit.name}", [_event(i) for i in rows]


def my_schedule_feed(user: Any, key: str) -> tuple[str, list[FeedEvent]]:
    rows = _items(user).filter(Q(chair=user) | Q(participants=user)).distinct()
    return "Lịch công tác của tôi / My schedule", [_event(i) for i in rows]
