"""GraphQL additions of the weekly schedule: `weekSchedule(week)`, the live week.

A subscriber names a week it may see (else NOT_FOUND, as an absent one); it then hears that
week's items added, changed or cancelled, each judged with the engine's rule for the subscriber
(`LiveRule`: a unit's draft week stays its own; a published week is everyone's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import strawberry
from strawberry.types import Info

from schema.enums import codes_enum

from . import events

ScheduleChange = codes_enum(
    "ScheduleChange",
    "Mục lịch được thêm, thay đổi hay huỷ / What happened to a schedule item",
    events.CHANGES,
)


@strawberry.type(
    name="ScheduleWeekChange",
    description="Một mục của lịch tuần được thêm, thay đổi hoặc huỷ / "
    "A week's item added, changed or cancelled",
)
class WeekScheduleEvent:
    action: ScheduleChange  # type: ignore[valid-type]
    item_id: strawberry.ID
    week_id: strawberry.ID
    starts_at: dt.datetime
    ends_at: Optional[dt.datetime]
    title: str
    place: str = strawberry.field(description="Phòng họp hoặc địa điểm / Meeting room or place")
    is_changed: bool = strawberry.field(description="Thay đổi sau khi công bố / Changed after publishing")
    change_reason: str
    cancelled: bool


def _event(message: dict[str, Any]) -> WeekScheduleEvent:
    return WeekScheduleEvent(
        action=message["action"],
        item_id=strawberry.ID(str(message["id"])),
        week_id=strawberry.ID(str(message["week_id"])),
        starts_at=dt.datetime.fromisoformat(message["starts_at"]),
        ends_at=dt.datetime.fromisoformat(message["ends_at"]) if message["ends_at"] else None,
        title=message["title"],
        place=message["place"],
        is_changed=message["is_changed"],
        change_reason=message["change_reason"],
        cancelled=message["cancelled"],
    )


def _visible_week(user: Any, week: Any) -> bool:
    from modules.engine import registry
    from modules.engine.access import scoped_queryset

    weeks = scoped_queryset(user, registry.entity_by_label("schedule.WeekSchedule"), "view")
    return weeks.filter(pk=int(week)).exists()


def schedule_subscriptions() -> dict[str, Any]:
    from channels.db import database_sync_to_async

    from modules.engine import registry
    from modules.engine.errors import NotFound
    from realtime.feeds import Feed, feed_resolver
    from realtime.visibility import LiveRule
    from schema.context import BadUserInput, require_user

    async def week_schedule(info: Info, week: strawberry.ID) -> Feed:
        user = require_user(info)
        if not str(week).isdigit():
            raise BadUserInput("week", "Mã lịch tuần không hợp lệ. / Invalid week id.")
        if not await database_sync_to_async(_visible_week)(user, week):  # hands the connection back
            raise NotFound("Không tìm thấy lịch. / Schedule not found.")
        rule = LiveRule(user, registry.entity_by_label("schedule.ScheduleItem"))
        await rule.refresh()
        wanted = int(week)

        def accepts(message: dict[str, Any]) -> bool:
            return message.get("type") == events.EVENT_TYPE and message.get("week_id") == wanted

        return Feed(group=events.group_for_week(wanted), accepts=accepts, to_event=_event, rule=rule)

    return {
        "week_schedule": strawberry.subscription(
            resolver=feed_resolver(week_schedule, WeekScheduleEvent),
            name="weekSchedule",
            description="Các mục của một lịch tuần được thêm, thay đổi, huỷ (chỉ mục được xem) / "
            "A week's items added, changed or cancelled (only items you may see)",
        )
    }
