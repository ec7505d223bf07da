"""Sync with the National Public Service Portal: a transactional outbox and its delivery job.

Every status change of a dossier writes one outbox row in the portal's shape (code,
status 1–10, time, unit) in the same transaction as the change, so nothing is sent for
a change that rolled back and nothing is lost when the portal is down. The job
(`deliver`, run by the scheduler's tick) posts the rows to ONESTOP_PORTAL_URL:

- per dossier in order: a dossier's later events wait while an earlier one fails;
- with exponential backoff between attempts (30 s doubling, at most an hour);
- idempotently: each row has a stable key sent as `Idempotency-Key`, so a row sent
  twice (a lost answer, two workers) is recognised by the portal and does no harm;
- claimed before sending, so two workers do not post the same row at once.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from modules.engine import registry

from . import rules

BASE_BACKOFF = 30  # seconds
MAX_BACKOFF = 3600
CLAIM_SECONDS = 60
BATCH = 200


def record(dossier: Any) -> None:
    """Queue the dossier's current status for the portal (inside the saving transaction).

    The portal knows a dossier by its code, given on receipt: the first event of a dossier
    received after it was submitted (online) is preceded by its "newly submitted" (1), dated
    when it was submitted."""
    model = registry.model_for("onestop.PortalEvent")
    sequence = model.objects.filter(dossier_id=dossier.pk).count() + 1
    unit = dossier.owner_unit.name if dossier.owner_unit_id else ""
    states = [dossier.state]
    if sequence == 1 and dossier.state != "new":
        states.insert(0, "new")
    for offset, state in enumerate(states):
        model.objects.create(
            dossier_id=dossier.pk,
            key=f"{dossier.number}:{sequence + offset}",
            code=dossier.number,
            sequence=sequence + offset,
            status=state,
            status_code=rules.PORTAL_CODE[state],
            at=dossier.created_at if state == "new" and dossier.created_at else timezone.now(),
            unit=unit[:200],
        )


def payload(row: Any) -> dict[str, Any]:
    """The portal's shape for one status change."""
    return {
        "MaHoSo": row.code,
        "TrangThai": row.status_code,
        "ThoiGian": timezone.localtime(row.at).strftime("%Y%m%d%H%M%S"),
        "DonViXuLy": row.unit,
        "MaCoQuan": rules.agency_code(),
        "Key": row.key,
    }


def portal_url() -> str | None:
    return getattr(settings, "ONESTOP_PORTAL_URL", "") or None


def backlog() -> int:
    return registry.model_for("onestop.PortalEvent").objects.filter(delivered_at__isnull=True).count()


def deliver(now: dt.datetime | None = None, send: Any = None) -> str:
    """Post what is due; returns a summary for the job log."""
    url = portal_url()
    if url is None and send is None:
        return "no ONESTOP_PORTAL_URL: kept"
    send = send or (lambda body, key: _post(url, body, key))
    now = now or timezone.now()
    model = registry.model_for("onestop.PortalEvent")
    pending = model.objects.filter(delivered_at__isnull=True).order_by("dossier_id", "sequence")
    blocked: set[int] = set()
    sent = failed = 0
    for row in pending[:BATCH]:
        if row.dossier_id in blocked:
            continue
        if (row.next_attempt_at and row.next_attempt_at > now) or not _claim(model, row, now):
            blocked.add(row.dossier_id)  # keep the dossier's order: later events wait
            continue
        try:
            send(payload(row), row.key)
        except Exception as exc:
            attempts = row.attempts + 1
            delay = min(MAX_BACKOFF, BASE_BACKOFF * 2 ** (attempts - 1))
            model.objects.filter(pk=row.pk).update(
                attempts=attempts,
                next_attempt_at=now + dt.timedelta(seconds=delay),
                last_error=str(exc)[:500],
                claimed_until=None,
            )
            blocked.add(row.dossier_id)
            failed += 1
            continue
        model.objects.filter(pk=row.pk).update(
            delivered_at=now, attempts=row.attempts + 1, last_error="", claimed_until=None
        )
        sent += 1
    return f"{sent} sent, {failed} failed, {backlog()} waiting"


def _claim(model: Any, row: Any, now: dt.datetime) -> bool:
    """Take the row for this worker for a minute, unless another worker holds it."""
    with transaction.atomic():
        taken = (
            model.objects.filter(pk=row.pk, delivered_at__isnull=True)
            .exclude(claimed_until__gt=now)
            .update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
        )
    return bool(taken)


def _post(url: str, body: dict[str, Any], key: str) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not accepted", response.headers, None)
