"""On PostgreSQL, the database writes a fast-path list's JSON: one statement per root list.

On by default on PostgreSQL (ONEMST_FASTPATH_SQL=0 switches it off; SQLite always renders in
Python). Built per request, the statement cost about 9 % more CPU than the Python rendering
it replaces; kept per plan and rule shape and only bound per request
(schema/fastpath_sql_cache.py), it costs less (docs/benchmarks.md, "PostgreSQL writes the JSON").

The GraphQL-over-PostgreSQL servers (PostGraphile, Hasura) have PostgreSQL build the answer,
so the server process only passes text along. Here the fast path's compiled plan
(schema/fastpath.py) becomes one SQL expression per row, `'{"id":"' || id || '","title":' ||
to_json(title) || …`, selected from the very queryset the Python path reads: the root rows
through `scoped_queryset` with strawberry-django's filters, ordering and pagination, each
forward link a correlated subquery over the target's `scoped_queryset` (an invisible row is
null, as with the optimizer's prefetches). The rule stays the only row filter; only the
rendering moves into the database. The rows' texts are joined in Python and handed to the
view as `RawJSON` (schema/rawjson.py), which writes them into the answer unparsed.

The text must be the Python path's, byte for byte (tests/test_fastpath*.py compare against
stock execution). So only what PostgreSQL writes exactly as the view's encoder does is built
here: text columns (`to_json` escapes as `json.dumps(ensure_ascii=False)` does), booleans,
integer IDs and Ints, dates (ISO), enums (each stored code mapped through the enum's own
serializer, once per plan), `__typename` and forward links. A plan with anything else
(date-times, decimals, floats, JSON, custom fields, lists of related rows) keeps the Python
path, and so does SQLite.

Where the Python path would fall back to stock execution (a null in a non-null field, a
code the enum does not know, an Int out of range), the expression yields NULL; each object
turns NULL into a \\x01 byte, which `to_json` always escapes inside strings, so its presence
in the text means "fall back".
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

from django.db import connections, models
from django.db.models import F, Func, OuterRef, Subquery, TextField
from graphql import GraphQLEnumType

from . import fastpath as fp
from . import fastpath_sql_cache as statements
from . import rawjson
from .deadline import check_deadline

# On unless ONEMST_FASTPATH_SQL=0 (PostgreSQL only): with the statement kept per shape
# (schema/fastpath_sql_cache.py) it costs less CPU than the Python rendering (docs/benchmarks.md).
ENABLED = os.environ.get("ONEMST_FASTPATH_SQL", "1") == "1"
FAIL = "\x01"
ANNOTATION = "onemst_json"
INTEGERS = (models.AutoField, models.BigAutoField, models.IntegerField, models.SmallIntegerField)
_UNSUPPORTED = object()


def results(
    run: Any, plan: Any, page: models.QuerySet, page_part: tuple[tuple[Any, ...], Any] | None = None
) -> rawjson.RawJSON | None:
    """The `results` list of a page as JSON written by PostgreSQL, or None for the Python path.

    `page_part` is (key, owner) of the page's compiled text (schema/fastpath_sql_rules.py), or
    None when the page is compiled each request."""
    if not (ENABLED and rawjson.is_accepted() and connections[page.db].vendor == "postgresql"):
        return None
    if not supported(plan) or page.query.distinct or page.query.combinator:
        return None  # DISTINCT would compare the JSON text, not the rows (the Python path selects pk)
    check_deadline()
    bound = statements.bind(run, plan, page, page_part)
    if bound is None:
        return None  # an empty rule or page: the Python path answers it without SQL
    sql = statements.statement(plan, bound, lambda: _annotated(run, plan, statements.unsliced(page)))
    if sql is None:  # a shape whose statement is not kept: built for this request
        rows = list(_annotated(run, plan, page))
    else:
        with connections[page.db].cursor() as cursor:
            cursor.execute(sql, bound.params)
            rows = [row[0] for row in cursor.fetchall()]
    text = "[" + ",".join(rows) + "]"
    if FAIL in text:
        raise fp.Fallback("a value the fast path does not render")
    fp.STATS["sql"] += 1
    return rawjson.RawJSON(text)


def _annotated(run: Any, plan: Any, queryset: models.QuerySet) -> models.QuerySet:
    """`queryset`'s rows as their JSON texts (the statement; its only parameters are the rules')."""
    return queryset.annotate(**{ANNOTATION: _object(run, plan)}).values_list(ANNOTATION, flat=True)


def supported(plan: Any) -> bool:
    """Whether every item of `plan` (and of its linked plans) can be written by PostgreSQL."""
    cached = plan.__dict__.get("_sql_supported")
    if cached is None:
        cached = plan.__dict__["_sql_supported"] = _supported(plan)
    return cached


def _supported(plan: Any) -> bool:
    for key, kind, _index, aux in plan.items:
        if _quote(json.dumps(key)) is None:
            return False
        if kind == fp.CONSTANT:
            if _quote(json.dumps(aux, ensure_ascii=False)) is None:
                return False
            continue
        if kind in (fp.VALUE, fp.SERIALIZED):
            if _scalar_template(plan, key) is _UNSUPPORTED:
                return False
        elif kind == fp.ONE:
            link = plan.relations[aux]
            if not isinstance(link, fp.ForwardLink) or not supported(link.target):
                return False
        else:  # MANY (ordered groups), CUSTOM (per-field visibility and formats)
            return False
    return True


def _scalar_template(plan: Any, key: str) -> Any:
    """The SQL template of one column (no parameters of its own) or _UNSUPPORTED; cached per plan."""
    memo = plan.__dict__.setdefault("_sql_scalars", {})
    if key not in memo:
        scalar = plan.scalars.get(key)
        memo[key] = _UNSUPPORTED if scalar is None else _template_for(*scalar)
    return memo[key]


def _template_for(named: Any, model_field: Any, non_null: bool) -> Any:
    empty = "NULL" if non_null else "'null'"  # NULL: the Python path falls back; 'null': JSON null
    name = getattr(named, "name", "")
    if isinstance(named, GraphQLEnumType):
        if not isinstance(model_field, (models.CharField, models.TextField)):
            return _UNSUPPORTED
        arms: list[str] = []
        for value in named.values.values():
            code = getattr(value.value, "value", value.value)
            if not isinstance(code, str) or code == "":
                return _UNSUPPORTED
            served = named.serialize(code)
            if not isinstance(served, str):
                return _UNSUPPORTED
            when, then = _quote(code), _quote(json.dumps(served, ensure_ascii=False))
            if when is None or then is None:
                return _UNSUPPORTED
            arms.append(f"WHEN {when} THEN {then}")
        if not arms:
            return _UNSUPPORTED
        # A code the enum does not know is NULL: the Python path's serializer refuses it too.
        return (
            f"(CASE WHEN %(expressions)s IS NULL OR %(expressions)s = '' THEN {empty}"
            f" ELSE CASE %(expressions)s {' '.join(arms)} ELSE NULL END END)"
        )
    if name == "String" and isinstance(model_field, (models.CharField, models.TextField)):
        return f"COALESCE(to_json(%(expressions)s)::text, {empty})"
    if name == "Boolean" and isinstance(model_field, models.BooleanField):
        return (
            f"(CASE WHEN %(expressions)s THEN 'true' WHEN NOT %(expressions)s THEN 'false' ELSE {empty} END)"
        )
    if name == "ID" and isinstance(model_field, INTEGERS) and named.serialize(12) == "12":
        return f"COALESCE('\"' || (%(expressions)s)::text || '\"', {empty})"
    if name == "Int" and isinstance(model_field, INTEGERS) and named.serialize(12) == 12:
        return (
            "(CASE WHEN %(expressions)s BETWEEN -2147483648 AND 2147483647 THEN (%(expressions)s)::text"
            f" WHEN %(expressions)s IS NULL THEN {empty} END)"
        )
    if (
        name == "Date"
        and isinstance(model_field, models.DateField)
        and not isinstance(model_field, models.DateTimeField)
        and named.serialize(dt.date(987, 6, 5)) == "0987-06-05"
    ):
        return f"COALESCE('\"' || to_char(%(expressions)s, 'YYYY-MM-DD') || '\"', {empty})"
    return _UNSUPPORTED


def _quote(text: str) -> str | None:
    """`text` as a SQL string literal, or None if it holds what a literal here must not (the
    statement's only parameters are the rules'; `%` is psycopg's placeholder sign, a NUL no
    PostgreSQL text holds, a backslash depends on standard_conforming_strings)."""
    if "%" in text or "\x00" in text or "\\" in text:
        return None
    return "'" + text.replace("'", "''") + "'"


def _literal(text: str) -> Func:
    quoted = _quote(text)
    if quoted is None:  # keys are GraphQL names, constants type names: never happens
        raise fp.Fallback("a literal the SQL path does not write")
    return Func(template=f"({quoted})::text", output_field=TextField())


def _column(plan: Any, key: str, index: int) -> Any:
    return Func(F(plan.columns[index]), template=_scalar_template(plan, key), output_field=TextField())


def _object(run: Any, plan: Any) -> Func:
    """One row's JSON object, in the plan's key order; \\x01 where the Python path falls back."""
    parts: list[Any] = []
    pending = "{"
    for key, kind, index, aux in plan.items:
        pending += ("" if pending == "{" else ",") + json.dumps(key) + ":"
        if kind == fp.CONSTANT:
            pending += json.dumps(aux, ensure_ascii=False)
            continue
        parts.append(_literal(pending))
        pending = ""
        if kind == fp.ONE:
            link = plan.relations[aux]
            target = link.target
            rows = run.scoped(target.entity, target.model, nested=True).filter(pk=OuterRef(link.attname))
            found = Subquery(rows.annotate(**{ANNOTATION: _object(run, target)}).values(ANNOTATION)[:1])
            if link.nullable:
                found = Func(found, template="COALESCE(%(expressions)s, 'null')", output_field=TextField())
            parts.append(found)
        else:
            parts.append(_column(plan, key, index))
    parts.append(_literal(pending + "}"))
    return Func(
        Func(*parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=TextField()),
        template="COALESCE(%(expressions)s, chr(1))",
        output_field=TextField(),
    )
