"""Messages a module sends outside, through an outbox: written with the change, sent after commit.

A module declares its outboxes (`definitions.Outbox`) and calls `enqueue(...)` inside the
transaction of the change that causes the message, so a change that rolls back sends
nothing, and a message is never lost because the mail server or the gateway was down.
After commit the job worker (django-q2) is asked to `deliver`; the scheduler's tick runs it
every minute too, which is what picks up the retries:

- in order per stream (a stream's later messages wait while an earlier one is retried);
- with exponential backoff (the outbox's `backoff_seconds`, doubled per failure, capped);
- after `max_attempts` the message is marked failed and stops blocking its stream: it is
  listed in the admin ("Hộp thư đi"), where an administrator can send it again;
- claimed before sending (a conditional UPDATE), so two workers never send one at once;
- each message has a unique key, sent along (`Idempotency-Key`, a mail header), so a
  receiver can recognise a message sent twice after a lost answer.

Channels: "email" goes through Django's email backend (settings.EMAIL_BACKEND); "sms" is
posted as JSON to the HTTP gateway at settings.SMS_GATEWAY_URL and is off (nothing queued)
while that setting is empty. A module may add its own (`register_channel`), e.g. another
agency's document exchange.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from . import registry
from .definitions import Outbox

log = logging.getLogger(__name__)

DELIVER = "modules.engine.outbox.deliver"
CLAIM_SECONDS = 120
BATCH = 200


@dataclass(frozen=True)
class Channel:
    send: Callable[[Any], None]  # raises on failure
    enabled: Callable[[], bool] = lambda: True


def model() -> Any:
    from .models import OutboxMessage

    return OutboxMessage


def declared(name: str) -> Outbox:
    """The outbox `<module label>.<name>`, as its module declares it."""
    label, _, short = name.partition(".")
    module = next((m for m in registry.modules() if m.label == label), None)
    found = next((o for o in module.outboxes if o.name == short), None) if module else None
    if found is None:
        raise LookupError(f"no outbox {name!r} is declared")
    return found


CHANNEL_LABELS = {"email": ("Thư điện tử", "Email"), "sms": ("Tin nhắn SMS", "SMS")}


def labels() -> dict[str, dict[str, tuple[str, str]]]:
    """Every declared outbox's name, channels and topics as (vi, en) labels, for screens."""
    outboxes: dict[str, tuple[str, str]] = {}
    topics: dict[str, tuple[str, str]] = {}
    for module in registry.modules():
        for spec in module.outboxes:
            outboxes[f"{module.label}.{spec.name}"] = (spec.label_vi, spec.label_en)
            topics.update({code: (vi, en) for code, vi, en in spec.topics})
    return {"outbox": outboxes, "channel": dict(CHANNEL_LABELS), "topic": topics}


def enabled(channel: str) -> bool:
    return channel in _CHANNELS and _CHANNELS[channel].enabled()


def enqueue(
    outbox: str,
    channel: str,
    *,
    recipient: str,
    subject: str = "",
    body: str = "",
    payload: dict[str, Any] | None = None,
    record: Any = None,
    topic: str = "",
    stream: str = "",
    key: str = "",
) -> Any | None:
    """Queue one message in the current transaction; None when the channel is switched off."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.enqueue() must run inside the transaction of the change")
    spec = declared(outbox)
    if channel not in spec.channels or channel not in _CHANNELS:
        raise ValueError(f"outbox {outbox!r} has no channel {channel!r}")
    if spec.topics and topic not in {code for code, _vi, _en in spec.topics}:
        raise ValueError(f"outbox {outbox!r} has no topic {topic!r}")
    if not enabled(channel):
        return None
    entity = registry.entity_for(record) if record is not None else None
    record_label = entity.label if entity else ""
    record_id = getattr(record, "pk", None)
    message = model().objects.create(
        outbox=outbox,
        channel=channel,
        topic=topic[:100],
        key=(key or f"{outbox}:{uuid.uuid4()}")[:200],
        stream=(stream or f"{channel}:{record_label}:{record_id or recipient}")[:200],
        record_label=record_label,
        record_id=record_id,
        recipient=recipient[:254],
        subject=subject[:300],
        body=body,
        payload=payload or {},
    )
    waiting = transaction.get_connection().run_on_commit  # one ask per transaction is enough
    if not any(entry[1] is kick for entry in waiting):
        transaction.on_commit(kick)
    return message


def kick() -> None:
    """Ask the job worker to deliver now; if the queue cannot be reached, the tick will."""
    try:
        from django_q.tasks import async_task

        async_task(DELIVER, task_name=f"outbox {uuid.uuid4().hex[:8]}")
    except Exception:  # the change is committed; its messages wait for the next tick
        log.exception("could not queue outbox delivery; the scheduler's tick will send")


def pending() -> Any:
    return model().objects.filter(sent_at__isnull=True, failed_at__isnull=True)


def deliver(now: dt.datetime | None = None) -> str:
    """Send what is due (the worker's task and the tick's job); a summary for the job log."""
    now = now or timezone.now()
    blocked: set[str] = set()
    sent = failed = 0
    for message in pending().order_by("stream", "id")[:BATCH]:
        if message.stream in blocked:
            continue
        if (message.next_attempt_at and message.next_attempt_at > now) or not _claim(message, now):
            blocked.add(message.stream)  # keep the stream's order: later messages wait
            continue
        try:
            _CHANNELS[message.channel].send(message)
        except Exception as exc:
            _failed(message, now, exc)
            blocked.add(message.stream)
            failed += 1
            continue
        model().objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), attempts=message.attempts + 1, last_error="", claimed_until=None
        )
        sent += 1
    return f"{sent} sent, {failed} failed, {pending().count()} waiting"


def _claim(message: Any, now: dt.datetime) -> bool:
    with transaction.atomic():
        taken = (
            pending()
            .filter(pk=message.pk)
            .exclude(claimed_until__gt=now)
            .update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
        )
    return bool(taken)


def _failed(message: Any, now: dt.datetime, exc: BaseException) -> None:
    try:
        spec = declared(message.outbox)
    except LookupError:  # the declaration is gone: try as the defaults say
        spec = Outbox(name="", label_vi="", label_en="")
    attempts = message.attempts + 1
    delay = min(spec.max_backoff_seconds, spec.backoff_seconds * 2 ** (attempts - 1))
    gave_up = attempts >= spec.max_attempts
    model().objects.filter(pk=message.pk).update(
        attempts=attempts,
        next_attempt_at=None if gave_up else now + dt.timedelta(seconds=delay),
        failed_at=now if gave_up else None,
        last_error=f"{type(exc).__name__}: {exc}"[:500],
        claimed_until=None,
    )
    log.warning("outbox message %s (%s) failed, attempt %s: %s", message.pk, message.channel, attempts, exc)


def send_again(queryset: Any) -> int:
    """An administrator's retry: failed or waiting messages are due now, with a fresh count."""
    count = queryset.filter(sent_at__isnull=True).update(
        failed_at=None, next_attempt_at=None, claimed_until=None, attempts=0
    )
    if count:
        transaction.on_commit(kick)
    return count


# --- channels ----------------------------------------------------------------------------------


def send_email(message: Any) -> None:
    """Through Django's email backend; the key as a header, so a repeat can be recognised."""
    EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.recipient],
        headers={"X-Onemst-Key": message.key},
    ).send(fail_silently=False)


def sms_gateway() -> str:
    return getattr(settings, "SMS_GATEWAY_URL", "") or ""


def send_sms(message: Any) -> None:
    """POST {"to", "text", "id"} as JSON to the gateway; any answer but 2xx is a failure."""
    headers = {"Content-Type": "application/json", "Idempotency-Key": message.key}
    token = getattr(settings, "SMS_GATEWAY_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        sms_gateway(),
        data=json.dumps({"to": message.recipient, "text": message.body, "id": message.key}).encode(),
        headers=headers,
        method="POST",
    )
    timeout = float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))
    with urllib.request.urlopen(request, timeout=timeout) as response:  # the configured gateway
        if not 200 <= response.status < 300:
            raise OSError(f"the SMS gateway answered {response.status}")


_CHANNELS: dict[str, Channel] = {
    "email": Channel(send_email),
    "sms": Channel(send_sms, enabled=lambda: bool(sms_gateway())),
}


def register_channel(
    name: str,
    send: Callable[[Any], None],
    enabled: Callable[[], bool] | None = None,
    label: tuple[str, str] = ("", ""),
) -> None:
    """A module's own delivery channel (e.g. another agency's endpoint), with its (vi, en) label."""
    _CHANNELS[name] = Channel(send, enabled or (lambda: True))
    CHANNEL_LABELS[name] = label if label[0] else (name, name)
