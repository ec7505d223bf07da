"""Turn active rules into reminders: exactly once per row, rule, occurrence and recipient.

Each rule gives at most one *occurrence* per row and day:
- before N: the working day N working days before the deadline; sent from that
  day until the deadline, so a scheduler that was down catches up (once);
- on_day: the deadline itself, on that day only;
- overdue_daily: today, while overdue (a missed day is not sent later: no flood);
- after N: the working day N working days after the deadline; sent from then on, once.

The inbox row's unique key (rule, source, object, occurrence, recipient) makes a
second scheduler, a restart or a re-run a no-op: only the process whose insert
wins delivers, after its transaction commits. Nothing is sent on days off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from modules.engine import registry, workdays

from . import delivery, sources


@dataclass
class RunSummary:
    created: int = 0
    already_sent: int = 0

    def __str__(self) -> str:
        return f"{self.created} new, {self.already_sent} already sent"


def occurrence_for(trigger: str, days: int, deadline: dt.date, today: dt.date) -> dt.date | None:
    if trigger == "before":
        start = workdays.subtract_working_days(deadline, days)
        return start if start <= today <= deadline else None
    if trigger == "on_day":
        return deadline if today == deadline else None
    if trigger == "overdue_daily":
        return today if today > deadline else None
    if trigger == "after":
        start = workdays.add_working_days(deadline, days)
        return start if today >= start else None
    return None


def run_reminders(today: dt.date | None = None) -> RunSummary:
    today = today or workdays.today()
    summary = RunSummary()
    if not workdays.is_working_day(today):
        return summary
    rule_model = registry.model_for("reminders.ReminderRule")
    for rule in rule_model.objects.filter(active=True).order_by("id"):
        source = sources.get(rule.source)
        if source is None:
            continue
        for row in source.open_items():
            if rule.priority and source.priority_of(row) != rule.priority:
                continue
            if rule.key_only and not source.is_key(row):
                continue
            deadline = source.deadline_of(row)
            if deadline is None:
                continue
            occurrence = occurrence_for(rule.trigger, rule.days or 0, deadline, today)
            if occurrence is None:
                continue
            message = source.message(row, rule.trigger, today)
            for user in source.recipients(row, rule.recipient):
                if _remind(rule, source.key, row.pk, occurrence, user, message):
                    summary.created += 1
                else:
                    summary.already_sent += 1
    return summary


def _remind(rule: Any, source_key: str, object_id: int, occurrence: dt.date, user: Any, message: Any) -> bool:
    """Insert the inbox row; True when this call created it (and will deliver it)."""
    model = registry.model_for("reminders.Reminder")
    with transaction.atomic():
        reminder, created = model.objects.get_or_create(
            rule=rule,
            source=source_key,
            object_id=object_id,
            occurrence=occurrence,
            recipient=user,
            defaults={"title": message.title, "body": message.body, "url": message.url, "version": 1},
        )
        if created:
            transaction.on_commit(lambda: delivery.deliver(reminder.pk))
    return created
