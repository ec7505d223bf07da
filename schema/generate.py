"""Generate the GraphQL API of one declared entity.

For entity `SampleProject` (plural "Sample projects") this yields:
- types `SampleProject`, its child-row types, `SampleProjectFilter`, `SampleProjectOrder`;
- queries `sampleProject(id)`, `sampleProjects(filters, ordering, pagination)` (offset,
  with totalCount) and `sampleProjectsConnection(...)` (relay cursors);
- mutations `createSampleProject`, `updateSampleProject`, `deleteSampleProject`, and
  one per workflow transition, e.g. `sampleProjectSubmit`;
- the subscription `sampleProjectChanged(id)`.

Every row reaches the client through `access.scoped_queryset` (the type's
`get_queryset`, also used by the optimizer's prefetches), and every write
through `modules.engine.services`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, is_dataclass
from typing import Any, Optional

import strawberry
import strawberry_django
from django.db.models import Q
from django.utils import timezone
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry_django.fields.filter_types import BaseFilterLookup
from strawberry_django.optimizer import optimize
from strawberry_django.pagination import OffsetPaginated
from strawberry_django.relay import ListConnectionWithTotalCount
from strawberry_django.resolvers import django_resolver

from modules.engine import access, idempotency, registry, services
from modules.engine.definitions import Entity, Field
from modules.engine.errors import EngineError
from modules.engine.factory import child_model_name, pascal
from modules.engine.search import matches as search_rule
from realtime.bus import RECORD_EVENT, group_for
from realtime.feeds import Feed, feed_resolver
from realtime.visibility import LiveRule

from . import custom, generated
from .common import EXTERNAL_TYPES, DeletePayload, FieldError, StoredFile, field_errors
from .context import BadUserInput, require_user, user_of
from .describe import describe, input_descriptions, required_inputs
from .enums import choice_enum, column_enum, enum_for, plain, record_action_enum, state_enum
from .fields import ScopedField
from .idempotency import KeyArgument, key_for
from .inputs import check_list_arguments, resolve_list
from .naming import camel, deprecation, legacy_plural_name, plural_name, single_name  # noqa: F401

INPUT_TYPES: dict[str, Any] = {
    "text": str,
    "longtext": str,
    "choice": str,
    "integer": int,
    "decimal": decimal.Decimal,
    "money": decimal.Decimal,
    "percent": decimal.Decimal,
    "boolean": bool,
    "date": dt.date,
    "datetime": dt.datetime,
    "link": strawberry.ID,
    "multilink": list[strawberry.ID],
    "file": Upload,
    "json": JSON,
}
FILTERABLE_KINDS = (
    "text",
    "longtext",
    "choice",
    "integer",
    "decimal",
    "money",
    "percent",
    "boolean",
    "date",
    "datetime",
    "link",
)
ORDERABLE_KINDS = ("text", "choice", "integer", "decimal", "money", "percent", "boolean", "date", "datetime")


def _publish(cls: type) -> type:
    """Put a generated class into `schema.generated` so string annotations resolve."""
    setattr(generated, cls.__name__, cls)
    return cls


def _link_type_name(target: str) -> str:
    if target in EXTERNAL_TYPES:
        return EXTERNAL_TYPES[target].__name__
    return registry.entity_by_label(target).name


@dataclass
class EntityApi:
    entity: Entity
    type: type | None  # None when the entity has no generated API (`Entity.graphql`)
    query_fields: dict[str, Any] = field(default_factory=dict)
    mutation_fields: dict[str, Any] = field(default_factory=dict)
    subscription_fields: dict[str, Any] = field(default_factory=dict)
    fragments: dict[str, type] = field(default_factory=dict)  # its part of each root (schema/schema.py)


# --- output types ---------------------------------------------------------------


def _child_type(entity: Entity, spec: Field) -> type:
    model = registry.classes_for(entity)[child_model_name(entity, spec)]
    name = child_model_name(entity, spec)
    annotations: dict[str, Any] = {"id": strawberry.ID, "position": int}
    described: dict[str, Any] = {}
    for column in spec.columns:
        described[column.name] = strawberry_django.field(field_cls=ScopedField, description=describe(column))
        if column.kind == "link":
            annotations[column.name] = f"Optional[{_link_type_name(column.target)}]"
        elif column.kind == "file":
            annotations[column.name] = Optional[StoredFile]
        elif (choices := column_enum(entity, column, spec)) is not None:
            annotations[column.name] = choices if column.required else Optional[choices]
            described[column.name].blank_is_null = not column.required  # an empty choice is stored as ""
        else:
            annotations[column.name] = strawberry.auto
    cls = type(name, (), {"__module__": generated.__name__, "__annotations__": annotations, **described})
    return _publish(
        strawberry_django.type(
            model, name=name, field_cls=ScopedField, description=f"{spec.label_vi} / {spec.label_en}"
        )(cls)
    )


def _standard_columns(entity: Entity) -> dict[str, Any]:
    """The engine's own columns every filter and ordering offers (id, number, stamps, state)."""
    annotations: dict[str, Any] = {
        "id": strawberry.auto,
        "number": strawberry.auto,
        "created_at": strawberry.auto,
        "updated_at": strawberry.auto,
    }
    if entity.workflow:
        annotations["state"] = strawberry.auto
    return annotations


def _filter_type(entity: Entity) -> type:
    model = registry.model_for(entity)
    annotations = _standard_columns(entity)
    if entity.unit_scoped:
        annotations["owner_unit"] = strawberry.auto
    if entity.shareable:
        annotations["is_shared"] = strawberry.auto
    for spec in entity.fields:
        if spec.kind in FILTERABLE_KINDS:
            annotations[spec.name] = strawberry.auto
    for name in list(annotations):
        choices = enum_for(entity, name)
        if choices is not None:  # exact / inList / isNull on the enum's values
            annotations[name] = Optional[BaseFilterLookup[choices]]  # type: ignore[valid-type]
    attrs: dict[str, Any] = {"__module__": generated.__name__, "__annotations__": annotations}
    search_fields = entity.search_fields or tuple(f.name for f in entity.fields if f.searchable)
    if search_fields:
        attrs["search"] = _search_filter(("number", *search_fields))
    custom.add_filter(entity, attrs)
    name = f"{entity.name}Filter"
    cls = type(name, (), attrs)
    return _publish(strawberry_django.filter_type(model, name=name, lookups=True)(cls))


def _search_filter(columns: tuple[str, ...]) -> Any:
    def search(self, value: str, prefix: str) -> Q:
        """Every word, diacritics ignored both ways, in the row's folded `search_text` (engine/search.py)."""
        return search_rule(value, prefix)

    return strawberry_django.filter_field(
        description="Tìm trong các trường chính / Free-text search over the main fields"
    )(search)


def _order_type(entity: Entity) -> type:
    model = registry.model_for(entity)
    annotations = _standard_columns(entity)
    for spec in entity.fields:
        if spec.kind in ORDERABLE_KINDS:
            annotations[spec.name] = strawberry.auto
    attrs: dict[str, Any] = {"__module__": generated.__name__, "__annotations__": annotations}
    custom.add_order(entity, attrs)  # administrator-added fields, at run time only (schema/custom.py)
    name = f"{entity.name}Order"
    cls = type(name, (), attrs)
    return _publish(strawberry_django.order_type(model, name=name)(cls))


def _entity_type(entity: Entity) -> type:
    model = registry.model_for(entity)
    annotations: dict[str, Any] = {
        "id": strawberry.ID,
        "number": str,
        "version": int,
        "created_at": dt.datetime,
        "updated_at": dt.datetime,
        "created_by": "Optional[UserAccount]",
        "updated_by": "Optional[UserAccount]",
    }
    attrs: dict[str, Any] = {"__module__": generated.__name__}
    if entity.unit_scoped:
        annotations["owner_unit"] = f"Optional[{_link_type_name('org.Unit')}]"
    if entity.shareable:
        annotations["is_shared"] = bool
    if entity.workflow:
        annotations["state"] = state_enum(entity.label)
        attrs["state"] = strawberry_django.field(
            field_cls=ScopedField, description="Trạng thái / Workflow state"
        )
    for spec in entity.fields:
        attrs[spec.name] = strawberry_django.field(field_cls=ScopedField, description=describe(spec))
        if spec.kind == "choice":
            choices = choice_enum(entity.label, spec.name)
            annotations[spec.name] = choices if spec.required else Optional[choices]
            attrs[spec.name].blank_is_null = not spec.required  # an empty choice is stored as ""
        elif spec.kind == "link":
            annotations[spec.name] = f"Optional[{_link_type_name(spec.target)}]"
        elif spec.kind == "multilink":
            annotations[spec.name] = f"List[{_link_type_name(spec.target)}]"
        elif spec.kind == "children":
            annotations[spec.name] = f"List[{_child_type(entity, spec).__name__}]"
        elif spec.kind == "file":
            annotations[spec.name] = Optional[StoredFile]
        elif (codes := column_enum(entity, spec)) is not None:  # a text column holding declared codes
            annotations[spec.name] = codes if spec.required else Optional[codes]
            attrs[spec.name].blank_is_null = not spec.required
        else:
            annotations[spec.name] = strawberry.auto
    if entity.deadline:
        attrs["is_overdue"] = _overdue_field(entity)
    if entity.hooks.graphql_fields:
        attrs.update(entity.hooks.graphql_fields())
    custom.add_output(entity, attrs)  # administrator-added fields, at run time only (schema/custom.py)
    attrs["__annotations__"] = annotations

    def get_queryset(cls, queryset, info: Info, **kwargs):
        return access.scoped_queryset(user_of(info), entity, "view", queryset)

    attrs["get_queryset"] = classmethod(get_queryset)
    cls = type(entity.name, (), attrs)
    return _publish(
        strawberry_django.type(
            model,
            name=entity.name,
            description=f"{entity.label_vi} / {entity.label_en}",
            filters=_filter_type(entity),
            ordering=_order_type(entity),
            pagination=True,
            field_cls=ScopedField,
        )(cls)
    )


def _overdue_field(entity: Entity) -> Any:
    deadline = entity.deadline
    assert deadline is not None
    only = [deadline.field, *(["state"] if entity.workflow else [])]

    def is_overdue(root) -> bool:
        due = getattr(root, deadline.field)
        if due is None or getattr(root, "state", None) in deadline.done_states:
            return False
        today = timezone.localdate()
        return (due.date() if isinstance(due, dt.datetime) else due) < today

    return strawberry_django.field(
        resolver=is_overdue, only=only, description="Đã quá hạn / Past its deadline"
    )


# --- queries -----------------------------------------------------------------------


def _fetch_one(entity: Entity, info: Info, pk: Any) -> Any:
    """One visible row, loaded with the optimizer (so nested links stay scoped)."""
    queryset = access.scoped_queryset(require_user(info), entity, "view").filter(pk=pk)
    return optimize(queryset, info).first()


def _query_fields(entity: Entity, gql_type: type) -> dict[str, Any]:
    """`task`, `tasks`, `tasksConnection` (schema/naming.py), plus the pre-v0.2.0 list names
    as deprecated aliases of the same fields."""
    plural, legacy = plural_name(entity), legacy_plural_name(entity)
    fields = _list_fields(entity, gql_type, plural, None)
    if legacy != plural:
        fields.update(_list_fields(entity, gql_type, legacy, deprecation(plural)))
    return fields


def _list_fields(entity: Entity, gql_type: type, plural: str, deprecated: str | None) -> dict[str, Any]:
    def resolve_one(info: Info, id: strawberry.ID) -> Any:
        try:
            return _fetch_one(entity, info, id)
        except (ValueError, TypeError) as error:  # not an id at all: the caller's mistake, typed
            raise BadUserInput("id", "Mã định danh không hợp lệ. / Malformed id.") from error

    resolve_one.__annotations__["return"] = Optional[gql_type]
    single = strawberry_django.field(
        resolver=django_resolver(resolve_one),
        description=f"Một {entity.label_vi} theo id (null nếu không có hoặc không được xem) / "
        f"One {entity.label_en} by id (null if absent or not visible)",
    )

    listing = strawberry_django.offset_paginated(
        OffsetPaginated[gql_type],
        description=f"Danh sách {entity.label_vi} / List of {entity.label_en}",
        extensions=[_AuthExtension()],
        deprecation_reason=deprecated and deprecation(plural_name(entity)),
    )

    def all_rows(info: Info) -> Iterable[gql_type]:  # type: ignore[valid-type]
        return registry.model_for(entity)._default_manager.all()  # scoped by get_queryset

    all_rows.__annotations__["return"] = Iterable[gql_type]
    connection = strawberry_django.connection(
        ListConnectionWithTotalCount[gql_type],
        resolver=all_rows,
        description=f"Danh sách {entity.label_vi} (phân trang con trỏ) / {entity.label_en} (cursor pages)",
        extensions=[_AuthExtension()],
        deprecation_reason=deprecated and deprecation(f"{plural_name(entity)}Connection"),
    )
    connection.extensions.append(_CheckedCursors())  # outside the connection's own extension
    if deprecated:
        return {plural: listing, f"{plural}Connection": connection}
    return {single_name(entity): single, plural: listing, f"{plural}Connection": connection}


class _AuthExtension(strawberry.extensions.FieldExtension):
    """Refuse anonymous callers with a typed error instead of an empty list."""

    def resolve(self, next_, source, info, **kwargs):
        require_user(info)
        return resolve_list(next_, source, info, kwargs)  # bad arguments: BAD_USER_INPUT (schema/inputs.py)

    async def resolve_async(self, next_, source, info, **kwargs):
        require_user(info)
        check_list_arguments(kwargs)
        return await next_(source, info, **kwargs)


class _CheckedCursors(strawberry.extensions.FieldExtension):
    """A connection's `first`/`last`/`after`/`before`, checked before the connection reads
    them: a malformed cursor or a negative count is BAD_USER_INPUT (schema/inputs.py)."""

    def resolve(self, next_, source, info, **kwargs):
        check_list_arguments(kwargs)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_, source, info, **kwargs):
        check_list_arguments(kwargs)
        return await next_(source, info, **kwargs)


# --- inputs and mutations ----------------------------------------------------------


def _input_class(
    name: str, annotations: dict[str, Any], description: str, helps: dict[str, str] | None = None
) -> type:
    """An input type; `helps` gives each field's description (its declared label and help)."""
    helps = helps or {}
    attrs = {
        name_: strawberry.field(default=strawberry.UNSET, description=helps.get(name_))
        for name_ in annotations
    }
    cls = type(name, (), {"__module__": generated.__name__, "__annotations__": annotations, **attrs})
    return _publish(strawberry.input(cls, name=name, description=description))


def _value_annotations(entity: Entity) -> dict[str, Any]:
    annotations: dict[str, Any] = {}
    if entity.unit_scoped:
        annotations["owner_unit"] = Optional[strawberry.ID]
    if entity.shareable and not entity.shared_in_states:
        annotations["is_shared"] = Optional[bool]
    for spec in entity.fields:
        if spec.computed:
            continue
        if spec.kind == "children":
            child_annotations = {
                c.name: Optional[column_enum(entity, c, spec) or INPUT_TYPES[c.kind]] for c in spec.columns
            }
            child_input = _input_class(
                f"{child_model_name(entity, spec)}Input",
                child_annotations,
                f"{spec.label_vi} / {spec.label_en}",
                {c.name: describe(c) for c in spec.columns},
            )
            annotations[spec.name] = Optional[list[child_input]]
        else:
            annotations[spec.name] = Optional[column_enum(entity, spec) or INPUT_TYPES[spec.kind]]
    annotations.update(custom.input_annotations(entity))
    return annotations


def input_to_dict(value: Any) -> dict[str, Any]:
    """Provided fields only (UNSET = not sent), child rows as dicts."""
    data: dict[str, Any] = {}
    for name in value.__annotations__:
        item = getattr(value, name, strawberry.UNSET)
        if item is strawberry.UNSET:
            continue
        if isinstance(item, list) and item and hasattr(item[0], "__annotations__"):
            item = [input_to_dict(row) for row in item]
        elif is_dataclass(item) and not isinstance(item, type):  # a nested input (`custom`)
            item = input_to_dict(item)
        data[name] = plain(item)  # enum members: the stored code
    return data


def _payload_type(entity: Entity, gql_type: type) -> type:
    name = f"{entity.name}Payload"

    def node(self, info: Info) -> gql_type | None:  # type: ignore[valid-type]
        if self.record_id is None:
            return None
        return _fetch_one(entity, info, self.record_id)

    node.__annotations__["return"] = Optional[gql_type]
    attrs = {
        "__module__": generated.__name__,
        "__annotations__": {"ok": bool, "errors": list[FieldError], "record_id": strawberry.Private[Any]},
        "node": strawberry.field(
            resolver=django_resolver(node), description="Bản ghi sau khi ghi / The record as saved"
        ),
    }
    cls = type(name, (), attrs)
    return _publish(
        strawberry.type(cls, name=name, description=f"Kết quả ghi {entity.label_vi} / Result of a write")
    )


def _mutation_fields(entity: Entity, payload: type) -> dict[str, Any]:
    values = _value_annotations(entity)
    helps = input_descriptions(entity)
    create_input = _input_class(
        f"{entity.name}CreateInput",
        required_inputs(entity, values),
        f"Tạo {entity.label_vi} / Create a {entity.label_en}",
        helps,
    )
    update_input = _input_class(
        f"{entity.name}UpdateInput",
        {"id": strawberry.ID, "version": int, **values},
        f"Sửa {entity.label_vi}: gửi kèm version đã đọc / "
        f"Update a {entity.label_en}: send the version you read",
        helps,
    )

    def run(write) -> Any:
        try:
            record = write()
        except EngineError as error:
            return payload(ok=False, errors=field_errors(error), record_id=None)
        return payload(ok=True, errors=[], record_id=record.pk)

    def create(info: Info, input: Any, idempotency_key: str | None = None) -> Any:
        user = require_user(info)
        data = input_to_dict(input)
        return run(
            lambda: idempotency.run_once(
                user,
                key_for(info, idempotency_key),
                f"create{entity.name}",
                data,
                lambda: services.create_record(entity, user, data),
            )
        )

    def update(info: Info, input: Any) -> Any:
        user = require_user(info)
        data = input_to_dict(input)
        pk, version = data.pop("id"), data.pop("version")
        return run(lambda: services.update_record(entity, user, pk, data, version))

    def delete(info: Info, id: strawberry.ID, version: int) -> DeletePayload:
        user = require_user(info)
        try:
            services.delete_record(entity, user, id, version)
        except EngineError as error:
            return DeletePayload(ok=False, id=None, errors=field_errors(error))
        return DeletePayload(ok=True, id=id, errors=[])

    create.__annotations__ = {
        "info": Info,
        "input": create_input,
        "idempotency_key": KeyArgument,
        "return": payload,
    }
    update.__annotations__ = {"info": Info, "input": update_input, "return": payload}
    fields: dict[str, Any] = (
        {}
        if not values
        else {  # a record only the system writes: no input
            f"create{entity.name}": strawberry.mutation(
                resolver=django_resolver(create),
                description=f"Tạo {entity.label_vi} / Create {entity.label_en}",
            ),
            f"update{entity.name}": strawberry.mutation(
                resolver=django_resolver(update),
                description=f"Sửa {entity.label_vi} / Update {entity.label_en}",
            ),
            f"delete{entity.name}": strawberry.mutation(
                resolver=django_resolver(delete),
                description=f"Xoá {entity.label_vi} / Delete {entity.label_en}",
            ),
        }
    )
    for transition in entity.workflow.transitions if entity.workflow else ():
        fields[f"{single_name(entity)}{pascal(transition.name)}"] = strawberry.mutation(
            resolver=django_resolver(_transition_resolver(entity, transition.name, payload, run)),
            description=f"{transition.label_vi} / {transition.label_en}",
        )
    if entity.hooks.graphql_mutations:
        fields.update(entity.hooks.graphql_mutations())
    return fields


def _transition_resolver(entity: Entity, name: str, payload: type, run) -> Any:
    def fire(info: Info, id: strawberry.ID, version: int, comment: str = "") -> Any:
        user = require_user(info)
        return run(lambda: services.fire_transition(entity, user, id, name, version, comment))

    fire.__annotations__ = {
        "info": Info,
        "id": strawberry.ID,
        "version": int,
        "comment": str,
        "return": payload,
    }
    return fire


# --- subscriptions -----------------------------------------------------------------


def _event_type(entity: Entity, gql_type: type) -> type:
    name = f"{entity.name}Event"

    def node(self, info: Info) -> gql_type | None:  # type: ignore[valid-type]
        if self.action == "deleted":
            return None
        return _fetch_one(entity, info, self.id)

    node.__annotations__["return"] = Optional[gql_type]
    attrs = {
        "__module__": generated.__name__,
        "__annotations__": {"action": record_action_enum(), "id": strawberry.ID, "version": Optional[int]},
        "node": strawberry.field(
            resolver=django_resolver(node),
            description="Bản ghi hiện tại (null khi đã xoá) / Current record (null if deleted)",
        ),
    }
    cls = type(name, (), attrs)
    return _publish(strawberry.type(cls, name=name, description=f"Thay đổi {entity.label_vi} / A change"))


def _subscription_fields(entity: Entity, event: type) -> dict[str, Any]:
    def to_event(message: dict[str, Any]) -> Any:
        return event(action=message["action"], id=message["id"], version=message.get("version"))

    async def changed(info: Info, id: strawberry.ID | None = None) -> Feed:
        """Every event is judged against the row's committed values with the user's rule,
        rebuilt whenever rights change while the socket is open (see realtime/visibility.py)."""
        user = require_user(info)
        rule = LiveRule(user, entity)
        await rule.refresh()

        def accepts(message: dict[str, Any]) -> bool:
            return (
                message.get("type") == RECORD_EVENT
                and message.get("entity") == entity.label
                and (id is None or str(message["id"]) == str(id))
            )

        return Feed(group=group_for(entity.label), accepts=accepts, to_event=to_event, rule=rule)

    changed.__annotations__ = {"info": Info, "id": Optional[strawberry.ID], "return": Feed}
    return {
        f"{single_name(entity)}Changed": strawberry.subscription(
            resolver=feed_resolver(changed, event),
            description=f"Thay đổi {entity.label_vi} (chỉ các bản ghi được xem) / "
            f"Changes to {entity.label_en} you may see",
        )
    }


def build_entity_api(entity: Entity) -> EntityApi:
    if not entity.graphql:  # the module serves this entity itself (e.g. audited reads)
        api = EntityApi(entity=entity, type=None)
        for target, hook in (
            (api.query_fields, entity.hooks.graphql_queries),
            (api.mutation_fields, entity.hooks.graphql_mutations),
            (api.subscription_fields, entity.hooks.graphql_subscriptions),
        ):
            if hook:
                target.update(hook())
        return api
    gql_type = _entity_type(entity)
    api = EntityApi(entity=entity, type=gql_type)
    api.query_fields = _query_fields(entity, gql_type)
    api.mutation_fields = _mutation_fields(entity, _payload_type(entity, gql_type))
    if entity.realtime:
        api.subscription_fields = _subscription_fields(entity, _event_type(entity, gql_type))
    if entity.hooks.graphql_queries:
        api.query_fields.update(entity.hooks.graphql_queries())
    if entity.hooks.graphql_subscriptions:
        api.subscription_fields.update(entity.hooks.graphql_subscriptions())
    return api


assert sys.modules[generated.__name__] is generated
