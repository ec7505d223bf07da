"""What a code generator reads from the schema about each declared field (issue 12, point 12):
its label and help as the description, and whether a create input must give it."""

from __future__ import annotations

from typing import Any, Union, get_args, get_origin

from modules.engine.definitions import NOT_PROVIDED, Entity, Field


def describe(spec: Field) -> str:
    """ "Nhãn / Label", then the help in both languages when declared."""
    text = f"{spec.label_vi} / {spec.label_en}"
    helps = " / ".join(h for h in (spec.help_vi, spec.help_en) if h)
    return f"{text}. {helps}" if helps else text


def input_descriptions(entity: Entity) -> dict[str, str]:
    helps = {spec.name: describe(spec) for spec in entity.fields}
    if entity.unit_scoped:
        helps["owner_unit"] = "Đơn vị sở hữu (mặc định: đơn vị của người tạo) / Owning unit (default: yours)"
    if entity.shareable:
        helps["is_shared"] = "Chia sẻ cho mọi người / Shared with everyone"
    helps["id"] = "Mã bản ghi / The record's id"
    helps["version"] = "Phiên bản đã đọc (chống ghi đè) / The version you read (no lost updates)"
    return helps


def must_give(spec: Field) -> bool:
    """Required on create: declared required, with no default, and not filled in by the engine
    (an actor link is the caller unless named; computed fields are never input)."""
    return (
        spec.required
        and not spec.computed
        and not spec.actor
        and spec.default is NOT_PROVIDED
        and spec.kind not in ("children", "multilink", "boolean")
    )


def required_inputs(entity: Entity, values: dict[str, Any]) -> dict[str, Any]:
    """The create input's annotations: a field the caller must give is non-null."""
    annotations = dict(values)
    for spec in entity.fields:
        if spec.name in annotations and must_give(spec):
            annotations[spec.name] = _non_null(annotations[spec.name])
    return annotations


def _non_null(annotation: Any) -> Any:
    if get_origin(annotation) is Union:
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return annotation
