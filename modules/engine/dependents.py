"""What still depends on a record that someone tries to delete.

Links are declared with `Field.on_delete` (protect by default), so the database refuses
to orphan them; this turns Django's `ProtectedError` into a typed `IN_USE` answer that
names and counts the dependents, e.g. "Cannot delete: 34 Submissions depend on it."
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import ProtectedError, RestrictedError

from . import registry
from .errors import FieldProblem, InvalidInput

IN_USE = "IN_USE"


def _labels(model: type[models.Model], count: int) -> tuple[str, str]:
    """A model's name in Vietnamese (no plural) and in English (singular or plural)."""
    entity = registry.entity_for(model)
    if entity is not None:
        return entity.label_vi, entity.label_en if count == 1 else (entity.plural_en or entity.label_en)
    opts = model._meta
    return str(opts.verbose_name), str(opts.verbose_name if count == 1 else opts.verbose_name_plural)


def counts(objects: Iterable[models.Model]) -> list[tuple[type[models.Model], int]]:
    """Dependents per model, most numerous first."""
    tally = Counter(type(o) for o in objects)
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]._meta.label))


def message(objects: Iterable[Any]) -> str:
    """The refusal's text, e.g. «Không thể xoá: còn 34 Báo cáo của đơn vị phụ thuộc.» (both languages)."""
    parts_vi, parts_en = [], []
    total = 0
    for model, count in counts(objects):
        vi, en = _labels(model, count)
        parts_vi.append(f"{count} {vi}")
        parts_en.append(f"{count} {en}")
        total += count
    verb = "depends" if total == 1 else "depend"
    return (
        f"Không thể xoá: còn {', '.join(parts_vi)} phụ thuộc. / "
        f"Cannot delete: {', '.join(parts_en)} {verb} on it."
    )


def refusal(error: ProtectedError | RestrictedError) -> InvalidInput:
    """The typed answer for a deletion the database links refused."""
    objects = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", None) or ()
    return InvalidInput([FieldProblem(None, IN_USE, message(objects))], message(objects))
