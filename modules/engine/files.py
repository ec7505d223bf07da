"""Uploaded files: private names, checked content, and an address that applies the rule.

Every declared `File` field becomes an `EngineFileField`:
- the stored name is `<upload_to>/<random>/<original name>`: the random folder
  (`secrets.token_urlsafe`) makes it unguessable, the original name comes back as the
  download's file name;
- an upload is judged when the record is validated (`full_clean`, which every write path
  runs: services, child rows, admin forms): its size against the field's `max_size`
  first, before a byte is read, then its real type, sniffed from the bytes
  (`filetypes.sniff`), against the field's `accept` list;
- its `url` is the engine's file view (`file_views.serve`), which serves the bytes only
  to someone who may see the record that holds them. Nothing is served from /media/.

For migrations the field deconstructs as a plain `models.FileField` with the same
options: the checks and the address are behaviour, not schema, so no migration changes.
"""

from __future__ import annotations

import posixpath
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.urls import reverse

from . import filetypes

MB = 1_000_000  # decimal megabytes, as the other limits (faces, extraction) count them


def default_max_size() -> int:
    """The size limit of a field that declares none (settings.FILES_MAX_SIZE, 20 MB)."""
    return int(getattr(settings, "FILES_MAX_SIZE", 20 * MB))


def original_name(name: str) -> str:
    """The name the file had when it was uploaded (the last part of the stored name)."""
    return posixpath.basename(name or "")


def _megabytes(size: int) -> str:
    """5_000_000 -> "5", 2_500_000 -> "2.5" (decimal megabytes, as people count them)."""
    return f"{size / MB:.1f}".removesuffix(".0")


def refusals(upload: Any, accept: tuple[str, ...] = (), max_size: int | None = None) -> list[ValidationError]:
    """Why an upload may not be kept (empty when it may): too large, empty, or of a kind
    the field does not accept. The size is judged before any byte is read."""
    limit = max_size or default_max_size()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        mb = _megabytes(limit)
        return [
            ValidationError(
                f"Tệp quá lớn (tối đa {mb.replace('.', ',')} MB). / The file is too large ({mb} MB at most).",
                code="file_too_large",
            )
        ]
    if size == 0:
        return [ValidationError("Tệp rỗng. / The file is empty.", code="file_empty")]
    stream = getattr(upload, "file", upload)
    try:
        if hasattr(upload, "open") and getattr(stream, "closed", False):
            upload.open("rb")
            stream = getattr(upload, "file", upload)
        kind = filetypes.sniff(stream)
    except (OSError, ValueError):
        kind = None
    if kind in filetypes.expand(accept):
        return []
    vi, en = filetypes.describe(accept)
    shown = filetypes.EXTENSIONS.get(kind or "", "")
    found_vi = f"tệp này là {shown}" if shown else "không nhận ra loại tệp"
    found_en = f"this file is {shown}" if shown else "the file type was not recognised"
    return [
        ValidationError(
            f"Loại tệp không được nhận ({found_vi}); chỉ nhận: {vi}. / "
            f"File type not accepted ({found_en}); accepted: {en}.",
            code="file_type",
        )
    ]


class EngineFieldFile(FieldFile):
    """A stored file whose address is the engine's checked view, never the storage's."""

    @property
    def url(self) -> str:
        self._require_file()
        instance = self.instance
        if instance is None or instance.pk is None:
            return ""
        meta = instance._meta
        return reverse(
            "engine-file",
            kwargs={
                "app": meta.app_label,
                "model": meta.model_name,
                "pk": instance.pk,
                "field": self.field.name,
                "name": original_name(self.name),
            },
        )

    @property
    def original_name(self) -> str:
        return original_name(self.name)


class EngineFileField(models.FileField):
    """A declared `File`: random stored names, checked uploads, a checked address."""

    attr_class = EngineFieldFile

    def __init__(
        self, *args: Any, accept: tuple[str, ...] = (), max_size: int | None = None, **kwargs: Any
    ) -> None:
        self.accept = tuple(accept)
        self.max_size = max_size
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        """A plain FileField to migrations: the checks and the address change no column."""
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs

    def generate_filename(self, instance: Any, filename: str) -> str:
        """`<upload_to>/<random>/<original name>`: unguessable, and the name is kept."""
        original = posixpath.basename(str(filename).replace("\\", "/")) or "file"
        return super().generate_filename(instance, posixpath.join(secrets.token_urlsafe(18), original))

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if value and not getattr(value, "_committed", True):  # a new upload, not the stored file
            problems = refusals(value.file, self.accept, self.max_size)
            if problems:
                raise ValidationError(problems)


# --- files follow their rows ------------------------------------------------------------


def forget_files(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A deleted row's files leave the disk once the deletion commits (never on a rollback):
    a re-enrolled face or a replaced report value must not linger, unreachable but kept."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, EngineFileField):
            stored = getattr(instance, field.attname)
            if stored and stored.name:
                transaction.on_commit(partial(stored.storage.delete, stored.name))


def connect_file_cleanup() -> None:
    """Listen for deletions of every generated model (entities and child rows) that holds files."""
    from . import registry

    for entity in registry.entities():
        for model in registry.classes_for(entity).values():
            if any(isinstance(f, EngineFileField) for f in model._meta.concrete_fields):
                uid = f"onemst.files.{model._meta.label}"
                post_delete.connect(forget_files, sender=model, dispatch_uid=uid)
