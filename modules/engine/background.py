"""Long work for one person, in the job worker, with its progress on their page.

A module calls `submit(...)` inside a request: the input is written under
`settings.JOB_FILES_ROOT` (never served), a `JobProgress` row is created, and, once the
request's transaction commits, django-q2 is asked to run `run_job`. The worker runs the
module's target in the capped child (`sandbox.run_capped`: memory and time limits),
writes `done`/`total` as the child reports them, and ends with a JSON `result` or a typed,
bilingual error. Pages read `status()` (polling `/jobs/<id>/progress`); the row's
`deadline` turns a job whose worker died or never came into a clear failure, not a wait.

Exactly once: the worker claims the row with a conditional UPDATE (queued → running), so a
task delivered twice runs once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .sandbox import WorkRefused, failed, run_capped

log = logging.getLogger(__name__)

RUN = "modules.engine.background.run_job"
QUEUE_GRACE = 120  # seconds a job may wait for the worker before it counts as lost
WRITE_EVERY = 0.25  # seconds between progress writes

NOT_STARTED = (
    "NOT_STARTED",
    "Việc nền chưa được xử lý (bộ chạy việc nền không hoạt động?); hãy thử lại sau hoặc báo quản trị. / "
    "The background job was never picked up (is the job worker running?); try again later or tell "
    "the administrator.",
)
LOST = (
    "LOST",
    "Việc nền đã dừng giữa chừng; hãy thử lại. / The background job stopped half-way; try again.",
)


def model() -> Any:
    from .models import JobProgress

    return JobProgress


def files_root() -> Path:
    root = Path(getattr(settings, "JOB_FILES_ROOT", Path(settings.BASE_DIR) / "var" / "job-files"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def submit(
    *,
    kind: str,
    owner: Any,
    subject: str,
    label: str,
    target: str,
    data: bytes,
    args: dict[str, Any],
    seconds: int,
    memory_mb: int,
) -> Any:
    """Queue `target(data, **args)` for the worker; the new JobProgress row (state "queued")."""
    job_id = uuid.uuid4()
    path = files_root() / f"{job_id}.bin"
    path.write_bytes(data)
    job = model().objects.create(
        id=job_id,
        kind=kind,
        owner=owner,
        subject=subject,
        label=label[:300],
        deadline=timezone.now() + dt.timedelta(seconds=QUEUE_GRACE + seconds + 30),
    )

    def enqueue() -> None:
        from django_q.tasks import async_task

        async_task(
            RUN,
            str(job_id),
            target,
            str(path),
            args,
            seconds,
            memory_mb,
            task_name=f"{kind} {job_id}",
            timeout=seconds + 60,  # the child is killed at `seconds`; this only backs it up
        )

    transaction.on_commit(enqueue)
    return job


def run_job(job_id: str, target: str, path: str, args: dict[str, Any], seconds: int, memory_mb: int) -> str:
    """The worker's side: claim the row, run the capped child, record the outcome. Never raises."""
    rows = model().objects.filter(pk=job_id)
    if not rows.filter(state="queued").update(state="running", updated_at=timezone.now()):
        return "already taken"
    source = Path(path)
    last = [0.0]

    def on_progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= WRITE_EVERY:
            last[0] = now
            rows.update(done=done, total=total, updated_at=timezone.now())

    try:
        result = run_capped(
            target, source.read_bytes(), args, seconds=seconds, memory_mb=memory_mb, on_progress=on_progress
        )
    except WorkRefused as exc:
        rows.update(state="failed", error_code=exc.code, error=exc.message, updated_at=timezone.now())
        return exc.code
    except Exception as exc:  # the worker must record every ending, or the page would wait
        log.exception("background job %s failed", job_id)
        refusal = failed(type(exc).__name__)
        rows.update(state="failed", error_code=refusal.code, error=refusal.message, updated_at=timezone.now())
        return refusal.code
    finally:
        source.unlink(missing_ok=True)
    total = rows.values_list("total", flat=True).first() or 1
    rows.update(state="done", done=total, total=total, result=result, updated_at=timezone.now())
    return "done"


def find(owner: Any, job_id: Any, kind: str = "", subject: str = "") -> Any | None:
    """The owner's job, or None (another person's job is never shown, nor said to exist)."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        return None
    rows = model().objects.filter(pk=key, owner_id=getattr(owner, "pk", None))
    if kind:
        rows = rows.filter(kind=kind)
    if subject:
        rows = rows.filter(subject=subject)
    return rows.first()


def status(job: Any) -> dict[str, Any]:
    """What a page shows: state, done/total/percent, and the error if it failed (or was lost)."""
    state, code, error = job.state, job.error_code, job.error
    if state in ("queued", "running") and timezone.now() > job.deadline:
        code, error = NOT_STARTED if state == "queued" else LOST
        state = "failed"
    percent = 100 if state == "done" else (int(100 * job.done / job.total) if job.total else 0)
    return {
        "id": str(job.pk),
        "state": state,
        "done": job.done,
        "total": job.total,
        "percent": min(percent, 100),
        "label": job.label,
        "error_code": code,
        "error": error,
    }


def forget_pools_after_fork() -> None:
    """A forked process (django-q2's pusher and workers) must not use its parent's pooled
    PostgreSQL sockets: two processes on one socket garble the protocol ("the last operation
    didn't produce records"). The child drops the inherited pool and connection, never
    closing them (that would close the parent's), and opens its own on first use."""
    import os

    from django.db import connections

    def reset() -> None:
        for conn in connections.all(initialized_only=True):
            pools = getattr(type(conn), "_connection_pools", None)
            if pools:
                pools.clear()
            conn.connection = None

    os.register_at_fork(after_in_child=reset)

