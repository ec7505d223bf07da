"""Searching custom fields without diacritics, like the declared search (engine/search.py).

Declared fields are folded into `search_text` on save; custom values cannot be: a field hidden
from a role must not be a search target for it, and one shared column would let that role
find rows by the hidden value. So a custom value is folded in SQL at query time, and only the
fields the user may see are searched: `Fold` is PostgreSQL's built-in `translate` with a
table generated from `search.fold` itself, and on SQLite the same Python `fold` registered as
a deterministic SQL function. A choice field is searched by its options' labels.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Func, Q, QuerySet, TextField
from django.db.models.fields.json import KT

from .custom_values import Definition
from .search import fold

SQLITE_FUNCTION = "onemst_fold"


def _translation() -> tuple[str, str]:
    """Every precomposed Latin letter `fold` turns into one ASCII letter, and the combining
    marks it drops (decomposed input), as `translate`'s two strings."""
    source, target = [], []
    for point in range(0xC0, 0x1EFA):
        char = chr(point)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != char:
            source.append(char)
            target.append(folded)
    marks = [chr(p) for p in range(0x300, 0x370) if unicodedata.combining(chr(p))]
    return "".join(source) + "".join(marks), "".join(target)  # marks have no target: deleted


FROM, TO = _translation()


class Fold(Func):
    """`search.fold` in SQL (lower case, no marks, đ→d) for one text expression."""

    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, FROM, TO]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        connection.ensure_connection()
        raw = connection.connection
        if getattr(connection, "_onemst_fold_on", None) is not raw:  # once per database connection
            raw.create_function(SQLITE_FUNCTION, 1, _fold_or_none, deterministic=True)
            connection._onemst_fold_on = raw
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FUNCTION}({sql})", params

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER({sql})", params  # other databases: case only


def _fold_or_none(value: Any) -> str | None:
    return None if value is None else fold(value)


def _alias(code: str) -> str:
    return f"_onemst_custom_fold_{code}"


def search(
    queryset: QuerySet, defs: Iterable[Definition], term: str, declared: Callable[[str], Q] | None
) -> QuerySet:
    """Rows where every folded word of `term` is in a declared column (`declared(word)`) or
    in one of the custom fields `defs` (already narrowed to what the user may see)."""
    defs = [d for d in defs if d.in_search]
    texts = [d for d in defs if d.type not in ("choice", "link", "person")]
    queryset = queryset.alias(**{_alias(d.code): Fold(KT(f"custom__{d.code}")) for d in texts})
    for word in fold(term).split():
        rule = declared(word) if declared is not None else Q(pk__in=[])
        for defn in defs:
            if defn.type == "choice":
                codes = [o.code for o in defn.options if word in fold(f"{o.label_vi} {o.label_en} {o.code}")]
                if codes:
                    rule |= Q(**{f"custom__{defn.code}__in": codes})
            elif defn in texts:
                rule |= Q(**{f"{_alias(defn.code)}__contains": word})
        queryset = queryset.filter(rule)
    return queryset
