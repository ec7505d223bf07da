"""Ranked full-text search behind one interface: PostgreSQL in production, SQLite FTS5 embedded.

Both index the row's folded `search_text` column (`engine/search.py`: lower case, tone and
vowel marks removed, đ→d), so "quyet dinh" finds "Quyết định" on both, with the same
words, whatever the database's own accent rules (FTS5's `remove_diacritics` leaves "đ";
PostgreSQL's `unaccent` may not be installable).

- PostgreSQL: a GIN index on `to_tsvector('simple', <search_text, non-letters as spaces>)` (the `simple`
  configuration: no stemming, the words as folded), matched with a `tsquery` of the
  words, the last one as a prefix, and ranked with `ts_rank` (more occurrences first).
- SQLite: an FTS5 table holding the column (external content: the text is not stored
  twice), kept in step with the table by triggers, matched with the same words and ranked
  with `bm25`.

A module declares the index in a migration (`AddFullTextIndex("Model")`); `ranked()`
filters and orders any queryset of that model (a scoped one: the rule still applies).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connections
from django.db.migrations.operations.base import Operation
from django.db.models import QuerySet

from .search import COLUMN, fold

WORD = re.compile(r"[0-9a-z]+")
MAX_WORDS = 12


def words(text: str) -> list[str]:
    """The query's words, folded like the column, without any query-syntax character."""
    return WORD.findall(fold(text))[:MAX_WORDS]


def _pg_words(column: str) -> str:
    """The column with each run of other characters made one space, as FTS5's tokenizer splits
    it (PostgreSQL's parser keeps "2/btc-hcsn" whole, as a path); the index has the same text."""
    return f"regexp_replace({column}, '[^a-z0-9]+', ' ', 'g')"


def _fts_table(table: str) -> str:
    return f"{table}_fts"


def ranked(queryset: QuerySet, text: str) -> QuerySet:
    """Rows of `queryset` holding every word of `text` (the last as a prefix), best first."""
    found = words(text)
    if not found:
        return queryset.none()
    model = queryset.model
    table = model._meta.db_table
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        terms = " & ".join([*found[:-1], f"{found[-1]}:*"])
        words_sql = _pg_words(f'"{table}"."{COLUMN}"')
        vector = f"to_tsvector('simple'::regconfig, {words_sql})"
        query = "to_tsquery('simple'::regconfig, %s)"
        return queryset.extra(
            where=[f"{vector} @@ {query}"],
            params=[terms],
            select={"fulltext_rank": f"ts_rank({vector}, {query})"},
            select_params=[terms],
            order_by=["-fulltext_rank", "-id"],
        )
    if vendor == "sqlite":
        fts = _fts_table(table)
        match = " ".join([*(f'"{w}"' for w in found[:-1]), f'"{found[-1]}"*'])
        return queryset.extra(
            tables=[fts],
            where=[f'"{fts}".rowid = "{table}"."id"', f'"{fts}" MATCH %s'],
            params=[match],
            select={"fulltext_rank": f'bm25("{fts}")'},
            order_by=["fulltext_rank", "-id"],
        )
    raise NotImplementedError(f"full-text search on {vendor}")


def _sqlite_create(table: str) -> list[str]:
    fts = _fts_table(table)
    return [
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({COLUMN}, content="{table}", content_rowid="id", '
        "tokenize='unicode61 remove_diacritics 2')",
        f'CREATE TRIGGER "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
        f'INSERT INTO "{fts}"(rowid, {COLUMN}) VALUES (new.id, new.{COLUMN}); END',
        f'CREATE TRIGGER "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
        f'INSERT INTO "{fts}"("{fts}", rowid, {COLUMN}) VALUES (\'delete\', old.id, old.{COLUMN}); END',
        f'CREATE TRIGGER "{fts}_au" AFTER UPDATE OF {COLUMN} ON "{table}" BEGIN '
        f'INSERT INTO "{fts}"("{fts}", rowid, {COLUMN}) VALUES (\'delete\', old.id, old.{COLUMN}); '
        f'INSERT INTO "{fts}"(rowid, {COLUMN}) VALUES (new.id, new.{COLUMN}); END',
        f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
    ]


def _sqlite_drop(table: str) -> list[str]:
    fts = _fts_table(table)
    return [f'DROP TRIGGER IF EXISTS "{fts}_{s}"' for s in ("ai", "ad", "au")] + [
        f'DROP TABLE IF EXISTS "{fts}"'
    ]


def _postgres_create(table: str) -> list[str]:
    words_sql = _pg_words(f'"{COLUMN}"')
    return [
        f'CREATE INDEX IF NOT EXISTS "{table}_fts" ON "{table}" '
        f"USING gin (to_tsvector('simple'::regconfig, {words_sql}))"
    ]


def _postgres_drop(table: str) -> list[str]:
    return [f'DROP INDEX IF EXISTS "{table}_fts"']


class AddFullTextIndex(Operation):
    """A migration step: the full-text index of one model's `search_text`, on either database."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # no model state: an index Django does not manage

    def _run(self, app_label: str, schema_editor: Any, to_state: Any, create: bool) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            statements = _sqlite_create(table) if create else _sqlite_drop(table)
        elif vendor == "postgresql":
            statements = _postgres_create(table) if create else _postgres_drop(table)
        else:
            return
        for sql in statements:
            schema_editor.execute(sql)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._run(app_label, schema_editor, to_state, create=True)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        self._run(app_label, schema_editor, from_state, create=False)

    def describe(self) -> str:
        return f"Full-text index on {self.model_name}.search_text"
