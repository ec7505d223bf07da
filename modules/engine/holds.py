"""A row that takes a resource for its time through another entity's never-overlap rule.

A schedule item held in a meeting room must obey the room's rule ("two bookings of one room
never overlap", `timeranges.NoOverlap`), and that rule lives in the bookings' table (its
exclusion constraint cannot reach another table). So the item keeps one booking in step,
declared on the item's entity:

    Entity(..., holds=(Holds(target="rooms.RoomBooking", link="room_booking",
                             resource="place_room", copy=(("title", "title"),),
                             released_when="cancelled"),))

`services.save_record` calls `sync` in the row's own transaction, before the row is written:

- the row names a resource (and is not released): a booking is created, or its own booking
  moved, through the target's write path as the same user (permissions, validation, the
  resource lock and the OVERLAP check, numbering, history, events after commit);
- the row no longer names one (or is released, e.g. cancelled): its booking is released
  by the target's `release` transition, and the link cleared;
- a refusal of the booking is the row's refusal: its field problems are reported on the row's
  fields (OVERLAP on `resource`, naming the booking and the next free slots), and the whole
  write rolls back, so there is never an item without its booking nor a booking without its item.

A booking someone else refused or cancelled stays so while the row asks for the same room and
time; moving the row asks again. `services.delete_record` calls `release` before deleting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete

from . import registry
from .errors import EngineError, FieldProblem, InvalidInput


@dataclass(frozen=True, kw_only=True)
class Holds:
    target: str  # the entity with the NoOverlap rule, e.g. "rooms.RoomBooking"
    link: str  # this entity's (computed) link to the row it keeps, e.g. "room_booking"
    resource: str  # this entity's link to the resource, e.g. "place_room"
    start: str = "starts_at"
    end: str = "ends_at"
    default_length: dt.timedelta = dt.timedelta(hours=1)  # when this row has no end
    copy: tuple[tuple[str, str], ...] = ()  # (target field, this entity's field) copied over
    released_when: str = ""  # a yes/no field of this entity: ticked, the resource is freed
    release: str = "cancel"  # the target's transition that frees the resource


def _target(hold: Holds) -> tuple[Any, Any]:
    """The target entity and its never-overlap rule on the resource."""
    entity = registry.entity_by_label(hold.target)
    return entity, entity.no_overlap[0]


def _wanted(hold: Holds, rule: Any, instance: models.Model) -> dict[str, Any] | None:
    """The target's values this row asks for, or None when it holds nothing."""
    resource = getattr(instance, f"{hold.resource}_id", None)
    start = getattr(instance, hold.start, None)
    if resource is None or start is None:
        return None
    if hold.released_when and getattr(instance, hold.released_when, False):
        return None
    end = getattr(instance, hold.end, None) or start + hold.default_length
    values = {rule.per: resource, rule.start: start, rule.end: end}
    for target_field, own_field in hold.copy:
        values[target_field] = getattr(instance, own_field)
    return values


def _stored(row: models.Model, name: str) -> Any:
    field = row._meta.get_field(name)
    return getattr(row, field.attname)


def _on_row(hold: Holds, rule: Any, exc: EngineError) -> InvalidInput:
    """The target's refusal, said on this row's fields (the booking's room is the item's room)."""
    names = {rule.per: hold.resource, rule.start: hold.start, rule.end: hold.end}
    names.update({target: own for target, own in hold.copy})
    return InvalidInput(
        [FieldProblem(names.get(p.field or "", hold.resource), p.code, p.message) for p in exc.problems]
    )


def _holding(row: models.Model, rule: Any) -> bool:
    return not rule.states or getattr(row, "state", None) in rule.states


def sync(entity: Any, user: Any, instance: models.Model) -> None:
    """Bring each held row in step with `instance` (see the module text); inside its transaction."""
    from . import services

    for hold in getattr(entity, "holds", ()):
        target, rule = _target(hold)
        model = registry.model_for(target)
        held_id = getattr(instance, f"{hold.link}_id", None)
        held = model._default_manager.filter(pk=held_id).first() if held_id else None
        wanted = _wanted(hold, rule, instance)
        try:
            if wanted is None:
                if held is not None and _holding(held, rule):
                    services.fire_transition(target, user, held.pk, hold.release, held.version)
                setattr(instance, f"{hold.link}_id", None)
                continue
            if held is not None:
                changes = {k: v for k, v in wanted.items() if _stored(held, k) != v}
                if _holding(held, rule):
                    if changes:
                        services.update_record(target, user, held.pk, changes, held.version)
                    continue
                if not changes:
                    continue  # refused or cancelled by its own workflow: that decision stands
            values = wanted | {"owner_unit": getattr(instance, "owner_unit_id", None)}
            if not target.unit_scoped or values["owner_unit"] is None:
                values.pop("owner_unit")
            booked = services.create_record(target, user, values)
            setattr(instance, f"{hold.link}_id", booked.pk)
        except EngineError as exc:
            raise _on_row(hold, rule, exc) from exc


def release(entity: Any, user: Any, instance: models.Model) -> None:
    """Free what a row holds before it is deleted."""
    from . import services

    for hold in getattr(entity, "holds", ()):
        target, rule = _target(hold)
        held_id = getattr(instance, f"{hold.link}_id", None)
        held = registry.model_for(target)._default_manager.filter(pk=held_id).first() if held_id else None
        if held is not None and _holding(held, rule):
            try:
                services.fire_transition(target, user, held.pk, hold.release, held.version)
            except EngineError as exc:
                raise _on_row(hold, rule, exc) from exc


def release_when_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """`post_delete` of a holder: a booking it still holds moves by the target's `release`
    transition (history, events after commit), written by the system: the deletion itself was
    the permitted act, whoever made it and by whatever route (a cascade has no request)."""
    from . import services

    entity = registry.entity_for(sender)
    for hold in getattr(entity, "holds", ()):
        held_id = getattr(instance, f"{hold.link}_id", None)
        if held_id is None:
            continue
        target, rule = _target(hold)
        manager = registry.model_for(target)._default_manager
        held = manager.select_for_update().filter(pk=held_id).first()
        if held is None or not _holding(held, rule):
            continue  # released already (delete_record), or deleted along with the holder
        transition = target.workflow.transition(hold.release)
        if held.state not in transition.source:
            continue
        payload = {"comment": "", "from": held.state}
        held.state = transition.target
        for hook in transition.hooks:
            hook(held, None, transition, payload)
        services.save_record(
            target,
            None,
            held,
            created=False,
            expected_version=held.version,
            reason=hold.release,
            by_transition=True,
        )


def connect_release_on_delete() -> None:
    """Listen for deletions of every entity that holds rows (Django then deletes them one by
    one, never by a fast bulk delete, so no route skips the signal)."""
    for entity in registry.entities():
        if getattr(entity, "holds", ()):
            model = registry.model_for(entity)
            post_delete.connect(
                release_when_deleted, sender=model, dispatch_uid=f"onemst.holds.{entity.label}"
            )


def held_for_another(target_label: str) -> Q:
    """The target's rows some holder keeps (a schedule item's booking): its requester booked it
    for the holder, whose own people say who is busy (the slot finder, `agenda`)."""
    held = Q(pk__in=[])  # none, when nothing holds the target's rows
    for entity in registry.entities():
        for hold in getattr(entity, "holds", ()):
            if hold.target == target_label:
                holders = registry.model_for(entity)._default_manager.filter(**{hold.link: OuterRef("pk")})
                held |= Q(Exists(holders))
    return held
