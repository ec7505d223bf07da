"""The consolidation page of a period in the admin: one indicator across the provinces.

A bar per province, the total and the average, and the XLSX export, from the same
`consolidation.consolidate` that GraphQL and the export use.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from modules.engine import access, registry

from . import consolidation, submissions
from .dashboard import vi_number


@login_required
def summary_view(request: HttpRequest, period_id: str) -> HttpResponse:
    entity = registry.entity_by_label("reporting.ReportPeriod")
    period = (
        access.scoped_queryset(request.user, entity, "view")
        .select_related("regime", "form")
        .filter(pk=period_id)
        .first()
        if period_id.isdigit()
        else None
    )
    if period is None:
        raise Http404("Không tìm thấy kỳ báo cáo. / Period not found.")
    numeric = [i for i in submissions.indicators_of_form(period.form) if i.numeric] if period.form else []
    chosen = next((i for i in numeric if i.code == request.GET.get("code")), numeric[0] if numeric else None)
    result = consolidation.consolidate(request.user, period.pk, chosen.code) if chosen else None
    chart = None
    if result and result.units:
        chart = json.dumps(
            {
                "labels": [u.unit_name.replace("Sở KH&CN ", "") for u in result.units],
                "datasets": [
                    {
                        "label": f"{chosen.label_vi} ({chosen.unit})" if chosen.unit else chosen.label_vi,
                        "data": [float(u.value) for u in result.units],
                        "backgroundColor": "#2563eb",
                        "maxBarThickness": 28,
                    }
                ],
            },
            ensure_ascii=False,
        )
    context = {
        **admin.site.each_context(request),
        "title": f"Tổng hợp / Consolidation — {period.regime.name} — {period.label}",
        "period": period,
        "indicators": numeric,
        "chosen": chosen,
        "result": result,
        "total": vi_number(result.total) if result and result.total is not None else "—",
        "average": vi_number(result.average) if result and result.average is not None else "—",
        "rows": [(u.unit_code, u.unit_name, vi_number(u.value)) for u in result.units] if result else [],
        "chart": chart,
        "chart_options": json.dumps({"animation": False, "plugins": {"legend": {"display": False}}}),
        "export_url": reverse("reporting-export", args=[period.pk]),
        "board_url": reverse("reporting-board") + f"?period={period.pk}",
    }
    return render(request, "reporting/summary.html", context)


def period_links(period: Any, user: Any) -> list[dict[str, str]]:
    return [
        {
            "title": "Tổng hợp / Consolidation",
            "url": reverse("reporting-summary", args=[period.pk]),
            "icon": "bar_chart",
        },
        {
            "title": "Xuất Excel / Export XLSX",
            "url": reverse("reporting-export", args=[period.pk]),
            "icon": "download",
        },
        {
            "title": "Bảng tin / Live board",
            "url": reverse("reporting-board") + f"?period={period.pk}",
            "icon": "grid_view",
        },
    ]
