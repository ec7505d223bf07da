"""Keep the garbage collector's full passes out of the way of a server holding thousands of sockets.

CPython's full (generation 2) collection walks every live container object while holding
the interpreter. A server process starts with about 290,000 of them (Django, the
generated models and schema) and each open subscription adds about 140 more, so with
5,000 sockets a full pass walks about a million objects: measured at 0.9–4 s on this
2-core machine (docs/benchmarks.md), during which no write commits and no frame leaves.
CPython starts one whenever the long-lived objects grew by a quarter, which is often
while sockets connect, and at a moment nobody chooses.

So the serving process (config/asgi.py):
- freezes the heap it has after start-up (`gc.freeze`): code, models and schema live as
  long as the process, and full passes no longer walk them;
- leaves young collections (generations 0 and 1, which find nearly all garbage cycles, in
  milliseconds) as they are, but turns the automatic full pass off;
- runs the full pass itself, from a watcher thread, when the heap grew by a quarter since
  the last one **and** the process has been quiet (no request, no live event) for
  QUIET_SECONDS; or, whatever the traffic, once it has doubled, so that memory held by
  garbage cycles stays bounded.

The heap is measured as the allocator's blocks beyond the frozen start-up heap
(`sys.getallocatedblocks()`, a fraction of a millisecond). Counting the old generation's
objects instead (`len(gc.get_objects(2))`) builds a list of every one of them: 40–70 ms
with the interpreter held at 5,000 sockets, every CHECK_SECONDS — itself a stall in the
subscription tail.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time

log = logging.getLogger(__name__)

CHECK_SECONDS = 5.0
QUIET_SECONDS = 3.0
GROWTH_WHEN_QUIET = 1.25  # CPython's own rule for starting a full pass
GROWTH_ANYWAY = 2.0
MIN_BLOCKS = 100_000  # below this a full pass costs a few tens of milliseconds: not worth pacing
NEVER = 1_000_000_000  # generation 2's threshold: the automatic full pass never starts

_last_activity = time.monotonic()
_started = False
_frozen_blocks = 0


def note_activity() -> None:
    """Called on each request and each live event: the process is not quiet."""
    global _last_activity
    _last_activity = time.monotonic()


def heap_size() -> int:
    """The allocator's blocks beyond the frozen start-up heap (cheap: walks no object)."""
    return max(sys.getallocatedblocks() - _frozen_blocks, 0)


def due(size: int, baseline: int, idle: float) -> bool:
    """Whether a full pass should run now, for a heap of `size` against `baseline` after the last."""
    limit = max(baseline, MIN_BLOCKS)
    if size >= limit * GROWTH_ANYWAY:
        return True
    return size >= limit * GROWTH_WHEN_QUIET and idle >= QUIET_SECONDS


def _watch() -> None:
    baseline = heap_size()
    while True:
        time.sleep(CHECK_SECONDS)
        size = heap_size()
        if due(size, baseline, time.monotonic() - _last_activity):
            started = time.perf_counter()
            gc.collect()
            baseline = heap_size()
            log.info(
                "full garbage collection: %d → %d blocks in %.0f ms",
                size,
                baseline,
                (time.perf_counter() - started) * 1000,
            )


def start() -> None:
    """Freeze the start-up heap and pace full collections from now on (once per process)."""
    global _started, _frozen_blocks
    if _started:
        return
    _started = True
    gc.collect()
    gc.freeze()
    _frozen_blocks = sys.getallocatedblocks()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    from django.core.signals import request_started

    request_started.connect(lambda **_: note_activity(), weak=False, dispatch_uid="onemst.gcpacer")
    threading.Thread(target=_watch, name="onemst-gc-pacer", daemon=True).start()
