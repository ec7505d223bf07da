"""Batched writes through the one write path: what is the same for every row of a bulk import
is looked up once, while each row still goes through `services` (the same validation, hooks,
numbering, history and events as a one-row write).

Inside `writing()` (one user, one transaction: a bulk import's):
- a link target found visible to the user (`services._resolve_links`) is remembered for the
  rest of the batch: the same rule, judged once per target instead of once per row (a file of
  5,000 tasks names the same few organisations on every row);
- a foreign key's target found to exist by `full_clean` is not asked again for the next row
  (`links_known`, `note_links`; never a key that is part of a uniqueness rule, whose check
  `full_clean` would skip with it);
- what every row asks the same (a party's group, the permission rows of a grant) is asked once
  (`cached`);
- `row()` wraps one row in a savepoint: a refused row leaves nothing behind, and what it
  remembered is forgotten with it (a record it created and linked is gone).

The memo trusts that the batch does not change a target's visibility meanwhile: it is for
importers that create rows, not for a batch that moves records between units.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import transaction

T = TypeVar("T")
_memo: ContextVar[dict[tuple[Any, str, str], Any] | None] = ContextVar("engine_batch_memo", default=None)


@contextmanager
def writing() -> Iterator[None]:
    """A batch: link lookups are remembered until it ends (nested batches share the outer one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def active() -> bool:
    return _memo.get() is not None


@contextmanager
def row() -> Iterator[None]:
    """One row of a batch in a savepoint; if it fails, what it remembered is dropped too."""
    memo = _memo.get()
    known = set(memo) if memo is not None else set()
    try:
        with transaction.atomic():
            yield
    except BaseException:
        if memo is not None:
            for key in set(memo) - known:
                del memo[key]
        raise


def _key(user: Any, target: str, pk: str) -> tuple[Any, str, str]:
    return (getattr(user, "pk", None), target, pk)


def recall(user: Any, target: str, ids: list[str]) -> dict[str, Any]:
    """The targets among `ids` this batch already found visible to `user` ({} outside a batch)."""
    memo = _memo.get()
    if not memo:
        return {}
    out = {}
    for pk in ids:
        found = memo.get(_key(user, target, pk))
        if found is not None:
            out[pk] = found
    return out


def remember(user: Any, target: str, found: dict[str, Any]) -> None:
    """Note targets found visible to `user` (a no-op outside a batch)."""
    memo = _memo.get()
    if memo is None:
        return
    for pk, obj in found.items():
        memo[_key(user, target, pk)] = obj


def cached(key: tuple[str, ...], make: Callable[[], T]) -> T:
    """`make()` once per batch for `key` (every time outside a batch); what a refused row made
    is forgotten with it, like a remembered link."""
    memo = _memo.get()
    if memo is None:
        return make()
    slot = ("cached", *key)
    if slot not in memo:
        memo[slot] = make()
    return memo[slot]


def _foreign_keys(instance: Any) -> list[Any]:
    """The instance's foreign keys that no uniqueness rule of its model names."""
    meta = instance._meta
    unique = {name for group in meta.unique_together for name in group}
    for constraint in meta.constraints:
        unique.update(getattr(constraint, "fields", ()) or ())
    return [
        f
        for f in meta.concrete_fields
        if f.many_to_one and not f.unique and f.name not in unique and f.attname not in unique
    ]


def links_known(instance: Any) -> list[str]:
    """Foreign keys of `instance` whose targets this batch already found to exist ([] outside)."""
    memo = _memo.get()
    if not memo:
        return []
    known = []
    for f in _foreign_keys(instance):
        value = getattr(instance, f.attname)
        if value is not None and ("exists", f.related_model._meta.label, str(value)) in memo:
            known.append(f.name)
    return known


def note_links(instance: Any) -> None:
    """After a clean `full_clean`: the targets of `instance`'s foreign keys exist."""
    memo = _memo.get()
    if memo is None:
        return
    for f in _foreign_keys(instance):
        value = getattr(instance, f.attname)
        if value is not None:
            memo[("exists", f.related_model._meta.label, str(value))] = True
