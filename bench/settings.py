"""Settings of the Daphne a benchmark starts: the tests' settings, plus the timing log.

`realtime.timing` (realtime/bus.py) writes one line per published event to the file
named by BENCH_TIMING_LOG, so the bench can split a user's wait into write and fan-out.
"""

import os

from tests.settings import *  # noqa: F403

if os.environ.get("BENCH_TIMING_LOG"):
    LOGGING["handlers"]["timing"] = {  # noqa: F405
        "class": "logging.FileHandler",
        "filename": os.environ["BENCH_TIMING_LOG"],
    }
    LOGGING["loggers"]["realtime.timing"] = {  # noqa: F405
        "handlers": ["timing"],
        "level": "DEBUG",
        "propagate": False,
    }

    # What a slow write waited on: the commit itself, or a full garbage collection that held
    # the interpreter (both logged when over 10 ms, on the same clock as the publish stamps).
    import gc
    import logging
    import threading
    import time

    from django.db.backends.base.base import BaseDatabaseWrapper

    _timing = logging.getLogger("realtime.timing")
    _plain_commit = BaseDatabaseWrapper._commit

    def _timed_commit(self: BaseDatabaseWrapper) -> None:
        started = time.perf_counter()
        try:
            return _plain_commit(self)
        finally:
            took = (time.perf_counter() - started) * 1000
            if took > 10:
                _timing.debug("slow commit vendor=%s at=%.6f ms=%.1f", self.vendor, started, took)

    BaseDatabaseWrapper._commit = _timed_commit

    # What a write's transaction did on its thread: the statements since that thread's previous
    # commit (the request's reads before the transaction included), their time in the driver,
    # and the commit's own time; one `txn` line per commit, so the bench can show, per event,
    # whether the write waited on the database or on the interpreter around it.
    from django.db.backends.utils import CursorWrapper

    _tallies = threading.local()
    _plain_execute = CursorWrapper._execute_with_wrappers

    def _counted_execute(
        self: CursorWrapper, sql: str, params: object, many: bool, executor: object
    ) -> object:
        started = time.perf_counter()
        try:
            return _plain_execute(self, sql, params, many, executor)
        finally:
            tally = getattr(_tallies, "tally", None) or [0, 0.0]
            tally[0] += 1
            tally[1] += time.perf_counter() - started
            _tallies.tally = tally

    def _tallied_commit(self: BaseDatabaseWrapper) -> None:
        started = time.perf_counter()
        try:
            return _timed_commit(self)
        finally:
            statements, in_driver = getattr(_tallies, "tally", None) or [0, 0.0]
            _tallies.tally = [0, 0.0]
            _timing.debug(
                "txn vendor=%s at=%.6f statements=%d db_ms=%.1f commit_ms=%.1f",
                self.vendor,
                started,
                statements,
                in_driver * 1000,
                (time.perf_counter() - started) * 1000,
            )

    CursorWrapper._execute_with_wrappers = _counted_execute
    BaseDatabaseWrapper._commit = _tallied_commit
    _gc_started: list[float] = []
    _gc_young: list[int] = [0]

    def _gc_timer(phase: str, info: dict) -> None:
        if phase == "start":
            # A young pass walks its own generations and what they point to: count them
            # (a few thousand at most) so a slow one shows whether it was big or held up.
            generation = info["generation"]
            _gc_young[0] = sum(len(gc.get_objects(g)) for g in range(generation + 1)) if generation < 2 else 0
            _gc_started[:] = [time.perf_counter()]
        elif _gc_started:
            took = (time.perf_counter() - _gc_started[0]) * 1000
            if took > 10:
                _timing.debug(
                    "slow gc generation=%s at=%.6f ms=%.1f collected=%s objects=%s young=%s thread=%s",
                    info["generation"],
                    _gc_started[0],
                    took,
                    info["collected"],
                    len(gc.get_objects()) if info["generation"] == 2 else "",
                    _gc_young[0],
                    threading.current_thread().name,
                )

    gc.callbacks.append(_gc_timer)

    if os.environ.get("BENCH_SWITCH_INTERVAL_MS"):
        # To compare: how long a thread back from the database (or any I/O) may wait for the
        # interpreter while the event loop runs Python (CPython's default is 5 ms per hand-over).
        import sys

        sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL_MS"]) / 1000)

    if os.environ.get("BENCH_STALLS"):
        # Anything else that held the interpreter (or left it without a core): a thread that
        # sleeps 5 ms at a time logs each wake-up over 20 ms late, on the same clock.
        def _stall_watch() -> None:
            while True:
                asleep = time.perf_counter()
                time.sleep(0.005)
                late = (time.perf_counter() - asleep) * 1000 - 5
                if late > 20:
                    _timing.debug("slow stall at=%.6f ms=%.1f", asleep, late)

        threading.Thread(target=_stall_watch, name="bench-stall-watch", daemon=True).start()
