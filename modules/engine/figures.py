"""Counting a `dashboard.Figure`: the one place a headline number is computed.

A figure is a filter on one entity's admin list. The admin dashboard, the live boards and
GraphQL's `totalCount` all count it here, over `access.scoped_queryset`, with the lookups the
admin list reads from its querystring, so a tile, the dashboard figure and the list its link
opens are one number with one meaning (issue 12.6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.admin.utils import build_q_object_from_lookup_parameters, prepare_lookup_value
from django.urls import NoReverseMatch, reverse

from . import access, registry
from .dashboard import Figure
from .definitions import Entity
from .errors import FieldProblem, InvalidInput


def lookups(where: Mapping[str, str]) -> Any:
    """The admin list's own reading of its querystring (commas in `__in`, `__isnull`)."""
    return build_q_object_from_lookup_parameters(
        {key: prepare_lookup_value(key, [str(value)]) for key, value in where.items()}
    )


def own_units(user: Any, where: Mapping[str, str]) -> dict[str, str]:
    """`where`, narrowed to rows owned by the viewer's units when their scope is limited."""
    units = access.directory().visible_units_query(user)
    if user.is_superuser or units is None:
        return dict(where)
    ids = sorted(row["id"] for row in units)
    return {**where, "owner_unit__id__in": ",".join(str(i) for i in ids) or "0"}


def subtree(where: Mapping[str, str], unit_id: Any) -> dict[str, str]:
    """`where`, narrowed to rows owned by a unit or its sub-units (a board's unit picker)."""
    if unit_id in (None, ""):
        return dict(where)
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        problem = FieldProblem("unit", "INVALID", "Mã đơn vị không hợp lệ. / Invalid unit id.")
        raise InvalidInput([problem]) from None
    units = registry.model_for("org.Unit").objects
    path = units.filter(pk=pk).values_list("path", flat=True).first()
    ids = sorted(units.filter(path__startswith=path).values_list("id", flat=True)) if path else []
    return {**where, "owner_unit__id__in": ",".join(str(i) for i in ids) or "0"}


def changelist_url(entity: Entity, where: Mapping[str, str]) -> str:
    opts = registry.model_for(entity)._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:  # pragma: no cover - every entity has an admin
        return ""
    return f"{url}?{urlencode(where, safe=',')}" if where else url


@dataclass(frozen=True)
class Counted:
    """A figure as one viewer sees it: its rows, their number and the admin list showing them."""

    figure: Figure
    entity: Entity
    where: dict[str, str]
    rows: Any  # the scoped queryset, filtered
    count: int
    url: str


def where_for(user: Any, figure: Figure, unit_id: Any = None) -> dict[str, str]:
    where = own_units(user, figure.where) if figure.own_units else dict(figure.where)
    return subtree(where, unit_id)


def count(user: Any, figure: Figure, unit_id: Any = None) -> Counted:
    """The rows of `figure` the viewer may see (optionally in one unit's subtree), counted once."""
    entity = registry.entity_by_label(figure.entity)
    where = where_for(user, figure, unit_id)
    rows = access.scoped_queryset(user, entity, "view").filter(lookups(where))
    return Counted(figure, entity, where, rows, rows.count(), changelist_url(entity, where))
