"""A backfill file as a background job, with its progress on the clerk's page.

The engine's pattern for long work (`engine.background`): the upload is written under
`JOB_FILES_ROOT` (never served), a `JobProgress` row is made in the request, and once the
request commits django-q2 is asked to `run`; the page polls `/jobs/<id>/progress` (owner only)
and shows the row-by-row report (`JobProgress.result`) when it is done. Unlike a report's
extraction, an import writes records, so it runs in the worker with Django, not in the
sandbox's Django-less child; the file is streamed, so its memory stays that of one row.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from modules.engine import background, registry

from . import backfill

log = logging.getLogger(__name__)
KIND = "stm.backfill"
RUN = "modules.stm.backfill_jobs.run"
SECONDS = 1800  # a 20,000-row file, with room; past it the page reports the job as lost
WRITE_EVERY = 0.25


def subject(unit: Any) -> str:
    return f"org.Unit:{unit.pk}"


def start(user: Any, unit: Any, name: str, data: bytes) -> Any:
    """Queue the import; the JobProgress row the page polls."""
    job_id = uuid.uuid4()
    path = background.files_root() / f"{job_id}.xlsx"
    path.write_bytes(data)
    job = background.model().objects.create(
        id=job_id,
        kind=KIND,
        owner=user,
        subject=subject(unit),
        label=name[:300],
        deadline=timezone.now() + dt.timedelta(seconds=background.QUEUE_GRACE + SECONDS),
    )

    def enqueue() -> None:
        from django_q.tasks import async_task

        async_task(RUN, str(job_id), timeout=SECONDS + 60, task_name=f"{KIND} {job_id}")

    transaction.on_commit(enqueue)
    return job


def run(job_id: str) -> str:
    """The worker's side: claim the row, import, record the report. Never raises."""
    rows = background.model().objects.filter(pk=job_id)
    if not rows.filter(state="queued").update(state="running", updated_at=timezone.now()):
        return "already taken"
    job = rows.select_related("owner").get()
    path = background.files_root() / f"{job_id}.xlsx"
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= WRITE_EVERY or done == total:
            last[0] = now
            rows.update(done=done, total=total, updated_at=timezone.now())

    try:
        unit = registry.model_for("org.Unit").objects.get(pk=int(job.subject.split(":", 1)[1]))
        report = backfill.import_file(job.owner, unit, path.read_bytes(), job.label, progress)
    except Exception:  # the page must see an ending, never a job running forever
        log.exception("backfill job %s failed", job_id)
        rows.update(
            state="failed",
            error_code="WORK_FAILED",
            error="Nhập hồi tố gặp lỗi hệ thống; hãy thử lại hoặc báo quản trị. / "
            "The import failed unexpectedly; try again or tell the administrator.",
            updated_at=timezone.now(),
        )
        return "failed"
    finally:
        path.unlink(missing_ok=True)
    total = max(report.rows, 1)
    rows.update(state="done", done=total, total=total, result=report.as_dict(), updated_at=timezone.now())
    return "done" if report.ok else "refused"


def find(user: Any, job_id: Any) -> Any | None:
    return background.find(user, job_id, KIND)
