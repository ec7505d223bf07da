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
from typing import Annotated, Any

import strawberry

from modules.engine import registry
from modules.engine.definitions import Entity, Field
from modules.engine.factory import child_model_name, pascal


def member_name(code: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", code).upper()
    return f"_{name}" if not name or name[0].isdigit() else name


def _build(name: str, description: str, values: tuple[tuple[str, str, str], ...]) -> type[enum.Enum]:
    members = {
        member_name(code): strawberry.enum_value(code, description=f"{vi} / {en}") for code, vi, en in values
    }
    python_enum = enum.Enum(name, members)  # type: ignore[misc]
    python_enum.__module__ = __name__
    built = strawberry.enum(python_enum, name=name, description=description)
    globals()[name] = built  # for `lazy_at`: hand-written types name it before it is built
    return built


@cache
def choice_enum(entity_label: str, field_name: str) -> type[enum.Enum]:
    entity = registry.entity_by_label(entity_label)
    spec = next(f for f in entity.fields if f.name == field_name)
    if spec.codes_of:
        return enum_at(spec.codes_of)
    return _build(f"{entity.name}{pascal(spec.name)}", f"{spec.label_vi} / {spec.label_en}", spec.choices)


@cache
def state_enum(entity_label: str) -> type[enum.Enum]:
    entity = registry.entity_by_label(entity_label)
    assert entity.workflow is not None
    states = tuple((s.code, s.label_vi, s.label_en) for s in entity.workflow.states)
    return _build(f"{entity.name}State", f"Trạng thái {entity.label_vi} / {entity.label_en} state", states)


@cache
def child_choice_enum(entity_label: str, children: str, column: str) -> type[enum.Enum]:
    """`<Entity><Children><Column>` (`ProcedureComponentsCopyKind`) for a child table's choice."""
    entity = registry.entity_by_label(entity_label)
    table = next(f for f in entity.fields if f.name == children)
    spec = next(c for c in table.columns if c.name == column)
    if spec.codes_of:
        return enum_at(spec.codes_of)
    name = f"{child_model_name(entity, table)}{pascal(spec.name)}"
    return _build(name, f"{spec.label_vi} / {spec.label_en}", spec.choices)


def enum_at(path: str) -> type[enum.Enum]:
    """The enum already generated for `app.Entity.state`, `app.Entity.field` or
    `app.Entity.children.column`: hand-written types and `Field.codes_of` reuse it, so one
    set of codes has one enum."""
    app_label, name, *rest = path.split(".")
    label = f"{app_label}.{name}"
    if rest == ["state"]:
        return state_enum(label)
    if len(rest) == 1:
        return choice_enum(label, rest[0])
    if len(rest) == 2:
        return child_choice_enum(label, rest[0], rest[1])
    raise ValueError(f"Not an enum path: {path!r}")


def lazy_at(path: str) -> Any:
    """The enum of `enum_at(path)` as an annotation for a hand-written type.

    Module types are defined when their module is imported, before the registry can build
    enums; this names the enum the generated types will have built (`tasks.Task.status` →
    `TaskStatus`), resolved when the schema is assembled. Give the declaring path, not a
    `codes_of` that points elsewhere."""
    _app, name, *rest = path.split(".")
    suffix = "State" if rest == ["state"] else "".join(pascal(part) for part in rest)
    return Annotated[f"{name}{suffix}", strawberry.lazy(__name__)]


def column_enum(entity: Entity, spec: Field, children: Field | None = None) -> type[enum.Enum] | None:
    """The enum of a declared column: its choices, or the codes it holds (`codes_of`)."""
    if spec.codes_of:
        return enum_at(spec.codes_of)
    if spec.kind != "choice":
        return None
    if children is not None:
        return child_choice_enum(entity.label, children.name, spec.name)
    return choice_enum(entity.label, spec.name)


@cache
def codes_enum(name: str, description: str, values: tuple[tuple[str, str, str], ...]) -> type[enum.Enum]:
    """An enum for a closed set a module computes rather than stores (a board cell's colour
    state): same value rule as the declared ones. Call it once per set, at import."""
    return _build(name, description, values)


RECORD_ACTIONS = (
    ("created", "Thêm mới", "Created"),
    ("updated", "Cập nhật", "Updated"),
    ("deleted", "Xoá", "Deleted"),
)


def record_action_enum() -> type[enum.Enum]:
    """`RecordAction`, the `action` of every `<Entity>Event` (services.py announces these three)."""
    return codes_enum("RecordAction", "Loại thay đổi / What happened to the record", RECORD_ACTIONS)


def enum_for(entity: Entity, name: str) -> type[enum.Enum] | None:
    """The enum of a field or of `state`, None for any other column."""
    if name == "state":
        return state_enum(entity.label) if entity.workflow else None
    spec = next((f for f in entity.fields if f.name == name), None)
    if spec is None:
        return None
    return column_enum(entity, spec)


def plain(value: Any) -> Any:
    """An input value as the engine stores it (enum members become their code)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
