"""Carry events from other processes into the server's in-memory channel layer.

With Redis (`REDIS_URL`) every process reaches every socket and this is unused.
Without it, the channel layer lives inside the Daphne process, so events raised
by the job worker or `manage.py tick` are written to `RelayedEvent`, and this
loop, started with the server's first socket, sends them on within a second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

POLL_SECONDS = 0.3
KEEP = dt.timedelta(minutes=10)

_task: asyncio.Task | None = None


def layer_is_shared() -> bool:
    """True when every process reaches the same channel layer (Redis)."""
    return not settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("InMemoryChannelLayer")


def ensure_running() -> None:
    """Start the relay once per server process (called from a socket's connect)."""
    global _task
    if layer_is_shared() or (_task is not None and not _task.done()):
        return
    _task = asyncio.get_running_loop().create_task(_run(), name="onemst-relay")


def _latest_id() -> int:
    from .models import RelayedEvent

    return RelayedEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _after(last: int) -> list[tuple[int, str, dict[str, Any]]]:
    from .models import RelayedEvent

    rows = RelayedEvent.objects.filter(id__gt=last).order_by("id").values_list("id", "group", "message")
    return list(rows[:500])


def _prune() -> None:
    from .models import RelayedEvent

    RelayedEvent.objects.filter(created_at__lt=timezone.now() - KEEP).delete()


async def _run() -> None:
    layer = get_channel_layer()
    last = await database_sync_to_async(_latest_id)()
    rounds = 0
    while True:
        try:
            rows = await database_sync_to_async(_after)(last)
            for row_id, group, message in rows:
                await layer.group_send(group, message)
                last = row_id
            rounds += 1
            if rounds % 1000 == 0:
                await database_sync_to_async(_prune)()
        except Exception:  # a database hiccup must not stop live updates for good
            log.exception("relay round failed")
        await asyncio.sleep(POLL_SECONDS)
