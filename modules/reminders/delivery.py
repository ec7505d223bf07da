"""Deliver a new reminder: a push to the recipient's live sockets, and an email.

Called once, by the process whose insert created the inbox row, after commit.
The email is claimed with a conditional update, so it cannot go out twice even
if delivery were retried.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from modules.engine import registry
from realtime.bus import publish

log = logging.getLogger(__name__)

EVENT_TYPE = "reminder.created"


def group_for_user(user_id: int) -> str:
    return f"reminders.user.{user_id}"


def deliver(reminder_id: int) -> None:
    model = registry.model_for("reminders.Reminder")
    reminder = model.objects.select_related("rule", "recipient").get(pk=reminder_id)
    publish(
        group_for_user(reminder.recipient_id),
        {
            "type": EVENT_TYPE,
            "id": reminder.pk,
            "title": reminder.title,
            "body": reminder.body,
            "url": reminder.url,
            "source": reminder.source,
            "object_id": reminder.object_id,
            "created_at": reminder.created_at.isoformat(),
        },
    )
    address = reminder.recipient.email
    if not (reminder.rule.send_email and address):
        return
    claimed = model.objects.filter(pk=reminder.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return
    try:
        link = f"{settings.SITE_URL.rstrip('/')}{reminder.url}" if reminder.url else ""
        send_mail(
            subject=f"[One MST] {reminder.title}",
            message=f"{reminder.body}\n\n{link}".strip(),
            from_email=None,
            recipient_list=[address],
        )
    except Exception:  # the inbox and the push already have it; log, do not fail the run
        log.exception("could not email reminder %s", reminder.pk)
