"""Forward committed record changes to the channel layer (every worker, with Redis)."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

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
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # the write already committed; a broken layer must not turn it into a 500
        log.exception("could not publish to %s", group)


def forward_record_event(sender: Any, entity: Any, action: str, snapshot: dict[str, Any], **_: Any) -> None:
    message = {"type": RECORD_EVENT, "entity": entity.label, "action": action, **snapshot}
    publish(group_for(entity.label), message)
