"""A user's resolved permission facts, kept across requests until something changes.

Resolving a user's rule (role permissions; unit, tree path and "sees all") takes
two queries and about 2 ms of ORM work, on every request of every non-superuser.
Those facts change rarely, so they are kept in Django's cache, which every worker
process shares (Redis when REDIS_URL is set, else files under var/).

Every key carries a *generation*. Anything that could change a fact (groups,
permissions, users, and whatever the directory declares: people, units) replaces
the generation, so every process reads fresh facts at its next request. It is
replaced at once and again after the transaction commits, so a request that read
the old rows while the change was in flight cannot leave stale facts behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

GENERATION_KEY = "onemst:auth:generation"
TIMEOUT = 3600  # seconds; a safety net only, invalidation is by generation


def generation_of(key: str) -> str:
    """A shared version stamp in the cache: every process reads the same one until it moves."""
    generation = cache.get(key)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(key, generation, None)
        generation = cache.get(key, generation)
    return generation


def move_generation(key: str) -> None:
    """A new stamp for `key`, now and once more after commit (readers may race the commit)."""
    now_and_after_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def _generation() -> str:
    return generation_of(GENERATION_KEY)


def current_generation() -> str:
    """Changes whenever any user's permission facts may have changed (for long-lived checks)."""
    return _generation()


def remembered(user: Any, kind: str, compute: Callable[[], T]) -> T:
    """`compute()` for this user, from the shared cache when nothing changed since."""
    if getattr(user, "pk", None) is None:
        return compute()
    key = f"onemst:auth:{_generation()}:{kind}:{user.pk}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def now_and_after_commit(action: Callable[[], Any]) -> None:
    """Run `action` now and, inside a transaction, once more after it commits.

    For cache invalidation: a reader that filled the cache from the old rows while
    the change was in flight cannot leave stale values behind.
    """
    action()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(action)


def invalidate(*_args: Any, **_kwargs: Any) -> None:
    """Forget every user's facts, now and once more after commit (a signal receiver)."""
    move_generation(GENERATION_KEY)


def invalidate_on_user_save(*, update_fields: Any = None, **kwargs: Any) -> None:
    """A login only stamps `last_login`; that changes no fact, so keep the cache."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    invalidate()


def connect_auth_signals() -> None:
    """Django's own auth tables: users, groups, permissions and their links."""
    from django.contrib.auth.models import Group, Permission, User
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(invalidate_on_user_save, sender=User, dispatch_uid="onemst.auth.user_saved")
    for model in (User, Group, Permission):
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"onemst.auth.{model.__name__}.deleted")
    post_save.connect(invalidate, sender=Group, dispatch_uid="onemst.auth.group_saved")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"onemst.auth.{through.__name__}")


def invalidate_when_saved(*models: Any, receiver: Callable[..., None] = invalidate) -> None:
    """Call `receiver` whenever one of `models` (or one of its many-to-many links) changes.

    The directory names the models its facts are read from; the engine names the
    object-grant tables; a module may pass its own receiver (e.g. the calendar's).
    """
    from django.db.models.signals import m2m_changed, post_delete, post_save

    name = f"{receiver.__module__}.{receiver.__name__}"
    for model in models:
        label = model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}:{label}.saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}:{label}.deleted")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{name}:{through._meta.label}")
