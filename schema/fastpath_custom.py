"""Custom fields (issue 15) on the fast path: `custom { code … }` read from the row's JSON column.

The stock path answers `custom` with a resolver per field (schema/custom.py): the value of
the row's `custom` JSON, typed by its definition (`custom._output_value`), then the GraphQL
scalar's serializer. The plan here does the same, from the `custom` column already in the
row's `values_list` (no extra query), and checks once per execution that the caller may see
every selected field: if one is hidden, the whole execution falls back, so the stock path
gives its PERMISSION_DENIED error (`extensions.field`) exactly as before.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast
from graphql import GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLScalarType, GraphQLString

from modules.engine import custom_values

from . import custom

# The `custom` column read as its JSON text: decoded here with orjson, instead of by the
# JSONField's converter with the standard library (a third of the custom fields' extra cost).
STORED_TEXT = Cast("custom", output_field=TextField())


def decode(text: str | None) -> Any:
    """The stored JSON text as the JSONField's converter gives it: None stays None, and text
    that is not JSON stays text (`JSONField.from_db_value`).

    orjson reads what the write path stores (an object of strings, integers, booleans and
    nulls) the same as the standard library; anything else (a float, which may be an
    integer over 64 bits that orjson reads as a float, a list, an object) is read again the
    standard library's way, so every stored shape gives the stock path's value."""
    if text is None:
        return None
    try:
        stored = orjson.loads(text)
    except orjson.JSONDecodeError:
        stored = None
    if type(stored) is dict and all(type(value) in _PLAIN for value in stored.values()):
        return stored
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


_PLAIN = frozenset({str, int, bool, type(None)})


@dataclass(frozen=True)
class CustomSelection:
    """What `custom { … }` selects: (response key, definition or None for __typename, serializer)."""

    type_name: str
    items: tuple[tuple[str, Any, Any], ...]

    def hidden_from(self, user: Any) -> bool:
        """Once per execution: roles as they are now, as the stock readers read them
        (`custom._fresh`), from one read of the definitions for the whole selection."""
        selected = [defn for _, defn, _ in self.items if defn is not None]
        if not selected:
            return False
        now = {d.code: d for d in custom_values.all_definitions(selected[0].entity)}
        return any(not custom_values.may_see(now.get(d.code, d), user) for d in selected)

    def render(self, stored_text: str | None) -> dict[str, Any]:
        """One row's `custom { … }` from its stored text; each value through its field's
        converter (`_converter`)."""
        stored = decode(stored_text)
        get = stored.get if isinstance(stored, dict) else _nothing
        type_name = self.type_name
        return {
            key: type_name if code is None else convert(get(code)) for key, code, convert in self.plan
        }

    @cached_property
    def plan(self) -> tuple[tuple[str, str | None, Any], ...]:
        """(response key, code or None for __typename, converter), built once per document."""
        return tuple(
            (key, None, None) if defn is None else (key, defn.code, _converter(defn, serialize))
            for key, defn, serialize in self.items
        )


def _nothing(code: str) -> None:
    return None


INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # GraphQL's Int
# A decimal the write path stored as text that `str(Decimal(text))` gives back unchanged: no
# leading zeros, and at most six decimals (a smaller adjusted exponent prints as 1E-7).
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]{1,6})?")
_A_DATE = dt.date(2000, 1, 1)


def _converter(defn: Any, serialize: Any) -> Any:
    """A stored JSON value to its response value, the same as the stock resolver's
    `custom._output_value` then the scalar's serializer, with the common stored shapes
    answered directly (the JSON types the write path stores: text as str, integers and
    money and links as int, yes/no as bool) and anything else the stock way."""

    def stock(value: Any) -> Any:
        typed = custom._output_value(defn, value)
        return None if typed is None else serialize(typed)

    kind = defn.type
    if kind in ("text", "longtext", "choice") and serialize is GraphQLString.serialize:

        def as_text(value: Any) -> Any:
            return value if type(value) is str and value else stock(value)

        return as_text
    if kind in ("link", "person") and serialize is GraphQLID.serialize:

        def as_id(value: Any) -> Any:
            return str(value) if type(value) is int else stock(value)

        return as_id
    if kind == "integer" and serialize is GraphQLInt.serialize:

        def as_int(value: Any) -> Any:
            return value if type(value) is int and INT_MIN <= value <= INT_MAX else stock(value)

        return as_int
    if kind == "money" and serialize is str:

        def as_amount(value: Any) -> Any:
            return str(value) if type(value) is int else stock(value)  # str(Decimal(str(n))) is str(n)

        return as_amount
    if kind == "decimal" and serialize is str:

        def as_decimal(value: Any) -> Any:
            if type(value) is str and _PLAIN_DECIMAL.fullmatch(value):
                return value  # str(Decimal(s)) is s for these: no exponent form, no leading zeros
            return str(value) if type(value) is int else stock(value)

        return as_decimal
    if kind == "date" and type(serialize(_A_DATE)) is str:

        def as_date(value: Any) -> Any:
            if type(value) is str:
                try:
                    return serialize(dt.date.fromisoformat(value))
                except ValueError:
                    return None  # as the stock reader: an unreadable stored date reads as none
            return stock(value)

        return as_date
    if kind == "boolean" and serialize is GraphQLBoolean.serialize:

        def as_bool(value: Any) -> Any:
            return value if type(value) is bool else stock(value)

        return as_bool
    return stock


def compile_selection(
    entity: Any, gql_type: Any, fields: dict[str, Any], selected: list[tuple[str, str]]
) -> CustomSelection | None:
    """The plan of `custom { … }`, or None when a selected field is not a known custom field.

    `fields`: GraphQL name -> strawberry field of the `<Entity>Custom` type; `selected`:
    (response key, GraphQL field name) in response order."""
    by_code = {d.code: d for d in custom_values.definitions(entity.label)}
    items: list[tuple[str, Any, Any]] = []
    for key, name in selected:
        if name == "__typename":
            items.append((key, None, None))
            continue
        sfield, gql_field = fields.get(name), gql_type.fields.get(name)
        defn = by_code.get(sfield.python_name) if sfield is not None else None
        if defn is None or gql_field is None or isinstance(gql_field.type, GraphQLNonNull):
            return None
        if not isinstance(gql_field.type, GraphQLScalarType) or gql_field.args:
            return None
        items.append((key, defn, gql_field.type.serialize))
    return CustomSelection(type_name=gql_type.name, items=tuple(items))
