"""Each person's inbox over GraphQL: `myReminders`, `markRemindersRead`, and the
`myReminders` subscription that pushes new reminders as they are created."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import strawberry
from django.utils import timezone
from strawberry.types import Info

from modules.engine import registry
from realtime.feeds import Feed, feed_resolver

from . import delivery


@strawberry.type(name="InboxReminder", description="Lời nhắc trong hộp nhắc việc / An inbox reminder")
class InboxReminder:
    id: strawberry.ID
    title: str
    body: str
    url: str
    source: str
    object_id: int
    occurrence: Optional[dt.date]
    created_at: dt.datetime
    read: bool


@strawberry.type(name="InboxPage")
class InboxPage:
    unread_count: int
    total_count: int
    results: list[InboxReminder]


def _as_gql(row: Any) -> InboxReminder:
    return InboxReminder(
        id=strawberry.ID(str(row.pk)),
        title=row.title,
        body=row.body,
        url=row.url,
        source=row.source,
        object_id=row.object_id,
        occurrence=row.occurrence,
        created_at=row.created_at,
        read=row.read_at is not None,
    )


def _inbox(user: Any) -> Any:
    return registry.model_for("reminders.Reminder").objects.filter(recipient_id=user.pk)


def reminder_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def my_reminders(info: Info, unread_only: bool = False, limit: int = 50, offset: int = 0) -> InboxPage:
        user = require_user(info)
        rows = _inbox(user)
        unread = rows.filter(read_at__isnull=True)
        page = (unread if unread_only else rows).order_by("-id")[
            max(offset, 0) : max(offset, 0) + min(limit, 200)
        ]
        return InboxPage(
            unread_count=unread.count(),
            total_count=(unread if unread_only else rows).count(),
            results=[_as_gql(r) for r in page],
        )

    return {
        "my_reminders": strawberry.field(
            resolver=django_resolver(my_reminders),
            name="myReminders",
            description="Hộp nhắc việc của tôi / My reminder inbox",
        )
    }


def reminder_mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def mark_read(info: Info, ids: Optional[list[strawberry.ID]] = None) -> int:
        """Mark the given reminders (or all) as read; only one's own. Returns how many changed."""
        user = require_user(info)
        rows = _inbox(user).filter(read_at__isnull=True)
        if ids is not None:
            rows = rows.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])
        return rows.update(read_at=timezone.now())

    return {
        "mark_reminders_read": strawberry.mutation(
            resolver=django_resolver(mark_read),
            name="markRemindersRead",
            description="Đánh dấu đã đọc / Mark reminders as read",
        )
    }


def _inbox_event(message: dict[str, Any]) -> InboxReminder:
    return InboxReminder(
        id=strawberry.ID(str(message["id"])),
        title=message["title"],
        body=message["body"],
        url=message["url"],
        source=message["source"],
        object_id=message["object_id"],
        occurrence=None,
        created_at=dt.datetime.fromisoformat(message["created_at"]),
        read=False,
    )


def _is_reminder(message: dict[str, Any]) -> bool:
    return message.get("type") == delivery.EVENT_TYPE


def reminder_subscriptions() -> dict[str, Any]:
    from schema.context import require_user

    async def my_reminders(info: Info) -> Feed:
        """The group is the user's own: nobody else's reminders reach it."""
        user = require_user(info)
        return Feed(group=delivery.group_for_user(user.pk), accepts=_is_reminder, to_event=_inbox_event)

    return {
        "my_reminders": strawberry.subscription(
            resolver=feed_resolver(my_reminders, InboxReminder),
            name="myReminders",
            description="Lời nhắc mới của tôi / My new reminders, live",
        )
    }
