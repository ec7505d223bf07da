"""The reporting module's panels on the admin dashboard.

Per active regime: how the units stand in the latest period (a bar per state), and
the time series of the form's first numeric indicators over the last twelve periods
(a line chart with the table beside it). Figures come from `consolidation`, like
GraphQL and the XLSX export.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import get_language

from modules.engine import access, registry

from . import consolidation, submissions

STATE_COLOURS = (
    ("draft", "Đang soạn", "Draft", "#9ca3af"),
    ("submitted", "Đã gửi", "Submitted", "#2563eb"),
    ("returned", "Trả lại", "Returned", "#d97706"),
    ("resubmitted", "Gửi lại", "Resubmitted", "#7c3aed"),
    ("accepted", "Đã tiếp nhận", "Accepted", "#16a34a"),
)
LINE_COLOURS = ("#2563eb", "#16a34a", "#d97706", "#dc2626")
SERIES_INDICATORS = 3


def vi_number(value: Any) -> str:
    """Vietnamese digits: 1.234,5 (dot for thousands, comma for decimals)."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") else vi


def panels(user: Any) -> list[dict[str, Any]]:
    entity = submissions.submission_entity()
    if not (user.is_superuser or access.has_role_permission(user, entity, "view")):
        return []
    periods = registry.model_for("reporting.ReportPeriod").objects.select_related("regime", "form")
    result: list[dict[str, Any]] = []
    for regime in registry.model_for("reporting.Regime").objects.filter(is_active=True).order_by("code"):
        latest = periods.filter(regime=regime).order_by("-cutoff_to").first()
        if latest is None:
            continue
        result.append(_status_panel(user, regime, latest))
        series_panel = _series_panel(user, regime, latest)
        if series_panel:
            result.append(series_panel)
    return result


def _status_panel(user: Any, regime: Any, period: Any) -> dict[str, Any]:
    counts = consolidation.status_counts(user, period.pk)
    chart = {
        "labels": [_pick(vi, en) for _k, vi, en, _c in STATE_COLOURS],
        "datasets": [
            {
                "label": period.label,
                "data": [counts.get(key, 0) for key, *_ in STATE_COLOURS],
                "backgroundColor": [colour for *_, colour in STATE_COLOURS],
                "maxBarThickness": 48,
            }
        ],
    }
    timeliness = [(key, _pick(vi, en), counts.get(key, 0)) for key, vi, en in submissions.TIMELINESS]
    return {
        "key": f"reporting.status.{regime.pk}",
        "title": f"{regime.name} — {period.label}",
        "chart": json.dumps(chart, ensure_ascii=False),
        "options": json.dumps({"animation": False, "plugins": {"legend": {"display": False}}}),
        "columns": [_pick("Tình trạng gửi", "Timeliness"), _pick("Số đơn vị", "Units")],
        "rows": [{"key": key, "cells": [label, n]} for key, label, n in timeliness],
        "note": _pick(
            f"Hạn gửi {period.deadline:%d/%m/%Y}. Chỉ tính báo cáo bạn được xem.",
            f"Due {period.deadline:%d/%m/%Y}. Only reports you may see are counted.",
        ),
    }


def _series_panel(user: Any, regime: Any, period: Any) -> dict[str, Any] | None:
    if period.form is None:
        return None
    numeric = [i for i in submissions.indicators_of_form(period.form) if i.numeric][:SERIES_INDICATORS]
    if not numeric:
        return None
    series = {ind.code: consolidation.series(user, regime.pk, ind.code) for ind in numeric}
    labels = sorted({(p.year, p.index, p.label) for points in series.values() for p in points})
    if not labels:
        return None
    keys = [(year, index) for year, index, _ in labels]
    datasets = []
    for colour, ind in zip(LINE_COLOURS, numeric, strict=False):
        by_period = {(p.year, p.index): p.total for p in series[ind.code]}
        datasets.append(
            {
                "label": f"{ind.label_vi} ({ind.unit})" if ind.unit else ind.label_vi,
                "data": [float(by_period[k]) if by_period.get(k) is not None else None for k in keys],
                "borderColor": colour,
                "backgroundColor": colour,
                "tension": 0.2,
            }
        )
    rows = []
    for year, index, label in labels:
        cells: list[Any] = [label]
        for ind in numeric:
            point = next((p for p in series[ind.code] if (p.year, p.index) == (year, index)), None)
            cells.append("—" if point is None or point.total is None else vi_number(point.total))
        rows.append({"key": f"{year}-{index}", "cells": cells})
    return {
        "key": f"reporting.series.{regime.pk}",
        "kind": "line",
        "title": _pick(f"{regime.name}: tổng cả nước theo kỳ", f"{regime.name}: national totals per period"),
        "chart": json.dumps(
            {"labels": [label for *_, label in labels], "datasets": datasets}, ensure_ascii=False
        ),
        "options": json.dumps({"animation": False, "plugins": {"legend": {"position": "bottom"}}}),
        "columns": [_pick("Kỳ", "Period"), *(i.label_vi for i in numeric)],
        "rows": rows,
        "note": _pick(
            "Chỉ tính báo cáo đã tiếp nhận. Xuất Excel tại trang kỳ báo cáo.",
            "Accepted reports only. Excel export on the period's page.",
        ),
    }
