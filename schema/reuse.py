"""Build a strawberry schema that reuses the GraphQL types already converted for another.

A custom-field change gives new classes to a few entities (schema/runtime.py); every other
class is the very object of the schema served before, and strawberry would convert it to a
graphql-core type all over again (the larger part of a rebuild: `Schema()` converts ~400
types). Here the converter starts from the previous schema's converted types; a type whose
name now belongs to a new class is dropped from that start and converted afresh.

Safe because the reused classes only name reused classes (schema/runtime.py rebuilds every
entity whose types point at a rebuilt one); if one still pointed at a replaced type,
graphql-core or strawberry refuses two types of one name, and the caller builds from
scratch. The seed is set only while the caller holds schema/runtime.py's lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import strawberry.schema.schema as strawberry_schema
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition

ROOTS = frozenset({"Query", "Mutation", "Subscription"})  # rebuilt every time


class SeededConverter(GraphQLCoreConverter):
    """strawberry's converter, starting from another schema's converted types."""

    seed: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type_map.update(self.seed)
        self._seeded = set(self.seed)

    def _fresh(self, name: str | None, definition: Any) -> None:
        """Forget a seeded type whose name a new class now carries."""
        if name not in self._seeded:
            return
        self._seeded.discard(name)
        if not _same(self.type_map[name].definition, definition):
            del self.type_map[name]

    def from_object(self, object_type: Any) -> Any:
        self._fresh(self.config.name_converter.from_type(object_type), object_type)
        return super().from_object(object_type)

    def from_input_object(self, object_type: Any) -> Any:
        definition = object_type.__strawberry_definition__
        self._fresh(self.config.name_converter.from_type(definition), definition)
        return super().from_input_object(object_type)

    def from_enum(self, enum: Any) -> Any:
        self._fresh(self.config.name_converter.from_type(enum), enum)
        return super().from_enum(enum)

    def from_interface(self, interface: Any) -> Any:
        self._fresh(self.config.name_converter.from_type(interface), interface)
        return super().from_interface(interface)


def _same(seeded: Any, new: Any) -> bool:
    """One class, or one generic specialised with the very same classes.

    Stricter than strawberry's own test, which takes two generated classes of one name and
    module for one type (they are, across a rebuild, two different types)."""
    if seeded is new:
        return True
    if not (isinstance(seeded, StrawberryObjectDefinition) and isinstance(new, StrawberryObjectDefinition)):
        return False
    if seeded.concrete_of is None or seeded.concrete_of is not new.concrete_of:
        return False
    before, now = seeded.type_var_map, new.type_var_map
    return before.keys() == now.keys() and all(before[key] == now[key] for key in before)


@contextmanager
def reusing(previous: Any) -> Iterator[None]:
    """Schemas built inside this block start from `previous`'s converted types."""
    SeededConverter.seed = {
        name: concrete
        for name, concrete in previous.schema_converter.type_map.items()
        if name not in ROOTS
    }
    original: Callable[..., Any] = strawberry_schema.GraphQLCoreConverter
    strawberry_schema.GraphQLCoreConverter = SeededConverter  # type: ignore[misc]
    try:
        yield
    finally:
        strawberry_schema.GraphQLCoreConverter = original  # type: ignore[misc]
        SeededConverter.seed = {}
