"""List columns as people read them: 14 not 14,0000, and people by full name, not login.

Django shows a decimal column with all its places ("57,50") and a user link by its login.
The generated admin swaps such columns for display methods that format through
`engine.display`; the names of the people on a page are read in one query.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest
from unfold.decorators import display

from modules.engine.display import display_names, format_number

NAMES_ATTR = "_onemst_column_names"


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _number_column(name: str, field: models.Field) -> Any:
    def column(self: Any, obj: Any) -> str:
        value = getattr(obj, name)
        return "-" if value is None else format_number(value)

    return display(description=field.verbose_name, ordering=name)(column)


def _person_column(name: str, field: models.Field) -> Any:
    attname = field.attname

    def column(self: Any, obj: Any) -> str:
        user_id = getattr(obj, attname)
        if user_id is None:
            return "-"
        names = obj.__dict__.get(NAMES_ATTR) or {}
        return names.get(user_id) or str(getattr(obj, name))

    return display(description=field.verbose_name, ordering=name)(column)


def readable_columns(model: type[models.Model], names: list[str]) -> tuple[list[str], dict[str, Any]]:
    """The list columns with decimals and user links replaced by readable display methods."""
    user_model = get_user_model()
    columns: list[str] = []
    methods: dict[str, Any] = {}
    for name in names:
        field = _field(model, name)
        if isinstance(field, (models.DecimalField, models.FloatField)):
            methods[f"{name}_readable"] = _number_column(name, field)
        elif isinstance(field, models.ForeignKey) and field.related_model is user_model:
            methods[f"{name}_readable"] = _person_column(name, field)
        else:
            columns.append(name)
            continue
        columns.append(f"{name}_readable")
    return columns, methods


def user_link_attnames(model: type[models.Model], names: list[str]) -> list[str]:
    user_model = get_user_model()
    found = []
    for name in names:
        if not isinstance(name, str):  # a callable column (a custom field's): no user link
            continue
        field = _field(model, name.removesuffix("_readable"))
        if isinstance(field, models.ForeignKey) and field.related_model is user_model:
            found.append(field.attname)
    return found


class ReadableColumnsMixin:
    """Reads the full names of the people a list page shows, once per page."""

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        attnames = user_link_attnames(self.model, list(changelist.list_display))
        if attnames:
            rows = list(changelist.result_list)
            names = display_names(getattr(row, a) for row in rows for a in attnames)
            for row in rows:
                row.__dict__[NAMES_ATTR] = names
        return changelist
