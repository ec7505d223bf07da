"""Custom fields (issue 15) on the fast path: `custom { code … }` read from the row's JSON column.

The stock path answers `custom` with a resolver per field (schema/custom.py): the value of
the row's `custom` JSON, typed by its definition (`custom._output_value`), then the GraphQL
scalar's serializer. The plan here does the same, from the `custom` column already in the
row's `values_list` (no extra query), and checks once per execution that the caller may see
every selected field: if one is hidden, the whole execution falls back, so the stock path
gives its PERMISSION_DENIED error (`extensions.field`) exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLNonNull, GraphQLScalarType

from modules.engine import custom_values

from . import custom


@dataclass(frozen=True)
class CustomSelection:
    """What `custom { … }` selects: (response key, definition or None for __typename, serializer)."""

    type_name: str
    items: tuple[tuple[str, Any, Any], ...]

    def hidden_from(self, user: Any) -> bool:
        """Once per execution: roles are read as the stock readers read them (`_fresh`)."""
        return any(
            defn is not None and not custom_values.may_see(custom._fresh(defn), user)
            for _, defn, _ in self.items
        )

    def render(self, stored: Any) -> dict[str, Any]:
        values = stored if isinstance(stored, dict) else {}
        out: dict[str, Any] = {}
        for key, defn, serialize in self.items:
            if defn is None:
                out[key] = self.type_name
                continue
            value = custom._output_value(defn, values.get(defn.code))
            out[key] = None if value is None else serialize(value)
        return out


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
