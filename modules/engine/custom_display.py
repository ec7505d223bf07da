"""Custom values as people read them, for lists, history and exports (never raw JSON).

A choice shows its option's label, a date 30/11/2026, money 1.500.000, yes/no Có/Không, a
link or a person the linked record's name. Names of linked records are read for a whole
page at once (`link_names`: one query per target entity), never one query per row, and only
through `access.scoped_queryset`, the rule the write path judges links by: a record the
reader may not see shows as hidden, never by its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from . import registry
from .access import scoped_queryset
from .custom_values import Definition
from .display import format_boolean, format_date, format_number
from .i18n import bilingual

Names = dict[str, dict[int, str]]  # link target (app.Entity) → record id → its name
HIDDEN = bilingual("(không được xem)", "(not visible to you)")


def _link_ids(value: Any) -> int | None:
    pk = getattr(value, "pk", value)
    return int(pk) if isinstance(pk, int | str) and str(pk).isdigit() else None


def link_names(defs: Iterable[Definition], rows: Iterable[dict[str, Any] | None], user: Any) -> Names:
    """The names of the records that the link and person fields of `rows` point at and that
    `user` may see; the others are named `HIDDEN`."""
    links = [d for d in defs if d.type in ("link", "person")]
    if not links:
        return {}
    wanted: dict[str, set[int]] = {}
    for values in rows:
        for defn in links:
            pk = _link_ids((values or {}).get(defn.code))
            if pk is not None:
                wanted.setdefault(defn.link_target, set()).add(pk)
    names: Names = {}
    for target, ids in wanted.items():
        try:
            entity = registry.entity_by_label(target)
        except (KeyError, StopIteration, ValueError):
            continue
        seen = scoped_queryset(user, entity, "view").in_bulk(sorted(ids))
        model = registry.model_for(entity)
        exists = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        names[target] = {pk: str(seen[pk]) if pk in seen else str(HIDDEN) for pk in exists}
    return names


def value_of(defn: Definition, value: Any, names: Names | None = None) -> Any:
    """One stored value as text for people; None when empty. Numbers stay text with
    Vietnamese separators (1.500.000; 12,5)."""
    if value is None or value == "":
        return None
    kind = defn.type
    if kind == "choice":
        option = next((o for o in defn.options if o.code == value), None)
        return str(bilingual(option.label_vi, option.label_en)) if option else str(value)
    if kind == "boolean":
        return format_boolean(value)
    if kind in ("integer", "money"):
        return format_number(value, 0)
    if kind == "decimal":
        return format_number(value, 6)
    if kind == "date":
        day = parse_date(value) if isinstance(value, str) else value
        return format_date(day) if isinstance(day, dt.date) else str(value)
    if kind == "datetime":
        moment = parse_datetime(value) if isinstance(value, str) else value
        if isinstance(moment, dt.datetime):
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return format_date(moment)
        return str(value)
    if kind in ("link", "person"):
        pk = _link_ids(value)
        found = (names or {}).get(defn.link_target, {}).get(pk) if pk is not None else None
        return found or f"#{value}"
    return str(value)


def label_of(defn: Definition) -> str:
    """The field's label in the request's language (Vietnamese first)."""
    return str(bilingual(defn.label_vi, defn.label_en))
