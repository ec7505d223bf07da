"""The SQL shape of the visibility rule: walked for a page of rows, indexed for a count.

The rule (`access.scope_q`) is an OR of a few row tests: owner unit among my units, created
by me, shared, granted. Which SQL the planners answer fastest depends on what the query does:

- **reading a page** (`ORDER BY id DESC LIMIT 200`): walk the primary key and test the OR on
  each row, stopping at the 200th hit. Django's own SQL for the rule
  (`owner_unit_id IN (SELECT ...)`, a bare `is_shared`) is what neither planner turns into
  index lookups, so the walk is what they do.
- **counting or aggregating every visible row** (`totalCount`, dashboard figures): walking
  the whole table tests the OR on all 100,000 rows. For these queries `Scope` writes every
  test so an index can answer it: `is_shared IN (true)` (SQLite's OR optimisation skips a
  bare boolean column) and, on PostgreSQL, `col = ANY(ARRAY(SELECT ...))` (an
  `IN (SELECT ...)` under an OR is a hashed subplan tested per row, never a bitmap index
  scan). SQLite then answers with "MULTI-INDEX OR", PostgreSQL with a `BitmapOr` of index
  scans: only the visible rows are read.

The indexed shape is not used for pages: SQLite would then collect and sort thousands of
rows where the walk stops after a few hundred (measured at 100,000 rows: 3 ms → 30 ms).
Both shapes are the same conditions, with the same NULL semantics; only the plan differs
(tests/test_graphql_scoped_count.py compares counts and plans on both databases).
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Expression, Lookup, Q
from django.db.models.lookups import Exact, In
from django.db.models.sql.query import Query
from django.db.models.sql.where import WhereNode

INDEXED_COUNTS = True  # False: counts walk the rows like pages (bench/graphql_list.py compares both)


class InSubquery(Lookup):
    """`column IN (subquery)` in a form an index can answer under an OR, on every database."""

    lookup_name = "in_subquery"  # used as an expression only, never registered on a field
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        """The subquery without its ordering, as Django's own `__in` does (order is no matter)."""
        subquery = self.rhs.clone() if isinstance(self.rhs, Query) else self.rhs.all().query
        subquery.clear_ordering(force=True, clear_default=True)
        return subquery

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def indexed(node: Any) -> Any:
    """A resolved condition rewritten for index lookups: `IN (subquery)` and `bool = true`."""
    if isinstance(node, WhereNode):
        return WhereNode([indexed(child) for child in node.children], node.connector, node.negated)
    if isinstance(node, In) and isinstance(node.rhs, Query):
        return InSubquery(node.lhs, node.rhs)
    if (
        isinstance(node, Exact)
        and node.rhs is True
        and isinstance(getattr(node.lhs, "output_field", None), BooleanField)
    ):
        return In(node.lhs, [True])
    return node


def aggregates_only(query: Any) -> bool:
    """Whether a query returns no row, only aggregates over every row it filters.

    This is the shape of `QuerySet.count()` and `.aggregate()` (Django clears the select
    list and the ordering before compiling them): every visible row is visited, none is
    returned, so the indexed shape is the fast one. A count Django wraps in a subquery
    (over DISTINCT or a slice) keeps the walked shape: right, only slower.
    """
    annotations = query.annotation_select
    return bool(
        annotations
        and not query.select
        and not query.default_cols
        and not query.is_sliced
        and all(getattr(a, "contains_aggregate", False) for a in annotations.values())
    )


class Scope(Expression):
    """The rule as one filter condition whose SQL follows the query (see the module docstring)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, rule: Q | WhereNode) -> None:
        super().__init__(output_field=BooleanField())
        self.rule = rule

    def __repr__(self) -> str:
        return f"Scope({self.rule!r})"

    def get_source_expressions(self) -> list[Any]:
        return [self.rule]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.rule,) = exprs

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Scope:
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.rule = self.rule.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return resolved

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        rule = indexed(self.rule) if INDEXED_COUNTS and aggregates_only(compiler.query) else self.rule
        sql, params = compiler.compile(rule)
        return (f"({sql})" if sql else sql), params
