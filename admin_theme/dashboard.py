"""The admin home page: each module's headline figures, and a few charts that say more.

Modules declare what they show (`Module.dashboard(user)` -> `engine.dashboard.Panel`); a
module that declares nothing shows its open items per entity. A figure is counted here,
over `access.scoped_queryset`, with the same lookups its link puts on the admin list, so
the number and the list it opens are one number.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from modules.engine import access, figures, registry
from modules.engine.dashboard import Figure, Panel, Ranking, Trend
from modules.engine.definitions import Entity, Module
from modules.engine.numbers import vi_number, vi_percent

CHART_HEIGHT = 200  # px: every chart is this tall, in a box of its own


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


def open_states(entity: Entity) -> list[str]:
    """Workflow states that are not final; empty for entities without a workflow."""
    if entity.workflow is None:
        return []
    return [s.code for s in entity.workflow.states if not s.final]


def may_view(user: Any, entity: Entity) -> bool:
    return bool(user.is_superuser or access.has_role_permission(user, entity, "view"))


def default_panel(user: Any, module: Module) -> Panel | None:
    """A module that declares no dashboard: its open items, per entity with a workflow."""
    figures = tuple(
        Figure(
            key=f"{entity.app_label}.{entity.name}.open",
            label_vi=f"{entity.plural_vi or entity.label_vi} đang mở",
            label_en=f"{entity.plural_en or entity.label_en}, open",
            entity=f"{entity.app_label}.{entity.name}",
            where={"state__in": ",".join(open_states(entity))},
        )
        for entity in module.entities
        if entity.workflow is not None
    )
    return Panel(figures=figures) if figures else None


# --- figures -----------------------------------------------------------------------------------


_lookups = figures.lookups  # counted in the engine: the boards and GraphQL count the same way
_own_units = figures.own_units
changelist_url = figures.changelist_url


def figure_view(user: Any, figure: Figure) -> dict[str, Any] | None:
    """A figure counted over the rows the viewer may see, with the link to the same rows."""
    counted = figures.count(user, figure)
    entity, count = counted.entity, counted.count
    rows = access.scoped_queryset(user, entity, "view")
    if not may_view(user, entity) and count == 0:
        return None  # neither a role permission nor any granted row: not this user's business
    total = None
    total_url = ""
    if figure.out_of is not None:
        total_where = _own_units(user, figure.out_of) if figure.own_units else dict(figure.out_of)
        total = rows.filter(_lookups(total_where)).count()
        total_url = changelist_url(entity, total_where)
    if figure.percent:
        value = vi_percent(100 * count / total) if total else "—"
        detail = f"{vi_number(count)} / {vi_number(total)}"
    else:
        value = vi_number(count)
        detail = f"/ {vi_number(total)}" if total is not None else ""
    return {
        "key": figure.key,
        "label": _pick(figure.label_vi, figure.label_en),
        "help": " / ".join(t for t in (figure.help_vi, figure.help_en) if t),
        "value": value,
        "detail": detail,
        "count": count,
        "total": total,
        "percent": figure.percent,
        "url": counted.url,
        "total_url": total_url,
        "tone": figure.tone if count else "",
    }


# --- charts ------------------------------------------------------------------------------------


def _trend_view(trend: Trend) -> dict[str, Any]:
    datasets = []
    for series in trend.series:
        dataset: dict[str, Any] = {
            "label": _pick(series.label_vi, series.label_en),
            "data": list(series.values),
            "borderColor": series.colour,
            "backgroundColor": series.colour,
        }
        if trend.kind == "line":
            dataset.update({"tension": 0.25, "pointRadius": 2, "borderWidth": 2, "spanGaps": True})
        else:
            dataset.update({"maxBarThickness": 22, "borderRadius": 3})
        datasets.append(dataset)
    y_axis: dict[str, Any] = {"beginAtZero": True, "stacked": trend.stacked, "ticks": {"precision": 0}}
    if trend.percent:
        y_axis.update({"max": 100, "ticks": {"stepSize": 25}})
    options = {
        "animation": False,
        "responsive": True,
        "maintainAspectRatio": False,  # the box's fixed height rules, never the width
        "locale": "vi-VN",
        "interaction": {"mode": "index", "intersect": False},
        "plugins": {
            "legend": {
                "display": len(datasets) > 1,
                "position": "bottom",
                "labels": {"boxWidth": 10, "boxHeight": 10, "font": {"size": 11}},
            },
        },
        "scales": {
            "x": {
                "stacked": trend.stacked,
                "grid": {"display": False},
                "ticks": {"maxRotation": 0, "autoSkip": True},
            },
            "y": y_axis,
        },
    }
    rows = [
        {"label": label, "cells": [_format(s.values[i], trend.percent) for s in trend.series]}
        for i, label in enumerate(trend.labels)
    ]
    return {
        "kind": "trend",
        "key": trend.key,
        "type": "line" if trend.kind == "line" else "bar",
        "title": _pick(trend.title_vi, trend.title_en),
        "data": json.dumps({"labels": list(trend.labels), "datasets": datasets}, ensure_ascii=False),
        "options": json.dumps(options),
        "height": CHART_HEIGHT,
        "note": _pick(trend.note_vi, trend.note_en),
        "columns": [_pick(s.label_vi, s.label_en) for s in trend.series],
        "rows": rows,
    }


def _format(value: Any, percent: bool) -> str:
    if value is None:
        return "—"
    return vi_percent(value) if percent else vi_number(value, 1)


def _ranking_view(ranking: Ranking) -> dict[str, Any] | None:
    if len(ranking.items) < 2:
        return None  # one unit is not a ranking
    ordered = sorted(
        ranking.items, key=lambda r: (-r.value if ranking.higher_is_better else r.value, r.label)
    )
    largest = max((abs(r.value) for r in ordered), default=0) or 1

    def row(item: Any) -> dict[str, Any]:
        return {
            "label": item.label,
            "value": _format(item.value, ranking.percent),
            "raw": item.value,
            "detail": item.detail,
            "width": round(100 * abs(item.value) / (100 if ranking.percent else largest)),
        }

    show = ranking.show
    if len(ordered) <= 2 * show:  # few units: one list, nobody shown twice
        groups = [{"title": _pick("Xếp hạng", "Ranking"), "tone": "", "rows": [row(i) for i in ordered]}]
    else:
        groups = [
            {
                "title": _pick(f"{show} đơn vị tốt nhất", f"Best {show}"),
                "tone": "good",
                "rows": [row(i) for i in ordered[:show]],
            },
            {
                "title": _pick(f"{show} đơn vị cần chú ý", f"Bottom {show}"),
                "tone": "bad",
                "rows": [row(i) for i in reversed(ordered[-show:])],
            },
        ]
    return {
        "kind": "ranking",
        "key": ranking.key,
        "title": _pick(ranking.title_vi, ranking.title_en),
        "groups": groups,
        "count": len(ordered),
        "note": _pick(ranking.note_vi, ranking.note_en),
    }


# --- the page ----------------------------------------------------------------------------------


def _boards(user: Any, module: Module) -> list[dict[str, str]]:
    """The module's live boards the viewer may open."""
    links = []
    for page in module.pages:
        if page.audience != "board":
            continue
        if page.entity and not may_view(user, module.entity(page.entity)):
            continue
        try:
            url = reverse(page.url_name)
        except NoReverseMatch:
            continue
        links.append({"title": _pick(page.title_vi, page.title_en), "url": url})
    return links


def module_view(user: Any, module: Module) -> dict[str, Any] | None:
    panel = module.dashboard(user) if module.dashboard is not None else default_panel(user, module)
    if panel is None:
        return None
    figures = [view for figure in panel.figures if (view := figure_view(user, figure)) is not None]
    if not figures:
        return None
    charts = []
    for chart in panel.charts:
        view = _trend_view(chart) if isinstance(chart, Trend) else _ranking_view(chart)
        if view is not None:
            view["module"] = _pick(module.name_vi, module.name_en)
            charts.append(view)
    return {
        "label": module.label,
        "name": _pick(module.name_vi, module.name_en),
        "icon": module.icon,
        "subtitle": _pick(panel.subtitle_vi, panel.subtitle_en),
        "figures": figures,
        "boards": _boards(user, module),
        "charts": charts,
    }


def module_views(user: Any) -> list[dict[str, Any]]:
    return [view for module in registry.modules() if (view := module_view(user, module)) is not None]


def scope_text(user: Any) -> str:
    """Whose figures these are: every unit, or the viewer's unit and its sub-units."""
    if user.is_superuser or access.directory().visible_units_query(user) is None:
        return _pick("Số liệu toàn Bộ và các đơn vị", "Figures for every unit")
    unit_id = access.directory().unit_id_of(user)
    unit = registry.model_for("org.Unit").objects.filter(pk=unit_id).values_list("name", flat=True).first()
    return (
        _pick(f"Số liệu của {unit} và đơn vị trực thuộc", f"Figures of {unit} and its sub-units")
        if unit
        else ""
    )


def dashboard_callback(request: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Unfold's DASHBOARD_CALLBACK: the modules' figures and charts for the index page."""
    from modules.engine import workdays

    user = request.user
    modules = module_views(user) if user.is_authenticated else []
    context.update(
        {
            "title": _pick("Bảng điều khiển", "Dashboard"),
            "onemst_modules": modules,
            "onemst_charts": [chart for module in modules for chart in module["charts"]],
            "onemst_scope": scope_text(user) if user.is_authenticated else "",
            "onemst_today": workdays.today(),
            "onemst_empty_text": _pick("Chưa có dữ liệu để hiển thị.", "Nothing to show yet."),
            "onemst_table_text": _pick("Xem số liệu", "Show the figures"),
        }
    )
    return context
