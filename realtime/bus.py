"""Forward committed record changes to the channel layer (every worker, with Redis)."""

from __future__ import annotations

import logging
import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)
# At DEBUG, one line per published event: when it left the committed write (CLOCK_MONOTONIC,
# comparable across processes of one machine) and how long the send held the writer.
# bench/subscriptions.py splits a user's wait into write and fan-out with it.
timing = logging.getLogger("realtime.timing")

RECORD_EVENT = "record.changed"


def group_for(entity_label: str) -> str:
    """Channel-layer group of one entity's changes, e.g. `records.tasks.Task`."""
    return f"records.{entity_label}"


# Set by config/asgi.py: this process holds the sockets (Daphne).
SERVING = False


def publish(group: str, message: dict[str, Any]) -> None:
    """Send a message to every socket listening on `group` (call it after commit).

    A process that holds no sockets (the job worker, `manage.py tick`) cannot reach
    an in-memory layer; it leaves the event for the server's relay instead.
    """
    from .relay import layer_is_shared

    if not SERVING and not layer_is_shared():
        from .models import RelayedEvent

        try:
            RelayedEvent.objects.create(group=group, message=message)
        except Exception:
            log.exception("could not queue %s for the relay", group)
        return
    layer = get_channel_layer()
    if layer is None:
        return
    committed = time.perf_counter()
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # the write already committed; a broken layer must not turn it into a 500
        log.exception("could not publish to %s", group)
    if timing.isEnabledFor(logging.DEBUG):
        timing.debug(
            "published group=%s number=%s committed=%.6f send_ms=%.2f",
            group,
            message.get("number", message.get("id", "")),
            committed,
            (time.perf_counter() - committed) * 1000,
        )


def forward_record_event(sender: Any, entity: Any, action: str, snapshot: dict[str, Any], **_: Any) -> None:
    message = {"type": RECORD_EVENT, "entity": entity.label, "action": action, **snapshot}
    publish(group_for(entity.label), message)
