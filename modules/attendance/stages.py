"""Stage timings of one check-in: cheap `perf_counter` timers, reported three ways.

A check-in is decode → downscale → detect → encode → identify → write → answer. Each stage
is timed where it runs (`with timer.stage("detect"): ...`); the kiosk's HTTP answer carries
them in a `Server-Timing` header (the W3C header browsers' developer tools show), the
debug log has one line per check-in, and bench/faces.py reads the header to report p50/p95
per stage. A timer costs two `perf_counter` calls per stage; `NO_TIMER` costs nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("decode", "downscale", "detect", "encode", "identify", "write", "answer")
log = logging.getLogger("onemst.attendance.checkin")


class StageTimer:
    """Milliseconds per named stage, in the order they ran (a stage run twice adds up)."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.ms[name] = self.ms.get(name, 0.0) + (time.perf_counter() - started) * 1000

    def server_timing(self) -> str:
        """`decode;dur=2.1, detect;dur=11.9, ...` (RFC-style Server-Timing metrics)."""
        return ", ".join(f"{name};dur={ms:.1f}" for name, ms in self.ms.items())

    def log(self, outcome: str) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("check-in %s: %s", outcome, " ".join(f"{k}={v:.1f}ms" for k, v in self.ms.items()))


class _NoTimer(StageTimer):
    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield


NO_TIMER = _NoTimer()
