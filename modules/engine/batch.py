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

A bulk write (`create_many`): records already judged one by one (`services.build_record`, or
`apply_values` + `validate_instance`) are saved a table at a time, doing what `save_record`
does for a new record: its owner from its link, the before-save hook, sharing, custom values,
created/updated by, version 1, its number (one counter bump a series: `numbering.next_numbers`),
its counters and search text; one INSERT a chunk, its history rows in one INSERT
(simple_history's `bulk_history_create`, with the same user and reason), the after-save hooks
(whose object grants are gathered and inserted once a table: `gather_grants`), and the live
events in one callback after commit. An entity whose save does more than that (an overlap
rule, a hold, actor or assignee links, multi-links, a post_save receiver other than history's)
is saved row by row by `save_record`, so the guarantees never depend on the path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models.signals import post_save, pre_save

T = TypeVar("T")
CHUNK = 500  # rows a bulk INSERT carries (SQLite's and PostgreSQL's parameter limits are far)
_memo: ContextVar[dict[tuple[Any, str, str], Any] | None] = ContextVar("engine_batch_memo", default=None)
_grants: ContextVar[dict[type[models.Model], list[models.Model]] | None] = ContextVar(
    "engine_batch_grants", default=None
)


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


def judge_links(user: Any, field_spec: Any, targets: Iterable[models.Model]) -> None:
    """Judge many link targets visible to `user` in one query (the link's own rule,
    `services._target_queryset`) and remember those found, as the very objects given (no second
    copy): the rows that name them then ask nothing. A target not found is left for its row's
    own check to report."""
    from . import services

    memo = _memo.get()
    if memo is None:
        return
    target = field_spec.target or ""
    given = {str(o.pk): o for o in targets if o.pk is not None}
    wanted = [pk for pk in given if pk not in recall(user, target, [pk])]
    if not wanted:
        return
    found = services._target_queryset(user, field_spec).filter(pk__in=wanted).values_list("pk", flat=True)
    seen = {str(pk): given[str(pk)] for pk in found}
    remember(user, target, seen)
    for pk, obj in seen.items():
        memo[("exists", obj._meta.label, pk)] = True


def forget(target: str, ids: Iterable[Any]) -> None:
    """Drop what the batch remembers of these rows of `target` (a label): a long import forgets
    each chunk's records once no later row can name them, so its memory stays one chunk's."""
    memo = _memo.get()
    if not memo:
        return
    gone = {str(i) for i in ids}
    for key in [k for k in memo if len(k) == 3 and k[1] == target and k[2] in gone]:
        del memo[key]


@contextmanager
def gathering_grants() -> Iterator[None]:
    """Object grants made inside are inserted once a table when the block ends without error."""
    if _grants.get() is not None:
        yield
        return
    token = _grants.set({})
    try:
        yield
        for model, rows in (_grants.get() or {}).items():
            model._default_manager.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    finally:
        _grants.reset(token)


def gather_grants(model: type[models.Model], rows: list[models.Model]) -> bool:
    """Keep grant rows for `gathering_grants` to insert; False outside one (insert them now)."""
    gathered = _grants.get()
    if gathered is None:
        return False
    gathered.setdefault(model, []).extend(rows)
    return True


def _only_history_listens(model: type[models.Model]) -> bool:
    """No receiver but simple_history's would miss a bulk INSERT (which sends no signal)."""
    from simple_history.models import HistoricalRecords

    if pre_save.has_listeners(model):
        return False
    live = post_save._live_receivers(model)
    receivers = [*live[0], *live[1]] if isinstance(live, tuple) else list(live)
    return all(isinstance(getattr(r, "__self__", None), HistoricalRecords) for r in receivers)


def bulk_ready(entity: Any, model: type[models.Model]) -> bool:
    """Whether `create_many` may save the entity's new records a table at a time."""
    from .assignments import _declared

    return (
        connection.features.can_return_rows_from_bulk_insert
        and not getattr(entity, "no_overlap", ())
        and not getattr(entity, "holds", ())
        and not any(_declared(entity))
        and not any(f.kind == "multilink" for f in entity.fields)
        and _only_history_listens(model)
    )


def _announce_all(entity: Any, snapshots: list[dict[str, Any]]) -> None:
    from .services import _announce

    for snapshot in snapshots:
        _announce(entity, "created", snapshot)


def create_many(
    entity: Any, user: Any, instances: list[models.Model], *, reason: str = ""
) -> list[models.Model]:
    """Save new records already judged (see the module's text), a table at a time; inside the
    caller's transaction, all or nothing. Child rows are not written here: give none."""
    from . import custom_values, search, services
    from .numbering import assign_counters, next_numbers

    if not instances:
        return instances
    model = type(instances[0])
    if not bulk_ready(entity, model):
        return [
            services.save_record(entity, user, i, created=True, expected_version=None, reason=reason)
            for i in instances
        ]
    actor = user if getattr(user, "pk", None) else None
    with transaction.atomic(), gathering_grants():
        for instance in instances:
            services._own_from_link(entity, instance)
            if entity.hooks.before_save:
                entity.hooks.before_save(instance, user, True)
            if entity.shared_in_states:
                instance.is_shared = instance.state in entity.shared_in_states
            custom_values.check(entity, user, instance, created=True)
            instance.updated_by = instance.created_by = actor
            instance.version = 1
            instance._history_user = actor
            if reason:
                instance._change_reason = reason
        if entity.numbering and not entity.numbering_on:
            for instance, number in zip(
                instances, next_numbers(entity.label, entity.numbering, instances), strict=True
            ):
                instance.number = number
        for instance in instances:
            assign_counters(entity, instance)
            search.fill(entity, instance)  # what `EngineRecord.save` does, which bulk_create skips
        model._default_manager.bulk_create(instances, batch_size=CHUNK)
        memo = _memo.get()
        if memo is not None:  # they exist: a row linking to one need not ask again
            for instance in instances:
                memo[("exists", model._meta.label, str(instance.pk))] = True
        if entity.history:
            model.history.bulk_history_create(
                instances, batch_size=CHUNK, default_user=actor, default_change_reason=reason or None
            )
        if entity.hooks.after_save:
            for instance in instances:
                entity.hooks.after_save(instance, user, True)
        if entity.realtime:
            transaction.on_commit(partial(_announce_all, entity, [services.snapshot(i) for i in instances]))
    return instances
