"""The admin home page: open items per module, counted only over rows the user may see."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from modules.engine import access, registry
from modules.engine.definitions import Entity


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


def open_states(entity: Entity) -> list[str]:
    """Workflow states that are not final; empty for entities without a workflow."""
    if entity.workflow is None:
        return []
    return [s.code for s in entity.workflow.states if not s.final]


def entity_card(user: Any, entity: Entity) -> dict[str, Any] | None:
    """The count of one entity's open (or, without a workflow, all) rows visible to `user`."""
    may_view = user.is_superuser or access.has_role_permission(user, entity, "view")
    queryset = access.scoped_queryset(user, entity, "view")
    query: dict[str, str] = {}
    if entity.workflow is not None:
        finals = [s.code for s in entity.workflow.states if s.final]
        queryset = queryset.exclude(state__in=finals)
        query["state__in"] = ",".join(open_states(entity))
    count = queryset.count()
    if not may_view and count == 0:
        return None  # neither a role permission nor any granted row: not this user's business
    opts = registry.model_for(entity)._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:  # pragma: no cover - every entity has an admin
        url = ""
    if url and query:
        url = f"{url}?{urlencode(query)}"
    return {
        "label": _pick(entity.plural_vi or entity.label_vi, entity.plural_en or entity.label_en),
        "count": count,
        "url": url,
        "has_workflow": entity.workflow is not None,
        "caption": _pick("đang mở", "open") if entity.workflow is not None else _pick("tổng số", "total"),
    }


def module_counts(user: Any) -> list[dict[str, Any]]:
    """Per module: the cards of its entities the user may see, and their total."""
    result = []
    for module in registry.modules():
        cards = [card for entity in module.entities if (card := entity_card(user, entity)) is not None]
        if not cards:
            continue
        result.append(
            {
                "label": module.label,
                "name": _pick(module.name_vi, module.name_en),
                "icon": module.icon,
                "entities": cards,
                "total": sum(card["count"] for card in cards),
            }
        )
    return result


def chart_data(modules: list[dict[str, Any]]) -> str:
    """Unfold's bar chart component data: open items per module."""
    return json.dumps(
        {
            "labels": [m["name"] for m in modules],
            "datasets": [
                {
                    "label": _pick("Việc đang mở", "Open items"),
                    "data": [m["total"] for m in modules],
                    "backgroundColor": "var(--color-primary-600)",
                    "maxBarThickness": 48,
                    "borderRadius": 6,
                }
            ],
        },
        ensure_ascii=False,
    )


def module_panels(user: Any) -> list[dict[str, Any]]:
    """Panels a module adds to the dashboard (charts and tables of its own figures)."""
    panels: list[dict[str, Any]] = []
    for module in registry.modules():
        if module.dashboard is not None:
            panels.extend(module.dashboard(user))
    return panels


def dashboard_callback(request: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Unfold's DASHBOARD_CALLBACK: adds `onemst_modules` and the chart to the index page."""
    user = request.user
    modules = module_counts(user) if user.is_authenticated else []
    largest = max((m["total"] for m in modules), default=0)
    for module in modules:
        module["percent"] = round(100 * module["total"] / largest) if largest else 0
    context.update(
        {
            "title": _pick("Bảng điều khiển", "Dashboard"),
            "onemst_modules": modules,
            "onemst_total": sum(m["total"] for m in modules),
            "onemst_chart": chart_data(modules),
            "onemst_chart_title": _pick("Việc đang mở theo mô-đun", "Open items per module"),
            "onemst_panels": module_panels(user) if user.is_authenticated else [],
            "onemst_empty_text": _pick("Chưa có dữ liệu để hiển thị.", "Nothing to show yet."),
        }
    )
    return context
