"""Ranked full-text search behind one interface: PostgreSQL in production, SQLite FTS5 embedded.

Both index the row's folded `search_text` column (`engine/search.py`: lower case, tone and
vowel marks removed, đ→d), so "quyet dinh" finds "Quyết định" on both, with the same
words, whatever the database's own accent rules (FTS5's `remove_diacritics` leaves "đ";
PostgreSQL's `unaccent` may not be installable).

- PostgreSQL: a stored column, `search_vector`, GENERATED from the text as
  `to_tsvector('simple', <search_text, non-letters as spaces>)` (the `simple` configuration: no
  stemming, the words as folded), with a GIN index; matched with a `tsquery` of the words, the
  last one as a prefix, and ranked with `ts_rank` (more occurrences first). The database keeps
  the column in step on every write, the one write path and bulk ones alike (`bulk_create`,
  `update`), and Django never names it (it is not a model field). Stored, not an index on the
  expression: `ts_rank` and the planner's row check then read the vector instead of
  re-tokenising each match's text (2.5 s a query at 100,000 documents), and `ANALYZE` keeps
  statistics of its words, so the planner knows "two common words" match 70 % of the rows
  and walks the primary key newest first instead of sorting a bitmap of every match.
- SQLite: an FTS5 table holding the column (external content: the text is not stored
  twice), kept in step with the table by triggers, matched with the same words and ranked
  with `bm25`; with a prefix index (`PREFIXES`), so the last word, a prefix, reads its own
  doclist instead of FTS5 merging the doclists of every word it begins on each query.

A module declares the index in a migration (`AddFullTextIndex("Model")`); `ranked()`
filters and orders any queryset of that model (a scoped one: the rule still applies).

**The best few, fast: `top(queryset, text, limit)`, ranked among the newest matches.**
`ranked(...)[:20]` joins every match to its table row and ranks them all: with common words
at 100,000 documents that is 100,000 reads of wide rows (the recognised text) to keep 20
(EXPLAIN on SQLite: the FTS index drives, a primary-key search per match, a temporary B-tree
for the ORDER BY; 0.3-1.3 s). Ranking alone, inside the index with no row read, still costs
about 150 ms for 70,000 matches (bm25 reads each match's positions and length): no
index-only shape of "rank everything" meets 100 ms. So `top` ranks a window: the index is
walked newest first to the `WINDOW`-th match (milliseconds: no ranking), the matches from
there on are ranked by the index alone, their ids are read through the caller's queryset
(`scoped_queryset`: still the only row filter), and only the `limit` rows kept are fetched.
When the caller may see fewer than `limit` of them, the window widens ×8 (past `MAX_WINDOW`,
the ranked join). A query with no more matches than the window (2,000) gets exactly
`ranked(queryset, text)[:limit]`; a broader one, the best of its newest 2,000 matches — the
documents a clerk looks for first, and what "two common words" can rank usefully at all.
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
VECTOR = "search_vector"  # PostgreSQL: the stored, generated tsvector of `search_text`


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
        vector = f'"{table}"."{VECTOR}"'
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


WINDOW = 2_000  # the newest matches ranked for a caller; widened ×8 while they see too few
MAX_WINDOW = 130_000  # past this, one ranked join over every match


def top(queryset: QuerySet, text: str, limit: int, window: int | None = None) -> list[Any]:
    """The best `limit` rows of `queryset` for `text`, ranked among the newest `window` matches.

    With no more matches than the window, this is `ranked(queryset, text)[:limit]`, row for
    row. The caller's scope (`queryset`) reads only the window's ids, then the few rows kept."""
    found = words(text)
    if not found or limit <= 0:
        return []
    window = max(window or WINDOW, limit)
    while window <= MAX_WINDOW:
        floor = _floor(queryset, found, window)  # None: fewer matches than the window, all ranked
        kept = _visible(queryset, _ranked_ids(queryset, found, floor), limit)
        if len(kept) == limit or floor is None:
            rows = queryset.in_bulk(kept)
            return [rows[pk] for pk in kept]
        window *= 8
    return list(ranked(queryset, text)[:limit])


def _visible(queryset: QuerySet, best: list[int], limit: int) -> list[int]:
    """The first `limit` of `best` that `queryset` holds, asked in rank order a slice at a time
    (a caller who sees a fifth of the rows needs the first ~100 ids checked, not 2,000)."""
    kept: list[int] = []
    start, size = 0, max(200, 10 * limit)
    while start < len(best) and len(kept) < limit:
        chunk = best[start : start + size]
        visible = set(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
        kept += [pk for pk in chunk if pk in visible]
        start, size = start + size, size * 4
    return kept[:limit]


def _match(connection: Any, table: str, found: list[str]) -> tuple[str, list[Any]]:
    """The index's match condition on `table`'s ids, and its parameters."""
    if connection.vendor == "postgresql":
        terms = " & ".join([*found[:-1], f"{found[-1]}:*"])
        return f"{VECTOR} @@ to_tsquery('simple'::regconfig, %s)", [terms]
    if connection.vendor == "sqlite":
        fts = _fts_table(table)
        return f'"{fts}" MATCH %s', [" ".join([*(f'"{w}"' for w in found[:-1]), f'"{found[-1]}"*'])]
    raise NotImplementedError(f"full-text search on {connection.vendor}")


def _floor(queryset: QuerySet, found: list[str], window: int) -> int | None:
    """The id of the `window`-th newest match (the index walked newest first), or None."""
    table = queryset.model._meta.db_table
    connection = connections[queryset.db]
    condition, params = _match(connection, table, found)
    if connection.vendor == "sqlite":
        source, key = f'"{_fts_table(table)}"', "rowid"
    else:
        source, key = f'"{table}"', "id"
    sql = f"SELECT {key} FROM {source} WHERE {condition} ORDER BY {key} DESC LIMIT 1 OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, window - 1])
        row = cursor.fetchone()
    return row[0] if row else None


def _ranked_ids(queryset: QuerySet, found: list[str], floor: int | None) -> list[int]:
    """The ids of the matches from `floor` on, best first (ties: the newest first), no row read."""
    table = queryset.model._meta.db_table
    connection = connections[queryset.db]
    condition, params = _match(connection, table, found)
    since = [floor] if floor is not None else []
    if connection.vendor == "sqlite":
        fts = _fts_table(table)
        where = f"{condition} AND rowid >= %s" if since else condition
        sql = f'SELECT rowid FROM "{fts}" WHERE {where} ORDER BY bm25("{fts}"), rowid DESC'
        values = [*params, *since]
    else:
        where = f"{condition} AND id >= %s" if since else condition
        rank = f"ts_rank({VECTOR}, to_tsquery('simple'::regconfig, %s))"
        sql = f'SELECT id FROM "{table}" WHERE {where} ORDER BY {rank} DESC, id DESC'
        values = [*params, *since, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [row[0] for row in cursor.fetchall()]


# SQLite: FTS5 keeps a doclist per prefix of these lengths, so the query's last word, a prefix,
# reads one doclist instead of merging those of every word it begins (without it, "tri" merged
# "tri" and "trinh" over 70,000 documents, twice a query: 230 ms of a 1 s search at 100,000).
# A Vietnamese syllable has at most 7 letters once folded; a longer prefix still works, merged.
PREFIXES = "2 3 4 5 6 7"


def _sqlite_create(table: str, prefixes: str = PREFIXES) -> list[str]:
    fts = _fts_table(table)
    prefix = f", prefix='{prefixes}'" if prefixes else ""
    return [
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({COLUMN}, content="{table}", content_rowid="id", '
        f"tokenize='unicode61 remove_diacritics 2'{prefix})",
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
    """The stored vector and its GIN index; an earlier index of the same name (on the expression,
    before the vector was stored) is dropped first, so the step also upgrades a database."""
    words_sql = _pg_words(f'"{COLUMN}"')
    return [
        f'DROP INDEX IF EXISTS "{table}_fts"',
        f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{VECTOR}" tsvector '
        f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {words_sql})) STORED",
        f'CREATE INDEX IF NOT EXISTS "{table}_fts" ON "{table}" USING gin ("{VECTOR}")',
        f'ANALYZE "{table}"',
    ]


def _postgres_drop(table: str) -> list[str]:
    return [f'DROP INDEX IF EXISTS "{table}_fts"', f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{VECTOR}"']


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


class StoreFullTextVector(AddFullTextIndex):
    """A migration step for a database whose PostgreSQL index was made on the expression (before
    the vector was stored): the same statements, which replace it; nothing to do on SQLite.
    Backwards it leaves the stored shape (what `AddFullTextIndex` makes today)."""

    def _run(self, app_label: str, schema_editor: Any, to_state: Any, create: bool) -> None:
        if create and schema_editor.connection.vendor == "postgresql":
            super()._run(app_label, schema_editor, to_state, create)

    def describe(self) -> str:
        return f"Stored full-text vector on {self.model_name}"


class IndexFullTextPrefixes(AddFullTextIndex):
    """A migration step for a SQLite database whose FTS5 table was made without the prefix index
    (`PREFIXES`): the table made again and rebuilt from the rows; nothing to do on PostgreSQL
    (its `:*` prefix match reads the GIN index). Backwards, the table without prefixes."""

    def _run(self, app_label: str, schema_editor: Any, to_state: Any, create: bool) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        for sql in [*_sqlite_drop(table), *_sqlite_create(table, PREFIXES if create else "")]:
            schema_editor.execute(sql)

    def describe(self) -> str:
        return f"Full-text prefix index on {self.model_name}"
