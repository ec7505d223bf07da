"""The statements PostgreSQL writes a list's JSON with, compiled once per shape, bound per request.

Building and compiling the JSON statement's Django expressions on every request cost more
CPU than the Python rendering it replaces (docs/benchmarks.md). The statement's text depends
only on the plan and on the *shape* of the querysets it is made of: the root page (the
user's rule through `scoped_queryset`, the client's filters and ordering) and, for each
forward link, the target's `scoped_queryset`. Their values (unit paths, user and permission
ids, filter values) are parameters. So each request still builds and compiles those
querysets exactly as the Python path does, with `query.get_compiler(using).as_sql()` (or takes
the pair that compile gave before for the same user, permission generation and arguments,
schema/fastpath_sql_rules.py), and takes from them two things:

- the key: the plan and the SQL texts of every part (never their values);
- the parameters, in the order the statement holds them.

The first request of a shape builds the statement through Django (schema/fastpath_sql.py)
without its LIMIT/OFFSET and checks that Django's parameters are exactly the ones this module
assembles from the parts; only then is the text kept (else the shape is marked and every
request of it builds its own statement). Later requests of that shape execute the kept text
with their own parameters, plus the page's limit and offset. A statement therefore never
carries another request's values: the rule stays `scoped_queryset`'s, read afresh each time,
and a grant given or revoked is in the very next answer. The object expression itself has
no parameters (its texts are SQL literals, schema/fastpath_sql.py), so the rules' values are
all there is to bind. A process keeps 1,024 statements, the least recently used dropped.

Parameter order (what Django's compiler writes, checked on every first compile):
SELECT (the object expression: for each link in the plan's item order, the target's own
links, then the target's rule), then the root page's WHERE and ORDER BY, then LIMIT, OFFSET.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import models

from . import fastpath as fp
from . import fastpath_sql_rules as rules

log = logging.getLogger("onemst.graphql")

SIZE = 1024  # statements kept per process, over all plans and shapes (least recently used dropped)
TAIL = " LIMIT %s OFFSET %s"
_UNCACHEABLE = ""  # a shape whose parameters did not come out as assembled: built per request
_lock = threading.Lock()
# (id(plan), database, root SQL, each link's rule SQL) -> (plan, statement text or _UNCACHEABLE)
_kept: OrderedDict[tuple[Any, ...], tuple[Any, str]] = OrderedDict()


@dataclass
class Bound:
    """One request's statement key and parameters."""

    key: tuple[str, ...]
    head: list[Any]  # the object expression's parameters (the links' rules)
    root: list[Any]  # the root page's WHERE and ORDER BY parameters
    limit: int | None
    offset: int

    @property
    def params(self) -> tuple[Any, ...]:
        return (*self.head, *self.root, self.limit, self.offset)


def _compiled(queryset: models.QuerySet) -> tuple[str, tuple[Any, ...]]:
    return queryset.query.get_compiler(queryset.db).as_sql()


def unsliced(page: models.QuerySet) -> models.QuerySet:
    """The page without its LIMIT/OFFSET (those are bound as parameters)."""
    whole = page.all()
    whole.query.clear_limits()
    return whole


def bind(
    run: Any, plan: Any, page: models.QuerySet, page_part: tuple[tuple[Any, ...], Any] | None = None
) -> Bound | None:
    """Key and parameters of this request; None when a part is empty (Django answers it without SQL).

    The parts' compiled texts come from schema/fastpath_sql_rules.py when this user's rule and
    the list's arguments were compiled before (`page_part`: the page's key there and its owner)."""
    query = page.query
    low, high = query.low_mark, query.high_mark
    parts: list[str] = [page.db]
    memo: dict[type[models.Model], tuple[str, tuple[Any, ...]]] = {}
    try:
        if page_part is None:
            root_sql, root_params = _compiled(unsliced(page))
        else:
            key, owner = page_part
            root_sql, root_params = rules.compiled(
                run, (page.db, *key), (owner, plan), plan.entity, lambda: _compiled(unsliced(page))
            )
        parts.append(root_sql)
        head = _link_params(run, plan, parts, memo)
    except EmptyResultSet:
        return None
    return Bound(
        key=tuple(parts),
        head=head,
        root=list(root_params),
        limit=None if high is None else high - low,
        offset=low,
    )


def _link_params(
    run: Any, plan: Any, parts: list[str], memo: dict[type[models.Model], tuple[str, tuple[Any, ...]]]
) -> list[Any]:
    """The object expression's parameters: per link, the target's own links, then its rule."""
    params: list[Any] = []
    for _key, kind, _index, aux in plan.items:
        if kind != fp.ONE:
            continue
        target = plan.relations[aux].target
        compiled = memo.get(target.model)
        if compiled is None:
            compiled = memo[target.model] = _link_rule(run, target)
        parts.append(compiled[0])
        params += _link_params(run, target, parts, memo)
        params += compiled[1]
    return params


def _link_rule(run: Any, target: Any) -> tuple[str, tuple[Any, ...]]:
    """A linked type's `scoped_queryset`, compiled (or as compiled before for this user's rule)."""
    model = target.model
    db = model._base_manager.db
    return rules.compiled(
        run,
        ("link", db, model, id(target.entity)),
        None,
        target.entity,
        lambda: _compiled(run.scoped(target.entity, model, nested=True)),
    )


def statement(plan: Any, bound: Bound, build: Callable[[], models.QuerySet]) -> str | None:
    """The statement text for this key (compiled on the first request of the shape), or None
    when this shape is built per request."""
    key = (id(plan), *bound.key)  # the entry holds the plan, so its id is not reused meanwhile
    with _lock:
        entry = _kept.get(key)
        if entry is not None and entry[0] is plan:
            _kept.move_to_end(key)
        else:
            entry = None
    if entry is None:
        entry = (plan, _prepare(build(), bound))
        with _lock:
            _kept[key] = entry
            while len(_kept) > SIZE:
                _kept.popitem(last=False)
        fp.STATS["sql_compiled"] += 1
    elif entry[1]:
        fp.STATS["sql_cached"] += 1
    return entry[1] or None


def _typed(values: Any) -> list[tuple[type, Any]]:
    return [(type(value), value) for value in values]  # 1 == True, but not as parameters


def _prepare(built: models.QuerySet, bound: Bound) -> str:
    sql, params = _compiled(built)
    if _typed(params) != _typed((*bound.head, *bound.root)):
        log.warning("fast path SQL: parameters not in the expected order; this shape is built per request")
        return _UNCACHEABLE
    return sql + TAIL


def forget(plan: Any) -> None:
    """Drop a plan's kept statements (tests)."""
    with _lock:
        for key in [k for k, (owner, _) in _kept.items() if owner is plan]:
            del _kept[key]


def kept(plan: Any) -> int:
    """How many shapes a plan keeps a statement for (tests and diagnosis)."""
    with _lock:
        return sum(1 for owner, sql in _kept.values() if owner is plan and sql)
