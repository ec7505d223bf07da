"""Turn a declared `Entity` into Django model classes.

Runs while Django imports models (from `modules.engine.models`), from static
definitions only, so `makemigrations` sees exactly what the code declares.
Each entity yields: its model, one model per child table, and guardian's
direct foreign-key object-permission models (so grants stay index-friendly).
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from . import search, timeranges
from .base import ChildRow, EngineRecord
from .definitions import Entity, Field, Module
from .fields import django_field
from .history_records import EngineHistoricalRecords
from .i18n import bilingual


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def child_model_name(entity: Entity, spec: Field) -> str:
    return f"{entity.name}{pascal(spec.name)}"


def transition_codename(entity: Entity, transition_name: str) -> str:
    return f"transition_{entity.name.lower()}_{transition_name}"


def _with_upload_path(entity: Entity, spec: Field) -> Field:
    if spec.kind == "file" and not spec.upload_to:
        path = f"{entity.app_label}/{entity.name.lower()}/%Y/%m/"
        return dataclasses.replace(spec, upload_to=path)
    return spec


def _meta(entity: Entity, **extra: Any) -> type:
    attrs: dict[str, Any] = {
        "app_label": entity.app_label,
        "verbose_name": bilingual(entity.label_vi, entity.label_en),
        "verbose_name_plural": bilingual(
            entity.plural_vi or entity.label_vi, entity.plural_en or entity.label_en
        ),
        "ordering": list(entity.ordering),
        **extra,
    }
    return type("Meta", (), attrs)


def build_entity_models(entity: Entity, module_path: str) -> dict[str, type[models.Model]]:
    """Create the model classes for one entity; returns them by class name."""
    attrs: dict[str, Any] = {"__module__": module_path, "_onemst_entity": entity}
    m2m_fields: list[str] = []
    for spec in entity.fields:
        if spec.kind == "children":
            continue
        spec = _with_upload_path(entity, spec)
        attrs[spec.name] = django_field(spec)
        if spec.kind == "multilink":
            m2m_fields.append(spec.name)

    numbered_later: list[models.UniqueConstraint] = []
    if entity.numbering and entity.numbering_on:  # "" until the transition: unique once given
        attrs["number"] = models.CharField(
            bilingual("Số hiệu", "Number"),
            max_length=60,
            blank=True,
            default="",
            editable=False,
            db_index=True,
        )
        numbered_later.append(
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(number=""),
                name=f"{entity.app_label}_{entity.name.lower()}_number_uniq",
            )
        )
    elif entity.numbering:
        attrs["number"] = models.CharField(
            bilingual("Số hiệu", "Number"), max_length=60, unique=True, editable=False
        )
    if search.columns(entity):  # folded text for diacritic-blind search (engine/search.py)
        attrs[search.COLUMN] = models.TextField(
            bilingual("Nội dung tìm kiếm", "Search text"), blank=True, default="", editable=False
        )
    indexes: list[models.Index] = timeranges.indexes(entity)  # (resource, start) per NoOverlap
    if entity.custom_fields:  # values of the fields administrators add (engine/custom_values.py)
        attrs["custom"] = models.JSONField(
            bilingual("Trường bổ sung", "Custom fields"), default=dict, blank=True, editable=False
        )
    if entity.unit_scoped:
        attrs["owner_unit"] = models.ForeignKey(
            settings.ONEMST_UNIT_MODEL,
            verbose_name=bilingual("Đơn vị chủ trì", "Owning unit"),
            on_delete=models.PROTECT,
            related_name="+",
        )
    if entity.shareable:
        attrs["is_shared"] = models.BooleanField(
            bilingual("Chia sẻ cho các đơn vị", "Shared with other units"),
            default=False,
            db_index=True,
        )
    if entity.workflow:
        wf = entity.workflow
        attrs["state"] = models.CharField(
            bilingual("Trạng thái", "State"),
            max_length=40,
            choices=[(s.code, bilingual(s.label_vi, s.label_en)) for s in wf.states],
            default=wf.initial,
            db_index=True,
            editable=False,
        )
    if entity.history:
        attrs["history"] = EngineHistoricalRecords(
            m2m_fields=m2m_fields,
            excluded_fields=["updated_at", *([search.COLUMN] if search.columns(entity) else [])],
            verbose_name=bilingual(f"Lịch sử {entity.label_vi}", f"History of {entity.label_en}"),
        )

    permissions = []
    if entity.workflow:
        permissions = [
            (
                transition_codename(entity, t.name),
                f"Chuyển trạng thái «{t.label_vi}» / Transition “{t.label_en}”",
            )
            for t in entity.workflow.transitions
        ]
    constraints = [
        models.UniqueConstraint(
            fields=list(columns), name=f"{entity.app_label}_{entity.name.lower()}_uniq_{i}"
        )
        for i, columns in enumerate(entity.unique_together)
    ] + numbered_later
    constraints += timeranges.constraints(entity)  # NoOverlap's exclusion constraints (PostgreSQL)
    attrs["Meta"] = _meta(entity, permissions=permissions, indexes=indexes, constraints=constraints)
    model = type(entity.name, (EngineRecord,), attrs)
    built: dict[str, type[models.Model]] = {entity.name: model}

    for spec in entity.fields:
        if spec.kind == "children":
            built.update(_build_child_model(entity, spec, model, module_path))

    built.update(_build_object_permission_models(entity, model, module_path))
    return built


def _build_child_model(
    entity: Entity, spec: Field, parent: type[models.Model], module_path: str
) -> dict[str, type[models.Model]]:
    name = child_model_name(entity, spec)
    attrs: dict[str, Any] = {
        "__module__": module_path,
        "parent": models.ForeignKey(
            parent, on_delete=models.CASCADE, related_name=spec.name, verbose_name=entity.label_vi
        ),
        "Meta": type(
            "Meta",
            (ChildRow.Meta,),
            {
                "app_label": entity.app_label,
                "verbose_name": bilingual(spec.label_vi, spec.label_en),
                "verbose_name_plural": bilingual(spec.label_vi, spec.label_en),
            },
        ),
    }
    for column in spec.columns:
        column = _with_upload_path(entity, column)
        attrs[column.name] = django_field(column)
    if entity.history:
        attrs["history"] = EngineHistoricalRecords(excluded_fields=[])
    return {name: type(name, (ChildRow,), attrs)}


def _build_object_permission_models(
    entity: Entity, model: type[models.Model], module_path: str
) -> dict[str, type[models.Model]]:
    """Guardian's direct FK grant tables: an indexed join instead of a text cast."""
    built: dict[str, type[models.Model]] = {}
    for suffix, base in (
        ("UserObjectPermission", UserObjectPermissionBase),
        ("GroupObjectPermission", GroupObjectPermissionBase),
    ):
        name = f"{entity.name}{suffix}"
        built[name] = type(
            name,
            (base,),
            {
                "__module__": module_path,
                "content_object": models.ForeignKey(model, on_delete=models.CASCADE),
                "Meta": type("Meta", (base.Meta,), {"app_label": entity.app_label, "abstract": False}),
            },
        )
    return built


def build_module_models(module: Module, module_path: str) -> dict[str, type[models.Model]]:
    """Build every entity of a module and publish the classes in `module_path`."""
    built: dict[str, type[models.Model]] = {}
    for entity in module.entities:
        built.update(build_entity_models(entity, module_path))
    target = sys.modules[module_path]
    for name, cls in built.items():
        setattr(target, name, cls)
    return built
