"""The single write path: create, update, delete and workflow transitions.

GraphQL mutations and the admin both end in `save_record`, so validation,
permissions, numbering, optimistic locking, history and events behave the
same everywhere. Every write is one transaction; change events are sent
only after it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError

from . import assignments, batch, custom_values, dependents, holds, locks, registry, timeranges
from .access import can, directory, scoped_queryset
from .definitions import Entity, Field
from .errors import FieldProblem, InvalidInput, NotFound, PermissionDenied, StaleVersion, TransitionRefused
from .events import record_committed
from .numbering import assign_counters, next_number

REQUIRED = "Trường này là bắt buộc. / This field is required."
NOT_FOUND_LINK = "Không tìm thấy bản ghi được liên kết. / The linked record was not found."


# --- reading input ----------------------------------------------------------------


NULL_BOOLEAN = "Trường có/không không nhận giá trị rỗng. / A yes/no field cannot be null."


def _target_queryset(user: Any, spec: Field) -> models.QuerySet:
    """Rows a link may point to: for declared entities, only those the user can see."""
    target = spec.target or ""
    try:
        entity = registry.entity_by_label(target)
    except (KeyError, StopIteration, ValueError):
        from django.apps import apps

        return apps.get_model(target)._default_manager.all()
    return scoped_queryset(user, entity, "view")


def _resolve_links(user: Any, spec: Field, ids: Iterable[Any]) -> list[models.Model]:
    wanted = [str(i) for i in ids]
    target = spec.target or ""
    found = batch.recall(user, target, wanted)  # a bulk import judges each target once
    valid = [i for i in wanted if i.isdigit() and i not in found]  # ids are integers; others are not found
    if valid:
        fresh = {str(o.pk): o for o in _target_queryset(user, spec).filter(pk__in=valid)}
        batch.remember(user, target, fresh)
        found |= fresh
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInput([FieldProblem(spec.name, "NOT_FOUND", f"{NOT_FOUND_LINK} ({', '.join(missing)})")])
    return [found[i] for i in wanted]


def _check_owner_unit(user: Any, unit_id: Any) -> None:
    units = directory().visible_unit_ids(user)
    if user.is_superuser or units is None:
        return
    if int(unit_id) not in units:
        raise InvalidInput(
            [
                FieldProblem(
                    "owner_unit",
                    "OUT_OF_SCOPE",
                    "Bạn không được tạo hoặc chuyển bản ghi sang đơn vị này. / "
                    "You may not assign records to this unit.",
                )
            ]
        )


def apply_values(entity: Entity, user: Any, instance: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """Copy input values onto `instance`; return the multi-links and child rows to write after save."""
    problems: list[FieldProblem] = []
    deferred: dict[str, Any] = {}
    declared = {f.name: f for f in entity.fields}
    for name, value in values.items():
        if name == "owner_unit" and entity.unit_scoped:
            if value is None:
                problems.append(FieldProblem("owner_unit", "REQUIRED", REQUIRED))
                continue
            try:
                _check_owner_unit(user, value)
                instance.owner_unit_id = int(value)
            except InvalidInput as exc:
                problems.extend(exc.problems)
            except (TypeError, ValueError):
                problems.append(
                    FieldProblem("owner_unit", "INVALID", "Mã đơn vị không hợp lệ. / Invalid unit id.")
                )
            continue
        if name == "custom" and entity.custom_fields:  # judged in save_record (custom_values.check)
            custom_values.merge_input(instance, value or {})
            continue
        if name == "is_shared" and entity.shareable:
            if entity.shared_in_states:
                problems.append(
                    FieldProblem(
                        "is_shared",
                        "READ_ONLY",
                        "Việc chia sẻ theo trạng thái xử lý, không đặt tay được. / "
                        "Sharing follows the workflow state and cannot be set by hand.",
                    )
                )
                continue
            instance.is_shared = bool(value)
            continue
        spec = declared.get(name)
        if spec is None:
            problems.append(
                FieldProblem(name, "UNKNOWN_FIELD", f"Trường không tồn tại / Unknown field: {name}")
            )
            continue
        if spec.computed:
            problems.append(
                FieldProblem(name, "READ_ONLY", f"Trường tự tính, không nhập được / Computed field: {name}")
            )
            continue
        try:
            if spec.kind == "link":
                setattr(
                    instance,
                    name,
                    _resolve_links(user, spec, [value])[0] if value not in (None, "") else None,
                )
            elif spec.kind in ("multilink", "children"):
                deferred[name] = value
            elif spec.kind == "file":
                setattr(instance, name, value or "")
            elif value is None and spec.kind in ("text", "longtext", "choice"):
                setattr(instance, name, "")  # text columns store "no value" as "", never NULL
            elif value is None and spec.kind == "boolean":  # yes/no is never NULL: leave it out instead
                problems.append(FieldProblem(name, "INVALID", NULL_BOOLEAN))
            else:
                setattr(instance, name, value)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return deferred


def validate_instance(
    entity: Entity, user: Any, instance: models.Model, deferred: dict[str, Any] | None = None
) -> None:
    """Field rules, required multi-links and the entity's validate hook, as one InvalidInput.

    Public for module code that writes a record by its own path (a public intake, an opening
    job) and must judge it as the generic write path would."""
    deferred = deferred or {}
    problems: list[FieldProblem] = []
    exclude = [f.name for f in entity.fields if f.kind in ("multilink", "children")]
    exclude += batch.links_known(instance)  # a bulk import checks a row it links to exist once
    try:
        instance.full_clean(exclude=exclude, validate_unique=True)
    except ValidationError as exc:
        problems.extend(InvalidInput.from_dict(exc.message_dict).problems)
    else:
        batch.note_links(instance)
    for spec in entity.fields:
        if spec.kind == "multilink" and spec.required and spec.name in deferred and not deferred[spec.name]:
            problems.append(FieldProblem(spec.name, "REQUIRED", REQUIRED))
    if entity.hooks.validate:
        problems.extend(InvalidInput.from_dict(entity.hooks.validate(instance, user) or {}).problems)
    if problems:
        raise InvalidInput(problems)


def child_values(spec: Field, row: models.Model) -> dict[str, Any]:
    """A child row as the plain dict `Hooks.validate_children` judges."""
    return {column.name: getattr(row, column.name, None) for column in spec.columns}


def check_children(
    entity: Entity, user: Any, instance: models.Model, spec: Field, rows: list[dict[str, Any]]
) -> list[FieldProblem]:
    if entity.hooks.validate_children is None:
        return []
    errors = entity.hooks.validate_children(instance, user, spec.name, rows) or {}
    return InvalidInput.from_dict(errors).problems


def _prepare_children(
    entity: Entity, user: Any, deferred: dict[str, Any], instance: models.Model | None = None
) -> dict[str, list[models.Model]]:
    """Build and validate child rows before anything is written."""
    classes = registry.classes_for(entity)
    from .factory import child_model_name

    prepared: dict[str, list[models.Model]] = {}
    problems: list[FieldProblem] = []
    for spec in entity.fields:
        if spec.kind != "children" or spec.name not in deferred:
            continue
        child_model = classes[child_model_name(entity, spec)]
        rows = []
        for position, raw in enumerate(deferred[spec.name] or []):
            row = child_model(position=position)
            for column in spec.columns:
                if column.name not in raw:
                    continue
                value = raw[column.name]
                if column.kind == "link":
                    try:
                        value = _resolve_links(user, column, [value])[0] if value not in (None, "") else None
                    except InvalidInput:
                        problems.append(
                            FieldProblem(f"{spec.name}.{position}.{column.name}", "NOT_FOUND", NOT_FOUND_LINK)
                        )
                        continue
                setattr(row, column.name, value)
            try:
                row.full_clean(exclude=["parent"])
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    problems.extend(
                        FieldProblem(f"{spec.name}.{position}.{name}", "INVALID", m) for m in messages
                    )
            rows.append(row)
        prepared[spec.name] = rows
        if not problems:
            plain = [child_values(spec, r) for r in rows]
            problems.extend(check_children(entity, user, instance, spec, plain))
    if problems:
        raise InvalidInput(problems)
    return prepared


# --- writing ----------------------------------------------------------------------


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The fields an event carries so receivers can decide visibility without a query."""
    return {
        "id": instance.pk,
        "version": getattr(instance, "version", None),
        "owner_unit_id": getattr(instance, "owner_unit_id", None),
        "created_by_id": getattr(instance, "created_by_id", None),
        "is_shared": getattr(instance, "is_shared", False),
        "state": getattr(instance, "state", None),
    }


def _announce(entity: Entity, action: str, data: dict[str, Any]) -> None:
    record_committed.send(sender=entity.label, entity=entity, action=action, snapshot=data)


def _own_from_link(entity: Entity, instance: models.Model) -> None:
    """`Entity.owner_from`: a new row belongs to the unit owning the record its link names."""
    if entity.unit_scoped and entity.owner_from:
        owner = getattr(instance, entity.owner_from, None)  # a link already checked as visible
        if owner is not None:
            instance.owner_unit_id = owner.owner_unit_id


def save_record(
    entity: Entity,
    user: Any,
    instance: models.Model,
    *,
    created: bool,
    expected_version: int | None,
    multilinks: dict[str, list[models.Model]] | None = None,
    children: dict[str, list[models.Model]] | None = None,
    reason: str = "",
    by_transition: bool = False,
) -> models.Model:
    """Persist a validated instance: number, version check, relations, history, event.

    An update is first judged against the entity's locks (`locks.check`), unless it is the
    record's own workflow transition (`by_transition`), whose hooks may set any field."""
    model = type(instance)
    with transaction.atomic():
        if not created and not by_transition:
            locks.check(entity, user, instance, multilinks=multilinks, children=children)
        # actor links name the user (or whom they may record for); assignees are noted
        pending = assignments.before_save(entity, user, instance, created=created, multilinks=multilinks)
        if created:  # every path, the admin's included
            _own_from_link(entity, instance)
        if entity.hooks.before_save:
            entity.hooks.before_save(instance, user, created)
        if entity.shared_in_states:
            instance.is_shared = instance.state in entity.shared_in_states
        custom_values.check(entity, user, instance, created=created)  # typed, role- and scope-checked
        timeranges.claim(entity, instance)  # lock the room/vehicle, refuse an overlap (OVERLAP)
        holds.sync(entity, user, instance)  # a room it takes: its booking, by the same rule
        instance.updated_by = user if getattr(user, "pk", None) else None
        instance._history_user = instance.updated_by
        if reason:
            instance._change_reason = reason
        if created:
            instance.created_by = instance.updated_by
            instance.version = 1
            if entity.numbering and not entity.numbering_on:
                instance.number = next_number(entity.label, entity.numbering, instance)
            assign_counters(entity, instance)
            instance.save()
        else:
            if expected_version is None:
                raise StaleVersion(-1, instance.version)
            bumped = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
                version=expected_version + 1
            )
            if not bumped:
                current = (
                    model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
                )
                if current is None:
                    raise NotFound("Không tìm thấy bản ghi. / Record not found.")
                raise StaleVersion(expected_version, current)
            instance.version = expected_version + 1
            instance.save()
        for name, targets in (multilinks or {}).items():
            getattr(instance, name).set(targets)
        for name, rows in (children or {}).items():
            getattr(instance, name).all().delete()
            for row in rows:
                row.parent = instance
                row.save()
        if entity.hooks.after_save:
            entity.hooks.after_save(instance, user, created)
        assignments.after_save(entity, user, instance, pending)  # each assignee sees the row, or no write
        if entity.realtime:
            transaction.on_commit(
                partial(_announce, entity, "created" if created else "updated", snapshot(instance))
            )
    return instance


def _judge(
    entity: Entity, user: Any, instance: models.Model, values: dict[str, Any], *, created: bool
) -> tuple[dict[str, list[models.Model]], dict[str, list[models.Model]]]:
    """Apply and judge `values` on `instance` (nothing written): its multi-links and child rows."""
    deferred = apply_values(entity, user, instance, values)
    if created:
        _own_from_link(entity, instance)
    if created and entity.unit_scoped and not instance.owner_unit_id:
        unit_id = directory().unit_id_of(user)
        if unit_id is None:
            raise InvalidInput([FieldProblem("owner_unit", "REQUIRED", REQUIRED)])
        instance.owner_unit_id = unit_id
    if created:
        assignments.fill_actors(entity, user, instance)  # an empty "assigned by" is the user
    else:  # a locked field is refused as locked, before its new value is judged
        links = {n: v or [] for n, v in deferred.items() if entity.field(n).kind == "multilink"}
        locks.check(entity, user, instance, multilinks=links)
    validate_instance(entity, user, instance, deferred)
    multilinks: dict[str, list[models.Model]] = {}
    problems: list[FieldProblem] = []
    for spec in entity.fields:
        if spec.kind == "multilink" and spec.name in deferred:
            try:
                multilinks[spec.name] = _resolve_links(user, spec, deferred[spec.name] or [])
            except InvalidInput as exc:
                problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return multilinks, _prepare_children(entity, user, deferred, instance)


def _write(
    entity: Entity,
    user: Any,
    instance: models.Model,
    values: dict[str, Any],
    *,
    created: bool,
    expected_version: int | None,
) -> models.Model:
    multilinks, children = _judge(entity, user, instance, values, created=created)
    return save_record(
        entity,
        user,
        instance,
        created=created,
        expected_version=expected_version,
        multilinks=multilinks,
        children=children,
    )


def build_record(
    entity: Entity, user: Any, values: dict[str, Any]
) -> tuple[models.Model, dict[str, list[models.Model]], dict[str, list[models.Model]]]:
    """A new record judged exactly as `create_record` judges it, not yet saved: a bulk import
    judges every row first, then writes them a table at a time (`batch.create_many`)."""
    if not can(user, entity, "add"):
        raise PermissionDenied("Bạn không có quyền tạo bản ghi này. / You may not create this record.")
    instance = registry.model_for(entity)()
    multilinks, children = _judge(entity, user, instance, values, created=True)
    return instance, multilinks, children


def create_record(entity: Entity, user: Any, values: dict[str, Any]) -> models.Model:
    if not can(user, entity, "add"):
        raise PermissionDenied("Bạn không có quyền tạo bản ghi này. / You may not create this record.")
    model = registry.model_for(entity)
    with transaction.atomic():
        return _write(entity, user, model(), values, created=True, expected_version=None)


def fetch_for(entity: Entity, user: Any, pk: Any, action: str) -> models.Model:
    """Lock and return a row the user may act on; an invisible row is 'not found'."""
    if not str(pk).isdigit():
        raise NotFound("Không tìm thấy bản ghi. / Record not found.")
    instance = scoped_queryset(user, entity, action).select_for_update().filter(pk=pk).first()
    if instance is not None:
        return instance
    if action != "view" and scoped_queryset(user, entity, "view").filter(pk=pk).exists():
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này. / You may not do this.")
    raise NotFound("Không tìm thấy bản ghi. / Record not found.")


def update_record(entity: Entity, user: Any, pk: Any, values: dict[str, Any], version: int) -> models.Model:
    with transaction.atomic():
        instance = fetch_for(entity, user, pk, "change")
        if instance.version != version:
            raise StaleVersion(version, instance.version)
        return _write(entity, user, instance, values, created=False, expected_version=version)


def delete_record(entity: Entity, user: Any, pk: Any, version: int) -> None:
    with transaction.atomic():
        instance = fetch_for(entity, user, pk, "delete")
        if instance.version != version:
            raise StaleVersion(version, instance.version)
        data = snapshot(instance)
        instance._history_user = user
        holds.release(entity, user, instance)  # frees the room its booking held
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:  # declared links protect their target
            raise dependents.refusal(exc) from exc
        if entity.realtime:
            transaction.on_commit(partial(_announce, entity, "deleted", data))


def fire_transition(
    entity: Entity, user: Any, pk: Any, name: str, version: int, comment: str = ""
) -> models.Model:
    """Move a record along its workflow, if the user's role and the guards allow it."""
    workflow = entity.workflow
    if workflow is None or name not in {t.name for t in workflow.transitions}:
        raise TransitionRefused(f"Không có bước chuyển «{name}». / No transition “{name}”.")
    transition = workflow.transition(name)
    with transaction.atomic():
        instance = fetch_for(entity, user, pk, f"transition:{name}")
        if instance.version != version:
            raise StaleVersion(version, instance.version)
        if instance.state not in transition.source:
            current = workflow.state(instance.state)
            raise TransitionRefused(
                f"Không thể «{transition.label_vi}» khi đang «{current.label_vi}». / "
                f"Cannot “{transition.label_en}” from “{current.label_en}”."
            )
        if transition.needs_comment and not comment.strip():
            raise InvalidInput([FieldProblem("comment", "REQUIRED", REQUIRED)])
        for guard in transition.guards:
            refusal = guard(instance, user)
            if refusal:
                raise TransitionRefused(refusal)
        payload = {"comment": comment, "from": instance.state}
        instance.state = transition.target
        for hook in transition.hooks:
            hook(instance, user, transition, payload)
        if entity.numbering_on == transition.name and not instance.number:  # dated as it fires
            instance.number = next_number(entity.label, entity.numbering, instance)
        assign_counters(entity, instance, transition.name)
        reason = f"{transition.name}: {comment}".strip(": ") if comment else transition.name
        return save_record(
            entity, user, instance, created=False, expected_version=version, reason=reason, by_transition=True
        )


def link_choices(user: Any, entity: Entity, field: str, term: str = "") -> models.QuerySet:
    """What a picker for `entity.field` offers `user` (see `choices`): the write path's own rule."""
    from .choices import link_choices as choices_for

    return choices_for(user, entity, field, term)
