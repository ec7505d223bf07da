"""The compiled SQL of a request's rule querysets, kept per user and permission generation.

A kept JSON statement (schema/fastpath_sql_cache.py) is found by the SQL texts of its parts
(the root page, each link's `scoped_queryset`) and bound with their parameters. Compiling those
parts through Django on every request was 19 % (superuser) to 30 % (officer) of a request's CPU
(docs/benchmarks.md, "Where a request's CPU goes"). This module keeps each part's compiled
(text, parameters) under a key made of everything the compile reads, so a request that repeats
one gets the very pair the compiler would have written, without compiling (or even building)
the queryset. The statement cache above it is unchanged: it still keys by the texts.

What `scoped_queryset(user, entity, "view")` compiles to is a function of:
- the request's user object: its id and its active and superuser flags (in the key);
- for a non-superuser, their role permissions and directory facts (unit path, "sees all"):
  every change to those moves `authcache`'s generation, which is in the key. The stamp is
  read *before* the run builds its first rule (fastpath.Run.scoped), and only when the user
  object holds no facts read earlier (Django's permission caches, the directory's): so the
  facts compiled are read after the stamp, and a change racing the request can only file
  newer facts under an older stamp, which the generation's move after commit retires;
- the view permission's id (process-cached in `access`; in the key by value);
- the entity and model (static declarations; the key holds their identity, the entry holds
  the objects so an id is not reused while kept).
Object grants are not among the parameters: they are subqueries that PostgreSQL reads when
the statement runs, so a grant given or revoked is in the very next answer.

A root page adds the list's own arguments. Only a list without `filters` is kept (a filter may
read custom-field definitions and the caller's visibility at run time, schema/custom.py), and
its `ordering` is in the key as given (one on custom fields is never kept). Pagination is not
in the text: the statement binds LIMIT and OFFSET.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from enum import Enum
from typing import Any

from django.db import connections

from modules.engine import access, authcache, registry

from . import fastpath as fp

# On unless ONEMST_FASTPATH_RULES=0 (then every part is compiled per request, to compare).
ENABLED = os.environ.get("ONEMST_FASTPATH_RULES", "1") == "1"
SIZE = 4096  # compiled parts kept per process (users × lists and links; least recently used dropped)
NO_STAMP: tuple[Any, ...] = ()  # nothing kept for this request (anonymous, inactive, SQLite)
_lock = threading.Lock()
# (stamp, part) -> (objects held so their ids stay theirs, (SQL text, parameters))
_kept: OrderedDict[tuple[Any, ...], tuple[Any, tuple[str, tuple[Any, ...]]]] = OrderedDict()
Compiled = tuple[str, tuple[Any, ...]]


def stamp(user: Any) -> tuple[Any, ...]:
    """What the user's rule depends on beyond the entity; read before the rule is built."""
    from . import fastpath_sql

    if not (ENABLED and fastpath_sql.ENABLED and connections["default"].vendor == "postgresql"):
        return NO_STAMP
    pk = getattr(user, "pk", None)
    if pk is None or not (user.is_authenticated and user.is_active):
        return NO_STAMP  # the empty rule: Django answers it without SQL
    if user.is_superuser:
        return ("everything", pk)
    if any(name in user.__dict__ for name in _fact_caches()):
        return NO_STAMP  # facts read before the stamp (maybe under an older generation): keep nothing
    return ("rule", pk, authcache.current_generation())


def _fact_caches() -> tuple[str, ...]:
    """Where a user object keeps facts it has read: Django's permission caches and the
    directory's (a request's user object starts without them: tokens hand out a copy)."""
    directory_cache = getattr(access.directory(), "_CACHE", None)
    return (*DJANGO_FACT_CACHES, *([directory_cache] if isinstance(directory_cache, str) else []))


DJANGO_FACT_CACHES = ("_perm_cache", "_user_perm_cache", "_group_perm_cache")


def _view_permission(entity: Any) -> Any:
    if entity is None:
        return None
    model = registry.model_for(entity)
    return access._permission_id(entity.app_label, model._meta.model_name, access.codename(entity, "view"))


def compiled(
    run: Any, part: tuple[Any, ...], holds: Any, entity: Any, compile_part: Callable[[], Compiled]
) -> Compiled:
    """`compile_part()`, or the pair it gave for the same stamp, part and permission id."""
    run_stamp = getattr(run, "stamp", None)
    if not run_stamp:  # no stamp yet (taken with the first rule) or nothing to keep
        return compile_part()
    try:
        permission = _view_permission(entity) if run_stamp[0] == "rule" else None
    except Exception:  # e.g. no content type yet: the rule itself will say; keep nothing
        return compile_part()
    key = (*run_stamp, *part, permission)
    with _lock:
        entry = _kept.get(key)
        if entry is not None:
            _kept.move_to_end(key)
            fp.STATS["sql_rule_reused"] += 1
            return entry[1]
    text, params = compile_part()
    fp.STATS["sql_rule_compiled"] += 1
    with _lock:
        _kept[key] = ((holds, entity), (text, tuple(params)))
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return text, tuple(params)


def page_arguments(raw: dict[str, Any] | None) -> Hashable | None:
    """The part of a list's arguments its page's text depends on, or None when not kept."""
    raw = raw or {}
    if not set(raw) <= LIST_ARGUMENTS or raw.get("filters") is not None:
        return None
    ordering = raw.get("ordering")
    frozen = _frozen(ordering)
    if frozen is _UNKEPT or _names_custom(ordering):
        return None
    return ("ordering", frozen)


def _names_custom(value: Any) -> bool:
    """Whether an ordering orders by custom fields (their definitions are read at run time)."""
    if isinstance(value, dict):
        return "custom" in value or any(_names_custom(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_names_custom(item) for item in value)
    return False


LIST_ARGUMENTS = {"filters", "ordering", "pagination"}  # what fastpath._apply_list_arguments reads
_UNKEPT = object()
_PLAIN = (str, int, float, bool, type(None), Enum)


def _frozen(value: Any) -> Any:
    """`value` as a hashable tuple tree keeping dict order (an ordering's precedence), or _UNKEPT."""
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        items = [(key, _frozen(item)) for key, item in value.items()]
        return _UNKEPT if any(item is _UNKEPT for _k, item in items) else ("dict", tuple(items))
    if isinstance(value, (list, tuple)):
        items = [_frozen(item) for item in value]
        return _UNKEPT if any(item is _UNKEPT for item in items) else ("list", tuple(items))
    return _UNKEPT


def forget() -> None:
    """Drop every kept part (tests)."""
    with _lock:
        _kept.clear()
