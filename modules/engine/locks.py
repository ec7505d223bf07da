"""Locked records: the declared `Entity.locks`, judged against what a write changes.

`services.save_record` calls `check` on every update that is not a workflow transition,
so GraphQL, the admin, imports and module code meet the same rule. The record's state
and its stored values are read from the database row, and a field counts as changed only
when the value the caller put on the instance (or the multi-links and child rows it
passes) differs from the stored one. Values derived later by `before_save` are not input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from .definitions import Entity
from .errors import FieldProblem, InvalidInput

LOCKED = "LOCKED"

# Labels of the standard fields a lock may hold besides the declared ones.
_STANDARD_LABELS = {
    "owner_unit": ("Đơn vị chủ trì", "Owning unit"),
    "is_shared": ("Chia sẻ cho các đơn vị", "Shared with other units"),
}


def roles_of(user: Any) -> frozenset[str]:
    """The user's roles (group names); none for anonymous callers and jobs."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.pk):
        return frozenset()
    cached = getattr(user, "_onemst_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._onemst_roles = cached
    return cached


def locked_for(entity: Entity, user: Any, state: str | None) -> tuple[str, ...]:
    """The fields `user` may not change on a record of `entity` in `state`."""
    if not entity.locks:
        return ()
    return entity.locked_fields(state, roles_of(user))


def _labels(entity: Entity, name: str) -> tuple[str, str]:
    if name in _STANDARD_LABELS:
        return _STANDARD_LABELS[name]
    spec = entity.field(name)
    return spec.label_vi, spec.label_en


def problem(entity: Entity, name: str, state: str) -> FieldProblem:
    """The refusal for one field: it names the field and the state, Vietnamese first."""
    label_vi, label_en = _labels(entity, name)
    current = entity.workflow.state(state) if entity.workflow else None
    state_vi = current.label_vi if current else state
    state_en = current.label_en if current else state
    return FieldProblem(
        name,
        LOCKED,
        f"«{label_vi}» không sửa được khi bản ghi đã ở trạng thái «{state_vi}». / "
        f"“{label_en}” cannot be changed once the record is “{state_en}”.",
    )


def refuse(entity: Entity, names: list[str] | tuple[str, ...], state: str) -> None:
    if names:
        raise InvalidInput([problem(entity, name, state) for name in names])


def _same(field: models.Field, old: Any, new: Any) -> bool:
    if isinstance(field, models.FileField):
        return (getattr(new, "name", new) or "") == (getattr(old, "name", old) or "")
    if isinstance(field, (models.CharField, models.TextField)):
        old, new = old or "", new or ""
    try:
        return field.to_python(old) == field.to_python(new)
    except ValidationError:
        return False


def _same_rows(model: type[models.Model], columns: Any, old: list[Any], new: list[Any]) -> bool:
    """Child rows (model instances) compared column by column, in order."""
    if len(old) != len(new):
        return False
    fields = [model._meta.get_field(c.name) for c in columns]
    return all(
        _same(f, getattr(before, f.attname, None), getattr(after, f.attname, None))
        for before, after in zip(old, new, strict=True)
        for f in fields
    )


def changed_fields(
    entity: Entity,
    instance: models.Model,
    stored: dict[str, Any],
    multilinks: dict[str, list[Any]] | None = None,
    children: dict[str, list[Any]] | None = None,
    names: tuple[str, ...] = (),
) -> list[str]:
    """Which of `names` the caller changed, against the stored row `stored`."""
    model = type(instance)
    changed = []
    declared = {f.name: f for f in entity.fields}
    for name in names:
        spec = declared.get(name)
        if spec is not None and spec.kind == "multilink":
            if multilinks and name in multilinks:
                new = {str(getattr(t, "pk", t)) for t in multilinks[name]}  # rows or raw ids
                old = {str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)}
                if new != old:
                    changed.append(name)
            continue
        if spec is not None and spec.kind == "children":
            if children and name in children:
                rows = children[name]
                manager = getattr(instance, name)
                if not _same_rows(manager.model, spec.columns, list(manager.order_by("position")), rows):
                    changed.append(name)
            continue
        field = model._meta.get_field(name)
        if not _same(field, stored.get(field.attname), getattr(instance, field.attname, None)):
            changed.append(name)
    return changed


def check(
    entity: Entity,
    user: Any,
    instance: models.Model,
    *,
    multilinks: dict[str, list[Any]] | None = None,
    children: dict[str, list[Any]] | None = None,
) -> None:
    """Refuse (with `LOCKED` field errors) a change to a field locked in the stored state."""
    if not entity.locks or instance.pk is None:
        return
    model = type(instance)
    lockable = entity.lockable_fields()
    scalar = [
        model._meta.get_field(n).attname
        for n in lockable
        if not (n in {f.name for f in entity.fields} and entity.field(n).kind in ("multilink", "children"))
    ]
    stored = model._default_manager.filter(pk=instance.pk).values("state", *scalar).first()
    if stored is None:
        return
    names = locked_for(entity, user, stored["state"])
    if not names:
        return
    refuse(entity, changed_fields(entity, instance, stored, multilinks, children, names), stored["state"])


def check_fields(entity: Entity, user: Any, instance: models.Model, names: tuple[str, ...]) -> None:
    """For module code that writes some fields by its own path (child rows of a sheet):
    refuse at once if any of `names` is locked for `user` in the record's stored state."""
    if not entity.locks or instance.pk is None:
        return
    state = type(instance)._default_manager.filter(pk=instance.pk).values_list("state", flat=True).first()
    locked = set(locked_for(entity, user, state))
    refuse(entity, [n for n in names if n in locked], state)
