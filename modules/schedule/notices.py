"""Telling the people a change to a published schedule affects: once each, per change.

A change is one saved version of an item after its week was published. Each person on the
item before or after the change (the chairing leader, the participants) gets one entry in the
reminders inbox, which pushes it live to their sockets and emails it (reminders/delivery.py).
"Once" is the inbox's unique key (rule, source, object id, occurrence, recipient) with the
object id of the change (the item's history row): a retried or concurrent save cannot tell
anyone twice, and a second change is a second notice.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from modules.engine import registry, workdays
from modules.engine.timeranges import describe

from .busy import DEFAULT_LENGTH

SOURCE = "schedule.ScheduleItem.change"
RULE_NAME = "Thông báo thay đổi lịch công tác đã công bố"


def _rule() -> Any:
    """The inbox entries' rule: shipped here, kept inactive for the deadline scheduler (it has
    no deadline source), edited like any rule (e.g. to stop the emails)."""
    model = registry.model_for("reminders.ReminderRule")
    rule, _ = model.objects.get_or_create(
        name=RULE_NAME,
        defaults={
            "source": SOURCE,
            "trigger": "on_day",
            "days": 0,
            "recipient": "responsible",
            "send_email": True,
            "active": False,
            "version": 1,
        },
    )
    return rule


def place_of(item: Any) -> str:
    """A meeting room's name, or the place as written."""
    if item.place_room_id:
        return item.place_room.name
    return item.place or "—"


def people_of(item: Any) -> set[int]:
    """The user ids an item concerns: its chair and its participants."""
    ids = set(item.participants.values_list("pk", flat=True)) if item.pk else set()
    if item.chair_id:
        ids.add(item.chair_id)
    return ids


def notify_change(item: Any, change_id: int, affected: set[int]) -> int:
    """One inbox entry per affected person for change `change_id`; returns how many were new."""
    from modules.reminders import delivery

    rule = _rule()
    model = registry.model_for("reminders.Reminder")
    title = f"Thay đổi lịch công tác: {item.title} / Schedule changed: {item.title}"
    ends = item.ends_at or item.starts_at + DEFAULT_LENGTH
    body = f"{describe(item.starts_at, ends)}, {place_of(item)}. Lý do / Reason: {item.change_reason}"
    made = 0
    for user_id in sorted(affected):
        reminder, created = model.objects.get_or_create(
            rule=rule,
            source=SOURCE,
            object_id=change_id,
            occurrence=workdays.today(),
            recipient_id=user_id,
            defaults={
                "title": title[:255],
                "body": body,
                "url": f"/schedule/week/{item.week_id}/",
                "version": 1,
            },
        )
        if created:
            made += 1
            transaction.on_commit(lambda pk=reminder.pk: delivery.deliver(pk))
    return made
