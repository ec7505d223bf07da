"""Export every generated admin list to XLSX and CSV (django-import-export), as people read it.

- Rows: the changelist's own queryset (`get_queryset` = `access.scoped_queryset`, then the
  current filters and search), so an export never holds a row the list would not show.
- Who: whoever may view the list (`has_view_permission`, the engine's rule).
- Columns: the declared bilingual labels; choice labels, not codes; links by their title;
  people by full name; dates as Vietnamese write them (dd/mm/yyyy, local time).

Imports come later through the same library: `resource_for(entity)` is the one place a
module's columns are described, and an import would add `ImportMixin` and write each row
through `services.save_record`. No import screen is enabled here.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import PurePath
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from import_export import resources
from import_export.admin import ExportMixin
from import_export.fields import Field as ExportField
from import_export.formats.base_formats import CSV, XLSX
from unfold.contrib.import_export.forms import ExportForm

from modules.engine import custom_values, registry
from modules.engine.custom_display import label_of, link_names, value_of
from modules.engine.definitions import Entity
from modules.engine.display import display_names
from modules.engine.i18n import bilingual

YES, NO = "Có", "Không"
HIDDEN = {"version", "is_shared"}


def as_text(value: Any, names: dict[Any, str] | None = None) -> Any:
    """One cell: text as a Vietnamese reader expects it (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, get_user_model()):
        return (names or {}).get(value.pk) or value.get_full_name() or value.get_username()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file: its name
        return PurePath(value.name).name if value.name else ""
    return value


class ReadableField(ExportField):
    """A column rendered by `as_text`, with people named from the resource's lookup."""

    def __init__(self, model_field: models.Field, **kwargs: Any) -> None:
        super().__init__(attribute=model_field.name, column_name=str(model_field.verbose_name), **kwargs)
        self.model_field = model_field
        self.resource: Any = None

    def export(self, instance: Any, **kwargs: Any) -> Any:
        names = getattr(self.resource, "names", {})
        field = self.model_field
        if field.many_to_many:
            return "; ".join(str(as_text(row, names)) for row in getattr(instance, field.name).all())
        if field.choices:
            return getattr(instance, f"get_{field.name}_display")() if getattr(instance, field.name) else ""
        return as_text(getattr(instance, field.name), names)


class CustomField(ExportField):
    """A custom field's column: its label, and its value as people read it (a number stays a
    number; linked records' names are read once per export, `EngineResource.link_names`)."""

    def __init__(self, defn: custom_values.Definition, resource: Any) -> None:
        super().__init__(attribute=None, column_name=label_of(defn), readonly=True)
        self.defn, self.resource = defn, resource

    def export(self, instance: Any, **kwargs: Any) -> Any:
        value = (instance.custom or {}).get(self.defn.code)
        if value in (None, ""):
            return ""
        if self.defn.type in ("integer", "money"):
            return int(value)
        if self.defn.type == "decimal":
            return as_text(Decimal(str(value)))
        return value_of(self.defn, value, self.resource.link_names)


class EngineResource(resources.ModelResource):
    """The columns of one entity's list, then the custom fields the exporting user may see;
    people's names and linked records' names read once per export."""

    names: dict[Any, str]
    entity_label = ""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.names = {}
        self.link_names: dict[str, dict[int, str]] = {}
        for field in self.fields.values():
            if isinstance(field, ReadableField):
                field.resource = self
        entity = registry.entity_by_label(self.entity_label) if self.entity_label else None
        self.custom = (
            custom_values.visible(entity.label, user) if entity and entity.custom_fields and user else ()
        )
        for defn in self.custom:  # no user, no custom columns: a hidden one never leaks by default
            self.fields[f"custom.{defn.code}"] = CustomField(defn, self)

    def before_export(self, queryset: models.QuerySet, **kwargs: Any) -> None:
        user_model = get_user_model()
        ids: set[Any] = set()
        for field in self.fields.values():
            model_field = getattr(field, "model_field", None)
            if model_field is None or getattr(model_field, "related_model", None) is not user_model:
                continue
            lookup = f"{model_field.name}__pk" if model_field.many_to_many else model_field.attname
            ids.update(queryset.values_list(lookup, flat=True))
        self.names = display_names(ids)
        if any(d.type in ("link", "person") for d in self.custom):
            self.link_names = link_names(self.custom, queryset.values_list("custom", flat=True), self.user)


def _columns(entity: Entity, model: type[models.Model]) -> list[models.Field]:
    """What a reader needs: number, the declared fields, state, owning unit, record dates."""
    names: list[str] = []
    if entity.numbering:
        names.append("number")
    names += [f.name for f in entity.fields if f.kind != "children"]
    if entity.workflow:
        names.append("state")
    if entity.unit_scoped:
        names.append("owner_unit")
    names += ["created_by", "created_at", "updated_at"]
    fields = []
    for name in dict.fromkeys(names):
        try:
            fields.append(model._meta.get_field(name))
        except Exception:  # a name the model does not carry
            continue
    return [f for f in fields if f.name not in HIDDEN]


def resource_for(entity: Entity) -> type[EngineResource]:
    """The import-export resource of one entity (built once)."""
    return _resource_by_label(entity.label)


@cache
def _resource_by_label(label: str) -> type[EngineResource]:
    entity = registry.entity_by_label(label)
    model = registry.model_for(entity)
    columns = _columns(entity, model)
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "entity_label": label,
        **{f.name: ReadableField(f) for f in columns},
    }
    attrs["Meta"] = type(
        "Meta",
        (),
        {"model": model, "fields": [f.name for f in columns], "export_order": [f.name for f in columns]},
    )
    resource = type(f"{entity.name}Resource", (EngineResource,), attrs)
    resource.get_display_name = classmethod(lambda cls: bilingual(entity.plural_vi, entity.plural_en))
    return resource


class ScopedExportMixin(ExportMixin):
    """The admin's "Export" button: the list as shown, under the viewer's scope."""

    entity: Entity
    export_form_class = ExportForm
    formats = (XLSX, CSV)

    def get_export_formats(self) -> list[Any]:
        return [f for f in (XLSX, CSV) if f().can_export()]

    def has_export_permission(self, request: HttpRequest) -> bool:
        return bool(self.has_view_permission(request))

    def get_export_resource_classes(self, request: HttpRequest) -> list[type]:
        return [resource_for(self.entity)]

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_export_queryset(request)  # the changelist's: scope, filters, search
        links = [
            f.name
            for f in resource_for(self.entity)._meta.model._meta.concrete_fields
            if isinstance(f, models.ForeignKey)
        ]
        multi = [f.name for f in resource_for(self.entity)._meta.model._meta.many_to_many]
        return queryset.select_related(*links).prefetch_related(*multi)
