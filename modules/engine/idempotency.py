"""Safe retries: a create sent again with the same client key returns the first record.

A client that loses its connection after sending a create cannot tell whether the
record was saved. It sends a key of its choosing with the create (`idempotencyKey`),
and sends the same key when it retries. `run_once`:

- claims the key by inserting an `IdempotencyKey` row, unique per (user, key), in the
  same transaction as the record. A concurrent retry waits on that unique index until
  the first transaction ends, then finds the committed row (or claims the key itself
  if the first rolled back): one record, whatever the timing;
- on a retry, returns the first record (same id, same number), as it is now;
- refuses a key reused for another operation or another input (`IDEMPOTENCY_KEY_REUSED`);
- forgets keys after `settings.ONEMST_IDEMPOTENCY_HOURS` (24 by default): they are not
  honoured after that, and the periodic job `forget_expired` deletes them.

A refused write leaves no key behind (it rolls back with the record), so retrying a
request that failed validation runs it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .errors import EngineError, FieldProblem, InvalidInput, NotFound

FIELD = "idempotency_key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9._:\-]{1,200}")
REUSED = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyKeyReused(EngineError):
    """The key was first used for another operation or another input."""

    code = REUSED

    def __init__(self) -> None:
        message = (
            "Khoá chống tạo trùng này đã dùng cho một yêu cầu khác; hãy dùng khoá mới. / "
            "This idempotency key was used for a different request; use a new key."
        )
        super().__init__(message, [FieldProblem(FIELD, self.code, message)])


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "ONEMST_IDEMPOTENCY_HOURS", 24)))


def check_key(key: str) -> None:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise InvalidInput(
            [
                FieldProblem(
                    FIELD,
                    "INVALID",
                    "Khoá chống tạo trùng gồm 1–200 chữ cái, chữ số hoặc . _ : - / "
                    "An idempotency key is 1–200 letters, digits or . _ : -",
                )
            ]
        )


def _plain(value: Any) -> Any:
    """A JSON form of input values for the fingerprint (files by name, size and content hash)."""
    if hasattr(value, "read") and hasattr(value, "size"):
        digest = hashlib.sha256()
        for chunk in value.chunks() if hasattr(value, "chunks") else [value.read()]:
            digest.update(chunk)
        value.seek(0)
        return {"file": getattr(value, "name", ""), "size": value.size, "sha256": digest.hexdigest()}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def fingerprint(operation: str, payload: Any) -> str:
    text = json.dumps([operation, payload], sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _model() -> type[models.Model]:
    return apps.get_model("engine", "IdempotencyKey")


def _claim(user: Any, key: str, operation: str, stamp: str) -> tuple[bool, Any]:
    """(True, new row) if this request owns the key; (False, first row) for a retry."""
    model = _model()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return True, model.objects.create(user=user, key=key, operation=operation, fingerprint=stamp)
        except IntegrityError:
            pass  # claimed by a committed request (a concurrent one has waited for it to end)
        first = model.objects.filter(user=user, key=key).first()
        if first is None:
            continue  # deleted in between (expired): claim it again
        if first.created_at <= timezone.now() - lifetime():
            first.delete()  # expired but not yet cleaned up: a new request
            continue
        return False, first
    raise IntegrityError(f"idempotency key {key!r} could not be claimed")


def _replay(first: Any, operation: str, stamp: str) -> models.Model:
    if first.operation != operation or first.fingerprint != stamp:
        raise IdempotencyKeyReused()
    record = None
    if first.record_label and first.record_id is not None:
        record = apps.get_model(first.record_label)._default_manager.filter(pk=first.record_id).first()
    if record is None:
        raise NotFound(
            "Bản ghi tạo bằng khoá này không còn. / The record created with this key no longer exists."
        )
    return record


def run_once(
    user: Any, key: str | None, operation: str, payload: Any, write: Callable[[], models.Model]
) -> models.Model:
    """`write()` once per (user, key): a retry returns the record the first call wrote.

    `operation` names the mutation and `payload` is its input: a retry must send both
    unchanged. Without a key, `write()` simply runs.
    """
    if key is None:
        return write()
    check_key(key)
    if not (user is not None and getattr(user, "is_authenticated", False) and user.pk):
        raise InvalidInput(
            [
                FieldProblem(
                    FIELD,
                    "NOT_ALLOWED",
                    "Khoá chống tạo trùng cần đăng nhập. / An idempotency key needs a signed-in user.",
                )
            ]
        )
    stamp = fingerprint(operation, payload)
    with transaction.atomic():
        claimed, row = _claim(user, key, operation, stamp)
        if not claimed:
            return _replay(row, operation, stamp)
        record = write()
        row.record_label = record._meta.label
        row.record_id = record.pk
        row.save(update_fields=["record_label", "record_id"])
        return record


def forget_expired(today: dt.date | None = None) -> str:
    """Periodic job: delete keys past their lifetime."""
    deleted, _ = _model().objects.filter(created_at__lt=timezone.now() - lifetime()).delete()
    return f"{deleted} expired idempotency keys deleted"
