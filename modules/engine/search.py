"""Search that ignores Vietnamese diacritics, in both directions (issue 12.5).

Every entity with searchable fields (`Entity.search_fields`, or fields marked `searchable`)
has a hidden column, `search_text`: its number and searchable fields, folded (lower case,
tone and vowel marks removed, đ→d). `services.save_record` fills it; the migration that
adds it backfills existing rows. A query is folded the same way and each of its words must
occur in the column, so "nguyen van minh" finds "Nguyễn Văn Minh" and "Nguyễn" finds
"nguyen". The admin search, its autocomplete and GraphQL's `search` filter all use
`matches`. One mechanism on SQLite and PostgreSQL alike (docs/architecture.md, "Search").
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import Q

from .definitions import Entity

COLUMN = "search_text"
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})  # a letter of its own, not a mark


class _FoldedChars(dict):
    """Each character's folded form, worked out once: its decomposition (NFD) without the
    combining marks, case-folded, đ→d. Folding a text character by character gives what
    folding it whole gives (NFD, mark removal and case folding work per character; the marks
    NFD reorders are all dropped), so `str.translate` does it in one C-level pass instead of
    a Python loop per character (a council proposal folds thousands of names). Characters
    below U+3000 (Latin with Vietnamese, combining marks, Greek, Cyrillic) are remembered,
    others worked out each time, so the table stays small whatever text comes in."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code).translate(_LETTERS))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
        if code < 0x3000:
            self[code] = folded
        return folded


_FOLDED = _FoldedChars()


def fold(text: Any) -> str:
    """Lower case, no combining marks, đ→d, single spaces: "Nguyễn Đức" → "nguyen duc"."""
    return " ".join(str(text or "").translate(_FOLDED).split())


def columns(entity: Entity) -> tuple[str, ...]:
    """The fields folded into `search_text`, or () for an entity nobody searches."""
    fields = (*entity.search_fields, *(f.name for f in entity.fields if f.searchable))
    if not fields:
        return ()
    named = ("number", *fields) if entity.numbering else fields
    return tuple(dict.fromkeys(named))


def text_of(entity: Entity, row: Any) -> str:
    """The folded text of one row (a model instance)."""
    return fold(" ".join(str(getattr(row, name, "") or "") for name in columns(entity)))


def fill(entity: Entity, instance: Any) -> None:
    """Set the row's `search_text` before it is saved (a no-op for entities without search)."""
    if columns(entity):
        setattr(instance, COLUMN, text_of(entity, instance))


def matches(value: str, prefix: str = "") -> Q:
    """Rows whose folded text holds every word of `value`, folded the same way."""
    rule = Q()
    for word in fold(value).split():
        rule &= Q(**{f"{prefix}{COLUMN}__contains": word})
    return rule


def backfill(entity_label: str) -> Any:
    """A `RunPython` step for the migration that adds the column: fold the existing rows."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        from . import registry

        entity = next(
            e
            for module in registry.modules()
            for e in module.entities
            if f"{e.app_label}.{e.name}".lower() == entity_label.lower()
        )
        model = apps.get_model(entity.app_label, entity.name)
        present = {f.name for f in model._meta.get_fields()}
        wanted = tuple(name for name in columns(entity) if name in present)
        batch = []
        for row in model.objects.only("pk", *wanted).iterator(chunk_size=1000):
            row.search_text = text_of(entity, row)
            batch.append(row)
            if len(batch) >= 1000:
                model.objects.bulk_update(batch, [COLUMN])
                batch = []
        if batch:
            model.objects.bulk_update(batch, [COLUMN])

    return forwards
