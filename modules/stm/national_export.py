"""A province's tasks, results and experts going UP to the national S&T database.

One documented, versioned JSON format (`docs/schemas/national-st-export.v1.json`, described in
`docs/national-st-export.md`), built here and checked against its own published schema before
it leaves, so a bug never sends a malformed package. Two ways out:

- through the engine's outbox (`stm.national`, channel `national_st`): written in a transaction,
  posted after commit as JSON to `settings.STM_NATIONAL_URL` with the message's key as
  `Idempotency-Key`, retried with backoff in order per province. The key carries a hash of the
  content, so a package identical to one already queued is not queued again: the daily job
  (`jobs.py`) sends a province's package only when something in it changed;
- as a file for manual upload (`/stm/national-export.json`, GraphQL `stmNationalExport`), read
  through `scoped_queryset` like every other route: an officer exports only what they may see.

The package names a province's own rows (owned by the unit or its sub-units), never rows it
sees only because another province shared them. Experts go without contact details.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from modules.engine import outbox, registry
from modules.engine.access import scoped_queryset
from modules.engine.errors import InvalidInput

from . import national_list, task_facts

FORMAT = "onemst.stm.national-export"
VERSION = "1.0"
SCHEMA_FILE = "national-st-export.v1.json"
OUTBOX = "stm.national"
CHANNEL = "national_st"
RECIPIENT = "CSDL-KHCN-QG"  # the national S&T database
Rows = Callable[[str], Any]  # entity label -> the rows of that entity to export


def endpoint() -> str:
    return getattr(settings, "STM_NATIONAL_URL", "") or ""


def send(message: Any) -> None:
    """POST the package as JSON; any answer but 2xx is a failure the outbox retries."""
    headers = {"Content-Type": "application/json", "Idempotency-Key": message.key}
    token = getattr(settings, "STM_NATIONAL_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(message.payload, ensure_ascii=False).encode()
    request = urllib.request.Request(endpoint(), data=body, headers=headers, method="POST")
    timeout = float(getattr(settings, "STM_NATIONAL_TIMEOUT", 20))
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # the configured national endpoint
        if not 200 <= answer.status < 300:
            raise OSError(f"the national S&T database answered {answer.status}")


def register_channel() -> None:
    outbox.register_channel(
        CHANNEL,
        send,
        enabled=lambda: bool(endpoint()),
        label=("CSDL quốc gia về KH&CN", "National S&T database"),
    )


def _unit_rows(unit: Any) -> Rows:
    """The unit's own rows (the outbox's package: no person is asking)."""

    def rows(label: str) -> Any:
        return registry.model_for(label).objects.filter(owner_unit__path__startswith=unit.path)

    return rows


def _user_rows(user: Any, unit: Any) -> Rows:
    """What `user` may see of the unit's own rows (the file export)."""

    def rows(label: str) -> Any:
        entity = registry.entity_by_label(label)
        return scoped_queryset(user, entity).filter(owner_unit__path__startswith=unit.path)

    return rows


def _expert(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"{row['owner_unit__code']}:CG-{row['id']}",
        "full_name": row["full_name"],
        "science_field": row["science_field"] or "",
        "degree": row["degree"] or "",
        "academic_title": row["academic_title"] or "",
        "organisation": row["organisation"] or "",
    }


def package(unit: Any, rows: Rows, now: dt.datetime | None = None) -> dict[str, Any]:
    """The v1 document for a unit, from the rows `rows` gives (see `_unit_rows`, `_user_rows`)."""
    tasks, results = task_facts.export_tasks(unit, rows)
    experts = [
        _expert(r)
        for r in rows("stm.Expert")
        .order_by("id")
        .values(
            "id", "owner_unit__code", "full_name", "science_field", "degree", "academic_title", "organisation"
        )
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": timezone.localtime(now or timezone.now()).isoformat(timespec="seconds"),
        "province": {
            "unit_code": unit.code,
            "name": unit.name,
            "province_code": getattr(unit, "province_code", "") or "",
        },
        "tasks": tasks,
        "results": results,
        "experts": experts,
    }


def check(document: dict[str, Any]) -> None:
    """The package against the published schema; InvalidInput naming each broken place."""
    problems = national_list.schema_problems(SCHEMA_FILE, document)
    if problems:
        raise InvalidInput(problems)


def for_user(user: Any, unit: Any) -> dict[str, Any]:
    document = package(unit, _user_rows(user, unit))
    check(document)
    return document


def content_hash(document: dict[str, Any]) -> str:
    """What the package says, without the moment it was made."""
    stable = {k: v for k, v in document.items() if k != "generated_at"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]


def message_key(unit: Any, document: dict[str, Any]) -> str:
    return f"{CHANNEL}:{unit.code}:{content_hash(document)}"


def enqueue(unit: Any) -> Any | None:
    """Queue the unit's package unless the same content is queued or sent already; the message,
    or None (unchanged, or the national endpoint is not configured here)."""
    if not outbox.enabled(CHANNEL):
        return None
    document = package(unit, _unit_rows(unit))
    check(document)
    key = message_key(unit, document)
    with transaction.atomic():
        if outbox.model().objects.filter(key=key).exists():
            return None
        return outbox.enqueue(
            OUTBOX,
            CHANNEL,
            recipient=RECIPIENT,
            subject=f"{unit.code}: {len(document['tasks'])} nhiệm vụ / tasks",
            payload=document,
            topic="export",
            stream=f"{CHANNEL}:{unit.code}",
            key=key,
        )


def managing_units() -> Any:
    """Units that own S&T rows: each sends its own package."""
    owners = set()
    for label in task_facts.EXPORTED:
        owners |= set(registry.model_for(label).objects.values_list("owner_unit_id", flat=True).distinct())
    return registry.model_for("org.Unit").objects.filter(pk__in=owners - {None}).order_by("path")


def daily(today: dt.date | None = None) -> str:
    """The periodic job (run every minute by the tick): each managing unit's package once a day,
    queued only when its content changed. The day's marker is in the shared cache, so two
    schedulers look once; a second look would queue nothing anyway (the key holds the content)."""
    from django.core.cache import cache

    if not outbox.enabled(CHANNEL):
        return "national export off"
    day = today or timezone.localdate()
    if not cache.add(f"stm.national-export:{day.isoformat()}", 1, 2 * 86400):
        return "national export done today"
    queued = sum(1 for unit in managing_units() if enqueue(unit) is not None)
    return f"{queued} national packages queued"
