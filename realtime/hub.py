"""One channel-layer listener per group and process, fanned out to local subscriptions.

A channel-layer group with one member per socket costs one layer message per
subscriber and event: with thousands of sockets, Redis `group_send` and the
in-memory queues become the bottleneck. Here each process joins a group once;
its pump receives every event once and hands it to the queues of the local
subscriptions, which judge visibility in pure Python (`access.snapshot_rule`).

The pump also stamps each message with the current permission generation
(`authcache.current_generation`), read once per event, so a subscription knows
when to rebuild its rule without a query of its own.

With the `realtime.timing` logger at DEBUG (bench/settings.py) the pump logs, per event,
when it received it, began offering it to the sinks and wrote the last frame, on the
clock of the publish stamp (realtime/bus.py), so a bench can tell the server's fan-out
from its client's reading. Otherwise it costs one level check per event.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, Protocol

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from config import gcpacer
from modules.engine.authcache import current_generation

log = logging.getLogger(__name__)
timing = logging.getLogger("realtime.timing")  # realtime/bus.py's stamps, one clock

GENERATION = "_generation"
REJOIN_SECONDS = 1800  # channels-redis forgets group members after a day (group_expiry)


AFTER_OFFERING = "_after_offering"  # the key, in `shared`, of work to do once every sink was offered


def after_offering(shared: dict[Any, Any], work: Callable[[], None]) -> None:
    """Run `work` once the event has been offered to every sink (e.g. the batched socket sends)."""
    shared.setdefault(AFTER_OFFERING, []).append(work)


def finish_offering(shared: dict[Any, Any]) -> None:
    for work in shared.pop(AFTER_OFFERING, ()):
        try:
            work()
        except Exception:  # the event is already committed; log and go on with the next
            log.exception("finishing a live event's delivery failed")


class Sink(Protocol):
    """A subscriber served inside the pump's loop, with no task of its own."""

    def offer(self, message: dict[str, Any], shared: dict[Any, Any]) -> bool:
        """Deliver `message` if it is for this subscriber; `shared` lives for this one message.
        True when a frame was written now, or queued for this event's batched sends
        (`after_offering`); False when skipped or kept for later."""


class Hub:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue]] = {}
        self._sinks: dict[str, dict[int, Sink]] = {}
        self._pumps: dict[str, asyncio.Task] = {}

    @asynccontextmanager
    async def listen(self, group: str) -> AsyncIterator[asyncio.Queue]:
        """A queue receiving every message sent to `group`, while the block runs."""
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.setdefault(group, set()).add(queue)
        await self._ensure_pump(group)
        try:
            yield queue
        finally:
            self._queues[group].discard(queue)

    @asynccontextmanager
    async def attach(self, group: str, sink: Sink) -> AsyncIterator[None]:
        """Call `sink.offer` for every message sent to `group`, while the block runs."""
        self._sinks.setdefault(group, {})[id(sink)] = sink
        await self._ensure_pump(group)
        try:
            yield
        finally:
            self._sinks[group].pop(id(sink), None)

    def listeners(self, group: str) -> int:
        return len(self._queues.get(group, ())) + len(self._sinks.get(group, ()))

    async def _ensure_pump(self, group: str) -> None:
        gcpacer.note_activity()  # a subscription is joining: sockets are connecting
        pump = self._pumps.get(group)
        if pump is None or pump.done():
            ready = asyncio.Event()
            self._pumps[group] = asyncio.create_task(self._pump(group, ready), name=f"hub:{group}")
            await ready.wait()

    async def _pump(self, group: str, ready: asyncio.Event) -> None:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        ready.set()
        rejoin = asyncio.create_task(self._keep_joined(layer, group, channel))
        try:
            while True:
                message = await layer.receive(channel)
                received = time.perf_counter()
                gcpacer.note_activity()  # no paced full collection while events flow
                try:
                    message[GENERATION] = await sync_to_async(current_generation, thread_sensitive=False)()
                except Exception:  # no cache: subscriptions rebuild their rule on every event
                    log.exception("could not read the permission generation")
                    message[GENERATION] = None
                for queue in tuple(self._queues.get(group, ())):
                    queue.put_nowait(message)
                timed = timing.isEnabledFor(logging.DEBUG)
                offered, written = time.perf_counter() if timed else 0.0, 0
                shared: dict[Any, Any] = {}
                sinks = tuple(self._sinks.get(group, {}).values())
                for sink in sinks:
                    try:
                        written += bool(sink.offer(message, shared))
                    except Exception:  # one broken subscriber must not starve the others
                        log.exception("a live subscriber failed on an event")
                finish_offering(shared)
                if timed:
                    timing.debug(
                        "fanout group=%s number=%s received=%.6f offered=%.6f written=%.6f"
                        " frames=%d sinks=%d",
                        group,
                        message.get("number", message.get("id", "")),
                        received,
                        offered,
                        time.perf_counter(),
                        written,
                        len(sinks),
                    )
        finally:
            rejoin.cancel()
            with suppress(Exception):
                await layer.group_discard(group, channel)

    @staticmethod
    async def _keep_joined(layer: Any, group: str, channel: str) -> None:
        while True:
            await asyncio.sleep(REJOIN_SECONDS)
            with suppress(Exception):
                await layer.group_add(group, channel)


hub = Hub()
