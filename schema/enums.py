"""GraphQL enums for declared choices and workflow states (issue 12, point 12).

Every `choice` field becomes `<Entity><Field>` (`TaskPriority`) and every workflow
`<Entity>State` (`TaskState`). The rule for the values: the GraphQL name is the stored
code in UPPER_CASE (`"near_deadline"` → `NEAR_DEADLINE`; any character outside
`[A-Za-z0-9_]` becomes `_`, and a leading digit gets a `_` in front); the value behind it
is the stored code, so filters, inputs and the database meet on it. Each value's
description is its declared label, "Vietnamese / English".

An optional choice stores "" when empty: the API shows it as null.
"""

from __future__ import annotations

import enum
import re
from functools import cache
from typing import Any

import strawberry

from modules.engine import registry
from modules.engine.definitions import Entity
from modules.engine.factory import pascal


def member_name(code: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", code).upper()
    return f"_{name}" if not name or name[0].isdigit() else name


def _build(name: str, description: str, values: tuple[tuple[str, str, str], ...]) -> type[enum.Enum]:
    members = {
        member_name(code): strawberry.enum_value(code, description=f"{vi} / {en}") for code, vi, en in values
    }
    python_enum = enum.Enum(name, members)  # type: ignore[misc]
    python_enum.__module__ = __name__
    return strawberry.enum(python_enum, name=name, description=description)


@cache
def choice_enum(entity_label: str, field_name: str) -> type[enum.Enum]:
    entity = registry.entity_by_label(entity_label)
    spec = next(f for f in entity.fields if f.name == field_name)
    return _build(f"{entity.name}{pascal(spec.name)}", f"{spec.label_vi} / {spec.label_en}", spec.choices)


@cache
def state_enum(entity_label: str) -> type[enum.Enum]:
    entity = registry.entity_by_label(entity_label)
    assert entity.workflow is not None
    states = tuple((s.code, s.label_vi, s.label_en) for s in entity.workflow.states)
    return _build(f"{entity.name}State", f"Trạng thái {entity.label_vi} / {entity.label_en} state", states)


def enum_for(entity: Entity, name: str) -> type[enum.Enum] | None:
    """The enum of a field or of `state`, None for any other column."""
    if name == "state":
        return state_enum(entity.label) if entity.workflow else None
    spec = next((f for f in entity.fields if f.name == name), None)
    if spec is None or spec.kind != "choice":
        return None
    return choice_enum(entity.label, spec.name)


def plain(value: Any) -> Any:
    """An input value as the engine stores it (enum members become their code)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
