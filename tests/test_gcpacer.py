"""The serving process paces the garbage collector's full passes (config/gcpacer.py).

A full pass over a server holding 5,000 sockets walked about a million objects and held
the interpreter 0.9–4 s: a write could not commit and no frame could leave meanwhile. The
rule: the start-up heap is frozen; CPython's automatic full pass is off; a full pass runs
when the heap grew by a quarter and the process has been quiet, or, whatever
the traffic, when it doubled.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from config import gcpacer

ROOT = Path(__file__).resolve().parent.parent


def test_a_busy_process_is_not_stopped_for_a_quarter_more_objects() -> None:
    assert not gcpacer.due(size=130_000, baseline=100_000, idle=0.1)


def test_a_quiet_process_collects_at_a_quarter_more() -> None:
    assert gcpacer.due(size=125_000, baseline=100_000, idle=gcpacer.QUIET_SECONDS)
    assert not gcpacer.due(size=124_000, baseline=100_000, idle=60)


def test_garbage_stays_bounded_under_constant_traffic() -> None:
    assert gcpacer.due(size=200_000, baseline=100_000, idle=0.0)


def test_a_small_heap_is_left_alone() -> None:
    assert not gcpacer.due(size=40_000, baseline=1_000, idle=60)


SERVING = textwrap.dedent(
    """
    import gc, os, sys, time, weakref
    import config.asgi  # the serving process's start-up, pacer included
    from config import gcpacer

    frozen = gc.get_freeze_count()
    assert frozen > 50_000, f"start-up heap not frozen: {frozen}"
    assert gc.get_threshold()[2] >= 10**9, gc.get_threshold()

    class Node:
        pass

    def cycles(n):
        made = []
        for _ in range(n):
            a, b = Node(), Node()
            a.other, b.other = b, a
            made.append(a)
        return made

    def promoted_garbage(n):
        # cycles that survived the young collections, then were dropped: only a full pass frees them
        made = cycles(n)
        gc.collect(1)
        probe = weakref.ref(made[0])
        del made
        return probe

    # Busy: activity every few milliseconds; a quarter more objects must not start a pass.
    probe = promoted_garbage(40_000)  # 160,000 blocks: over MIN_BLOCKS × 1.25, under × 2
    until = time.monotonic() + gcpacer.CHECK_SECONDS * 1.6
    while time.monotonic() < until:
        gcpacer.note_activity()
        time.sleep(0.01)
    assert probe() is not None, "a full pass ran while the process was busy"

    # Quiet: the pass runs within a check or two.
    until = time.monotonic() + gcpacer.CHECK_SECONDS * 3
    while probe() is not None and time.monotonic() < until:
        time.sleep(0.1)
    assert probe() is None, "garbage kept in a quiet process"
    print("ok")
    """
)


def test_the_serving_process_freezes_start_up_and_collects_only_when_quiet(tmp_path: Path) -> None:
    env = {  # a throwaway SQLite and no shared cache, also in the PostgreSQL + Redis run
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SQLITE_PATH": str(tmp_path / "pacer.sqlite3"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVING], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
