"""The generated admin's change list: columns, filters, search and inlines from the declaration."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import DateField, ForeignKey
from django.http import HttpRequest
from unfold.contrib.filters.admin import (
    ChoicesDropdownFilter,
    RangeDateFilter,
    RangeDateTimeFilter,
    RelatedDropdownFilter,
)
from unfold.decorators import display

from modules.engine import access, registry
from modules.engine.definitions import USER, Entity
from modules.engine.factory import child_model_name
from modules.engine.i18n import bilingual

from .columns import readable_columns
from .forms import ChildRowsInline, _target_entity
from .transitions import _transition_members


class ScopedRelatedFilter(RelatedDropdownFilter):
    """A link filter whose choices are only the target rows the user may see."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        target = _target_entity(field)
        if target is None:
            return super().field_choices(field, request, model_admin)
        return [(o.pk, str(o)) for o in access.scoped_queryset(request.user, target, "view")]


def _state_badge(entity: Entity) -> Any:
    """The workflow state as a coloured label: initial blue, final green, others orange."""
    workflow = entity.workflow
    variants = {
        s.code: "success" if s.final else "info" if s.code == workflow.initial else "warning"
        for s in workflow.states
    }

    def state_badge(self: Any, obj: Any) -> tuple[str, str]:
        return obj.state, obj.get_state_display()

    return display(description=bilingual("Trạng thái", "State"), ordering="state", label=variants)(
        state_badge
    )


def _searchable_target(target: str | None) -> bool:
    """Whether a link target's admin can serve autocomplete (it has search fields)."""
    if target in (USER, "auth.Group"):
        return True
    try:
        entity = registry.entity_by_label(target or "")
    except (KeyError, StopIteration, ValueError):
        return False
    return bool(entity.search_fields or entity.numbering or any(f.searchable for f in entity.fields))


def _list_filter_for(model: type[models.Model], name: str) -> Any:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return name
    if isinstance(field, ForeignKey):
        return (name, ScopedRelatedFilter)
    if getattr(field, "choices", None):
        return (name, ChoicesDropdownFilter)
    if isinstance(field, DateField):  # DateTimeField is a DateField too; both use a range
        return (name, RangeDateTimeFilter if isinstance(field, models.DateTimeField) else RangeDateFilter)
    return name


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def admin_attrs(entity: Entity) -> dict[str, Any]:
    """The class attributes of one entity's admin."""
    model = registry.model_for(entity)
    classes = registry.classes_for(entity)

    display = list(entity.list_display) or [entity.title_field or "__str__"]
    if entity.numbering:
        display.insert(0, "number")
    if entity.workflow:
        display.append("state_badge")
    if entity.unit_scoped:
        display.append("owner_unit")
    display = _unique(display)

    filters = [
        *entity.list_filter,
        *(f.name for f in entity.fields if f.filterable and f.kind != "multilink"),
    ]
    if entity.workflow:
        filters.append("state")
    if entity.unit_scoped:
        filters.append("owner_unit")
    filters = _unique(filters)

    search = [*entity.search_fields, *(f.name for f in entity.fields if f.searchable)]
    if entity.numbering:
        search.insert(0, "number")
    search = _unique(search)

    inlines = []
    for spec in entity.fields:
        if spec.kind != "children":
            continue
        child = classes[child_model_name(entity, spec)]
        inlines.append(
            type(
                f"{child.__name__}Inline",
                (ChildRowsInline,),
                {
                    "__module__": __name__,
                    "model": child,
                    "onemst_spec": spec,
                    "fields": ["position", *(c.name for c in spec.columns)],
                    "verbose_name": bilingual(spec.label_vi, spec.label_en),
                    "verbose_name_plural": bilingual(spec.label_vi, spec.label_en),
                },
            )
        )

    select_related = [
        name for name in display if name != "__str__" and isinstance(_safe_field(model, name), ForeignKey)
    ]
    columns, column_methods = readable_columns(model, display)  # 14 not 14,0000; names not logins
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "entity": entity,
        "list_display": columns,
        "list_display_links": [columns[0]],
        **column_methods,
        "list_filter": [_list_filter_for(model, name) for name in filters],
        "search_fields": search,
        "list_select_related": select_related or False,
        "inlines": inlines,
        "autocomplete_fields": [
            f.name for f in entity.fields if f.kind in ("link", "multilink") and _searchable_target(f.target)
        ],
        "actions_detail": [],
    }
    if entity.workflow:
        attrs["state_badge"] = _state_badge(entity)
        for transition in entity.workflow.transitions:
            attrs.update(_transition_members(transition))
        attrs["actions_detail"] = [f"transition_{t.name}" for t in entity.workflow.transitions]
    return attrs


def _safe_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
