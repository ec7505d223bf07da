"""Custom-field values as typed SQL expressions, for filters, ordering and their indexes.

Values live as JSON in the entity's `custom` column (decimals as exact strings, dates and
date-times ISO, money and links as integers). Compared as text, "9" > "10" and a date-time
at +07:00 sorts against one at +00:00 by its characters; so every filter and ordering goes
through `typed(...)`, the value cast to its type, and the expression index an administrator
gets by marking a field "in filters" (`sync_index`) is built from the very same expression,
so the database sees the same SQL in the index and in the query:

- PostgreSQL: `(custom ->> 'code')::bigint | ::numeric | ::boolean`, text as is, and for
  dates and date-times the IMMUTABLE wrappers `onemst_cf_date` / `onemst_cf_timestamptz`
  (engine migration 0005): a plain `::date` / `::timestamptz` is only STABLE (it depends on
  DateStyle / TimeZone) and PostgreSQL refuses it in an index. Our values are ISO with an
  explicit offset, which those settings cannot change, so the wrappers are truly immutable.
- SQLite: `json_extract` is already typed for numbers and booleans; decimals are cast to
  REAL (SQLite has no exact decimal: 15-16 significant digits), dates by `date()`, and
  date-times by `strftime('%Y-%m-%d %H:%M:%f', …)`, which turns any offset into UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.db import connection, models
from django.db.models import F, Func
from django.db.models.functions import Cast
from django.utils import timezone

from . import registry
from .custom_values import Definition

TEXT_KINDS = ("text", "longtext", "choice")
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class _Numeric(models.DecimalField):
    """A decimal of any precision: plain `numeric` on PostgreSQL, NUMERIC affinity on SQLite."""

    def db_type(self, connection: Any) -> str:
        return "numeric"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return None if value is None else str(value)


class _Moment(models.DateTimeField):
    """Parameters in the form SQLite's `strftime('%Y-%m-%d %H:%M:%f')` gives (UTC, ms)."""

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "sqlite" or not isinstance(value, dt.datetime):
            return super().get_db_prep_value(value, connection, prepared)
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        utc = value.astimezone(dt.UTC)
        return utc.strftime("%Y-%m-%d %H:%M:%S.") + f"{utc.microsecond // 1000:03d}"


class _Immutable(Func):
    """`onemst_cf_date(x)` / `onemst_cf_timestamptz(x)` on PostgreSQL; on SQLite `date(x)` and
    `strftime('%Y-%m-%d %H:%M:%f', x)` (UTC), with the format written into the SQL rather than
    bound as Django's Cast does, so the query's text is the index's."""

    arity = 1

    def __init__(self, expression: Any, function: str, output_field: models.Field) -> None:
        super().__init__(expression, output_field=output_field)
        self.function = function

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        if self.function == "onemst_cf_date":
            template = "date(%(expressions)s)"
        else:  # '%%%%' is '%%' in the SQL: both the query and the DDL path turn it into '%'
            template = "strftime('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


class _Real(Func):
    """A decimal: `numeric` on PostgreSQL, exact; REAL on SQLite (a float there, so that
    Django's NUMERIC wrapping of decimal expressions does not change the index's text)."""

    arity = 1
    template = "CAST(%(expressions)s AS REAL)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::numeric", **extra)


class _Key(Func):
    """The value at one key of the `custom` column, as SQL text (PostgreSQL `->>`) or typed
    (SQLite `json_extract`). The key is written into the SQL, not bound: SQLite matches an
    expression index only against the very same literal text, and codes are checked
    identifiers (`custom_models.CODE`), never user input."""

    arity = 1
    output_field = models.TextField()

    def __init__(self, column: str, code: str) -> None:
        if not CODE.fullmatch(code):
            raise ValueError(f"not a custom field code: {code!r}")
        super().__init__(F(column))
        self.code = code

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # SQLite and others
        return super().as_sql(
            compiler, connection, template=f"json_extract(%(expressions)s, '$.{self.code}')"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template=f"(%(expressions)s ->> '{self.code}')")


def typed(code: str, kind: str, prefix: str = "") -> Any:
    """The stored value of custom field `code` as an SQL expression of its type (or NULL)."""
    raw = _Key(f"{prefix}custom", code)
    if kind in TEXT_KINDS:
        return raw
    if kind in ("integer", "money", "link", "person"):
        return Cast(raw, models.BigIntegerField())
    if kind == "decimal":
        return _Real(
            raw, output_field=_Numeric() if connection.vendor == "postgresql" else models.FloatField()
        )
    if kind == "boolean":
        return Cast(raw, models.BooleanField())
    if kind == "date":
        return _Immutable(raw, "onemst_cf_date", models.DateField())
    if kind == "datetime":
        return _Immutable(raw, "onemst_cf_timestamptz", _Moment())
    raise ValueError(f"unsupported custom field type: {kind}")


# --- indexes ----------------------------------------------------------------------


def index_name(entity: str, code: str, kind: str) -> str:
    """A stable name per (entity, field, type), within PostgreSQL's 63 characters."""
    digest = hashlib.sha1(f"{entity}:{code}:{kind}".encode()).hexdigest()[:10]
    return f"cf_{code[:24]}_{digest}"


def _index(defn: Definition | Any, kind: str | None = None) -> models.Index:
    kind = kind or defn.type
    return models.Index(typed(defn.code, kind), name=index_name(defn.entity, defn.code, kind))


def _existing(model: type[models.Model]) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, model._meta.db_table))


def sync_index(field: Any, before: dict[str, Any] | None) -> None:
    """Create the expression index of a field marked "in filters"; drop it when unmarked,
    archived or retyped. Runs inside the definition's save (DDL is transactional on both
    databases, so a refused save leaves no index behind). The statements are run directly:
    SQLite's schema editor refuses to open inside a transaction, and one index needs none of
    its table rebuilding."""
    model = registry.model_for(field.entity)
    existing = _existing(model)
    editor = connection.schema_editor()
    editor.deferred_sql = []  # set by the editor's __enter__, which is not used here
    statements = []
    if before is not None:
        old = _index(_Old(field.entity, before["code"]), before["type"])
        same = (before["code"], before["type"]) == (field.code, field.type)
        keep = field.in_filter and not field.archived and same
        if old.name in existing and not keep:
            statements.append(old.remove_sql(model, editor))
            existing.discard(old.name)
    if field.in_filter and not field.archived:
        new = _index(field)
        if new.name not in existing:
            statements.append(new.create_sql(model, editor))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(str(statement))


class _Old:
    def __init__(self, entity: str, code: str) -> None:
        self.entity, self.code = entity, code
