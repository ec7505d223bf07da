"""Custom fields in the GraphQL API: `custom { <field> }` on an entity's type, `custom` in its
create and update inputs, and `custom` in its filter (exact match on flagged fields).

The committed SDL is of the declared schema: these parts are added only while
`schema/runtime.py` builds the schema of the definitions now in the database
(`building(...)`), so `update_schema --check` never sees them. A field the caller may not
see answers PERMISSION_DENIED with `extensions.field` = `custom.<code>`, in output and filter.
Any query selecting `custom` leaves the fast path (its resolvers are computed fields).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

import strawberry
import strawberry_django
from django.db.models import Q
from strawberry.types import Info
from strawberry_django.resolvers import django_resolver

from modules.engine import custom_values
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
    except (ValueError, decimal.InvalidOperation):
        return None
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


def add_filter(entity: Entity, attrs: dict[str, Any]) -> None:
    """`custom: <Entity>CustomFilter` (exact match) over the fields flagged for filters."""
    defs = tuple(d for d in _defs(entity) if d.in_filter)
    if not defs:
        return
    name = f"{entity.name}CustomFilter"
    cls_attrs: dict[str, Any] = {"__module__": generated.__name__, "__annotations__": {}}
    for defn in defs:
        cls_attrs["__annotations__"][defn.code] = Optional[SCALARS[defn.type]]
        cls_attrs[defn.code] = strawberry.field(default=strawberry.UNSET, description=_describe(defn))
    given_type = strawberry.input(type(name, (), cls_attrs), name=name, description="Lọc trường bổ sung")
    setattr(generated, name, given_type)
    by_code = {d.code: d for d in defs}

    def custom(self, info: Info, value: Any, prefix: str) -> Q:
        user = user_of(info)
        rule = Q()
        for code, defn in by_code.items():
            given = getattr(value, code, strawberry.UNSET)
            if given is strawberry.UNSET:
                continue
            if not custom_values.may_see(_fresh(defn), user):
                raise _denied(defn)
            if given is None:
                rule &= Q(**{f"{prefix}custom__{code}__isnull": True}) | Q(
                    **{f"{prefix}custom__{code}": None}
                )
                continue
            try:
                stored = custom_values.normalise(defn, given)
            except custom_values.Bad as bad:
                raise InvalidInput([FieldProblem(defn.key, bad.code, bad.message)]) from None
            rule &= Q(**{f"{prefix}custom__{code}": stored})
        return rule

    custom.__annotations__["value"] = given_type
    attrs["custom"] = strawberry_django.filter_field(
        description="Lọc theo trường bổ sung / By custom fields"
    )(custom)
