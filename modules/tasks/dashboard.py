"""The tasks module's panel on the admin dashboard: KPIs per lead unit, as a chart and a table.

Same numbers as `taskKpis` and the status board: all three call `kpis.compute`.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import get_language

from modules.engine import access, registry, workdays

from . import kpis

SERIES = (
    ("completed_on_time", "Hoàn thành đúng hạn", "Completed on time", "#16a34a"),
    ("completed_late", "Hoàn thành quá hạn", "Completed late", "#d97706"),
    ("in_progress_on_time", "Đang thực hiện trong hạn", "In progress, on time", "#2563eb"),
    ("overdue", "Chưa hoàn thành, quá hạn", "Overdue", "#dc2626"),
)
TOP_UNITS = 15
CHART_OPTIONS = {
    "animation": False,
    "responsive": True,
    "maintainAspectRatio": False,
    "plugins": {"legend": {"display": True, "position": "bottom"}},
    "scales": {
        "x": {"stacked": True, "ticks": {"autoSkip": False, "maxRotation": 60}},
        "y": {"stacked": True, "beginAtZero": True},
    },
}


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") else vi


def kpi_panels(user: Any) -> list[dict[str, Any]]:
    if not (
        user.is_superuser or access.has_role_permission(user, registry.entity_by_label("tasks.Task"), "view")
    ):
        return []
    start, end = kpis.default_period(workdays.today())
    rows = kpis.compute(user, start, end)
    if not rows:
        return []
    shown = rows[:TOP_UNITS]
    chart = {
        "labels": [r.label for r in shown],
        "datasets": [
            {
                "label": _pick(vi, en),
                "data": [getattr(r, key) for r in shown],
                "backgroundColor": color,
                "stack": "tasks",
                "maxBarThickness": 28,
            }
            for key, vi, en, color in SERIES
        ],
    }
    columns = [
        _pick("Đơn vị", "Unit"),
        _pick("Được giao", "Assigned"),
        *(_pick(vi, en) for _key, vi, en, _c in SERIES),
        _pick("Tỷ lệ đúng hạn", "On-time rate"),
    ]
    table = [
        {
            "key": r.key,
            "cells": [
                r.label,
                r.assigned,
                *(getattr(r, key) for key, *_ in SERIES),
                "—" if r.on_time_rate is None else f"{r.on_time_rate:.1f}%",
            ],
        }
        for r in rows
    ]
    period = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    return [
        {
            "key": "tasks.kpis",
            "title": _pick(f"Nhiệm vụ theo đơn vị chủ trì ({period})", f"Tasks per lead unit ({period})"),
            "chart": json.dumps(chart, ensure_ascii=False),
            "options": json.dumps(CHART_OPTIONS),
            "columns": columns,
            "rows": table,
            "note": _pick(
                "Tỷ lệ đúng hạn = hoàn thành đúng hạn / (đã hoàn thành + quá hạn). "
                "Chỉ tính nhiệm vụ bạn được xem.",
                "On-time rate = completed on time / (completed + overdue). "
                "Only tasks you may see are counted.",
            ),
        }
    ]
