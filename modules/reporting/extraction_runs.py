"""Where an uploaded report is read: in the request for a light file, as a job for a heavy one.

Either way the extractor runs in the engine's capped child process (memory and time
limits from settings), never in the web process itself. A file is heavy when its size is
over `EXTRACTION_SYNC_MAX_BYTES` or, for XLSX/DOCX, when it inflates past
`EXTRACTION_SYNC_MAX_UNZIPPED`: then the officer gets a progress bar on the submission page
(`engine.background`) instead of a request that hangs. Zip bombs and unsupported files are
refused at once, in the request, from the ZIP's directory alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from modules.engine import background
from modules.engine.sandbox import WorkRefused, run_capped

from .extraction import ExtractionError, ExtractionResult, IndicatorSpec
from .extraction.detect import detect_format, inflated_size
from .extraction.portable import TARGET, result_from, spec_to_dict

KIND = "reporting.extraction"


def subject(submission: Any) -> str:
    return f"reporting.Submission:{submission.pk}"


def is_heavy(data: bytes) -> bool:
    return (
        len(data) > settings.EXTRACTION_SYNC_MAX_BYTES
        or inflated_size(data) > settings.EXTRACTION_SYNC_MAX_UNZIPPED
    )


def _args(filename: str, specs: Sequence[IndicatorSpec], max_bytes: int) -> dict[str, Any]:
    return {"filename": filename, "indicators": [spec_to_dict(s) for s in specs], "max_bytes": max_bytes}


def extract_now(
    data: bytes, filename: str, specs: Sequence[IndicatorSpec], max_bytes: int
) -> ExtractionResult:
    """A light file, in the capped child, within the request. ExtractionError for any refusal."""
    try:
        raw = run_capped(
            TARGET,
            data,
            _args(filename, specs, max_bytes),
            seconds=settings.EXTRACTION_SYNC_SECONDS,
            memory_mb=settings.EXTRACTION_MEMORY_MB,
        )
    except WorkRefused as exc:
        raise ExtractionError(exc.code, exc.message) from exc
    return result_from(raw)


def start(
    user: Any, submission: Any, data: bytes, filename: str, specs: Sequence[IndicatorSpec], max_bytes: int
) -> Any:
    """A heavy file: checked at once (format, zip bomb), then queued. The JobProgress row."""
    detect_format(data)  # raises ExtractionError: nothing to wait for
    return background.submit(
        kind=KIND,
        owner=user,
        subject=subject(submission),
        label=filename,
        target=TARGET,
        data=data,
        args=_args(filename, specs, max_bytes),
        seconds=settings.EXTRACTION_JOB_SECONDS,
        memory_mb=settings.EXTRACTION_MEMORY_MB,
    )


def job_for(user: Any, submission: Any, job_id: str) -> Any | None:
    return background.find(user, job_id, KIND, subject(submission))


def outcome(job: Any) -> tuple[dict[str, Any], ExtractionResult | None]:
    """The job's status for the page, and its result once done."""
    status = background.status(job)
    result = result_from(job.result) if status["state"] == "done" and job.result else None
    return status, result
