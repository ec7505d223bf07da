"""Custom fields in the GraphQL API: `custom { <field> }` on an entity's type, `custom` in its
create and update inputs, `custom` in its filter (the lookups of each flagged field's type)
and in its ordering.

The committed SDL is of the declared schema: these parts are added only while
`schema/runtime.py` builds the schema of the definitions now in the database
(`building(...)`), so `update_schema --check` never sees them. A field the caller may not
see answers PERMISSION_DENIED with `extensions.field` = `custom.<code>`, in output, filter and
ordering. The fast path answers `custom { … }`, custom filters and custom ordering itself
(schema/fastpath_custom.py), with the same bytes.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

import strawberry
import strawberry_django
from django.db.models import Q, QuerySet
from strawberry.types import Info
from strawberry_django.fields.filter_types import (
    BaseFilterLookup,
    ComparisonFilterLookup,
    DateFilterLookup,
    DatetimeFilterLookup,
    StrFilterLookup,
)
from strawberry_django.filters import process_filters
from strawberry_django.ordering import Ordering
from strawberry_django.resolvers import django_resolver

from modules.engine import custom_query, custom_values
from modules.engine.custom_values import Definition
from modules.engine.definitions import Entity
from modules.engine.errors import FieldProblem, InvalidInput, PermissionDenied

from . import generated
from .context import user_of

HIDDEN = "Bạn không được xem trường này. / You may not see this field."

SCALARS: dict[str, Any] = {
    "text": str,
    "longtext": str,
    "choice": str,  # options are records an administrator edits: their codes, not an enum
    "integer": int,
    "money": decimal.Decimal,  # amounts in đồng exceed GraphQL's 32-bit Int
    "decimal": decimal.Decimal,
    "date": dt.date,
    "datetime": dt.datetime,
    "boolean": bool,
    "link": strawberry.ID,  # the id of the linked record
    "person": strawberry.ID,
}

_building: dict[str, tuple[Definition, ...]] = {}


@contextmanager
def building(definitions: dict[str, tuple[Definition, ...]]) -> Iterator[None]:
    """Add the given custom fields to the types built inside this block."""
    _building.clear()
    _building.update(definitions)
    try:
        yield
    finally:
        _building.clear()


def _defs(entity: Entity) -> tuple[Definition, ...]:
    return _building.get(entity.label, ()) if entity.custom_fields else ()


def _describe(defn: Definition) -> str:
    text = f"{defn.label_vi} / {defn.label_en}"
    if defn.help_vi or defn.help_en:
        text += f". {defn.help_vi} / {defn.help_en or defn.help_vi}"
    return text


def _denied(defn: Definition) -> PermissionDenied:
    return PermissionDenied(HIDDEN, [FieldProblem(defn.key, "PERMISSION_DENIED", HIDDEN)])


def _fresh(defn: Definition) -> Definition:
    """The definition as it is now: roles may change without a new schema."""
    for now in custom_values.all_definitions(defn.entity):
        if now.code == defn.code:
            return now
    return defn


def _output_value(defn: Definition, value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        if defn.type in ("money", "decimal"):
            return decimal.Decimal(str(value))
        if defn.type == "date":
            return dt.date.fromisoformat(value)
        if defn.type == "datetime":
            return dt.datetime.fromisoformat(value)
    except (ValueError, TypeError, decimal.InvalidOperation):
        return None  # a value stored around the write path that its type cannot read
    return value


def _reader(defn: Definition) -> Any:
    def read(root: Any, info: Info) -> Any:
        if not custom_values.may_see(_fresh(defn), user_of(info)):
            raise _denied(defn)
        return _output_value(defn, root.values.get(defn.code))

    read.__annotations__["return"] = Optional[SCALARS[defn.type]]
    # Subscriptions resolve on the event loop: who may see is read (roles, definitions) in a
    # thread there, directly on a request's own thread.
    return strawberry.field(resolver=django_resolver(read), description=_describe(defn))


def add_output(entity: Entity, attrs: dict[str, Any]) -> None:
    """`custom: <Entity>Custom` on the entity's type, one typed field per custom field."""
    defs = _defs(entity)
    if not defs:
        return
    name = f"{entity.name}Custom"
    cls_attrs: dict[str, Any] = {
        "__module__": generated.__name__,
        "__annotations__": {"values": strawberry.Private[dict]},
    }
    for defn in defs:
        cls_attrs[defn.code] = _reader(defn)
    cls = strawberry.type(
        type(name, (), cls_attrs), name=name, description=f"Trường bổ sung / Custom fields: {entity.label_en}"
    )
    setattr(generated, name, cls)

    def custom(root: Any) -> Any:
        stored = getattr(root, "custom", None)
        return cls(values=stored if isinstance(stored, dict) else {})

    custom.__annotations__["return"] = cls
    attrs["custom"] = strawberry_django.field(
        resolver=custom, only=["custom"], description="Trường bổ sung do quản trị thêm / Custom fields"
    )


def input_annotations(entity: Entity) -> dict[str, Any]:
    """`custom: <Entity>CustomInput` in create and update: only the fields sent change."""
    defs = _defs(entity)
    if not defs:
        return {}
    name = f"{entity.name}CustomInput"
    cls_attrs: dict[str, Any] = {"__module__": generated.__name__, "__annotations__": {}}
    for defn in defs:
        cls_attrs["__annotations__"][defn.code] = Optional[SCALARS[defn.type]]
        cls_attrs[defn.code] = strawberry.field(default=strawberry.UNSET, description=_describe(defn))
    cls = strawberry.input(type(name, (), cls_attrs), name=name, description="Trường bổ sung / Custom fields")
    setattr(generated, name, cls)
    return {"custom": Optional[cls]}


# The lookups a declared field of the same type gets (strawberry-django's own input types,
# so `SampleProjectCustomFilter.kinhPhi` reads like `SampleProjectFilter.budget`).
LOOKUPS: dict[str, Any] = {
    "text": StrFilterLookup,
    "longtext": StrFilterLookup,
    "choice": BaseFilterLookup[str],  # option codes: exact / inList / isNull
    "integer": ComparisonFilterLookup[int],
    "money": ComparisonFilterLookup[decimal.Decimal],
    "decimal": ComparisonFilterLookup[decimal.Decimal],
    "date": DateFilterLookup,
    "datetime": DatetimeFilterLookup,
    "boolean": BaseFilterLookup[bool],
    "link": BaseFilterLookup[strawberry.ID],
    "person": BaseFilterLookup[strawberry.ID],
}
ORDERABLE = ("text", "choice", "integer", "decimal", "money", "date", "datetime", "boolean")
BAD_ID = "Mã định danh không hợp lệ. / Malformed id."


def _check_ids(defn: Definition, lookup: Any) -> None:
    """Link filters take record ids: anything else is the caller's typed mistake, not a 500."""
    given = [getattr(lookup, "exact", None), *(getattr(lookup, "in_list", None) or [])]
    for value in given:
        if value not in (None, strawberry.UNSET) and not str(value).isdigit():
            raise InvalidInput([FieldProblem(defn.key, "INVALID", BAD_ID)])


def add_filter(entity: Entity, attrs: dict[str, Any]) -> None:
    """`custom: <Entity>CustomFilter`: per field flagged "in filters", the lookups of its type.

    Values compare by type (`custom_query.typed`: numbers as numbers, dates as dates,
    date-times in UTC), through the same expression as the field's index."""
    defs = tuple(d for d in _defs(entity) if d.in_filter)
    if not defs:
        return
    name = f"{entity.name}CustomFilter"
    cls_attrs: dict[str, Any] = {"__module__": generated.__name__, "__annotations__": {}}
    for defn in defs:
        cls_attrs["__annotations__"][defn.code] = Optional[LOOKUPS[defn.type]]
        cls_attrs[defn.code] = strawberry.field(default=strawberry.UNSET, description=_describe(defn))
    given_type = strawberry.input(type(name, (), cls_attrs), name=name, description="Lọc trường bổ sung")
    setattr(generated, name, given_type)
    by_code = {d.code: d for d in defs}

    def custom(self, info: Info, queryset: QuerySet, value: Any, prefix: str) -> tuple[QuerySet, Q]:
        user = user_of(info)
        rule = Q()
        for code, defn in by_code.items():
            lookup = getattr(value, code, strawberry.UNSET)
            if lookup is strawberry.UNSET or lookup is None:
                continue
            if not custom_values.may_see(_fresh(defn), user):
                raise _denied(defn)
            if defn.type in ("link", "person"):
                _check_ids(defn, lookup)
            alias = f"_custom_{prefix.replace('__', '_')}{code}"
            queryset = queryset.alias(**{alias: custom_query.typed(code, defn.type, prefix)})
            queryset, found = process_filters(lookup, queryset, info, prefix=f"{alias}__")
            rule &= found
        return queryset, rule

    custom.__annotations__["value"] = given_type
    attrs["custom"] = strawberry_django.filter_field(
        description="Lọc theo trường bổ sung / By custom fields"
    )(custom)


def add_order(entity: Entity, attrs: dict[str, Any]) -> None:
    """`custom: <Entity>CustomOrder` in the entity's ordering: ASC / DESC put empty values
    last (the `…_NULLS_FIRST` values put them first), and the row id breaks ties, so pages
    are stable. A field the caller may not see cannot order (PERMISSION_DENIED)."""
    defs = tuple(d for d in _defs(entity) if d.type in ORDERABLE)
    if not defs:
        return
    name = f"{entity.name}CustomOrder"
    cls_attrs: dict[str, Any] = {"__module__": generated.__name__, "__annotations__": {}}
    for defn in defs:
        cls_attrs["__annotations__"][defn.code] = Optional[Ordering]
        cls_attrs[defn.code] = strawberry.field(default=strawberry.UNSET, description=_describe(defn))
    given_type = strawberry.input(type(name, (), cls_attrs), name=name, description="Sắp xếp trường bổ sung")
    setattr(generated, name, given_type)
    by_code = {d.code: d for d in defs}

    def custom(self, info: Info, queryset: QuerySet, value: Any, prefix: str) -> tuple[QuerySet, list[Any]]:
        user = user_of(info)
        args: list[Any] = []
        for code, defn in by_code.items():
            direction = getattr(value, code, strawberry.UNSET)
            if direction is strawberry.UNSET or direction is None:
                continue
            if not custom_values.may_see(_fresh(defn), user):
                raise _denied(defn)
            expression = custom_query.typed(code, defn.type, prefix)
            first = direction.name.endswith("NULLS_FIRST")
            if direction.name.startswith("DESC"):
                args.append(expression.desc(nulls_first=True) if first else expression.desc(nulls_last=True))
            else:
                args.append(expression.asc(nulls_first=True) if first else expression.asc(nulls_last=True))
        if args:
            args.append(f"{prefix}pk")
        return queryset, args

    custom.__annotations__["value"] = given_type
    attrs["custom"] = strawberry_django.order_field(
        description="Sắp xếp theo trường bổ sung / By custom fields"
    )(custom)
