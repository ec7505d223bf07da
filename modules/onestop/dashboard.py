"""The one-stop panel on the admin dashboard: dossiers per processing unit, last 90 days.

Same numbers as `dossierKpis` and the counter board (`kpis.compute`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from modules.engine import access, registry, workdays

from . import kpis, outbox

SERIES = (
    ("on_time", "Đúng hạn, trước hạn", "On time", "#16a34a"),
    ("late", "Quá hạn", "Late", "#dc2626"),
    ("in_progress", "Đang giải quyết trong hạn", "In progress", "#2563eb"),
    ("waiting_supplement", "Chờ bổ sung", "Waiting", "#d97706"),
)
DAYS = 90


def panels(user: Any) -> list[dict[str, Any]]:
    if not (
        user.is_superuser
        or access.has_role_permission(user, registry.entity_by_label("onestop.Dossier"), "view")
    ):
        return []
    end = workdays.today()
    start = end - dt.timedelta(days=DAYS)
    rows = kpis.compute(user, start, end)
    if not rows:
        return []
    chart = {
        "labels": [r.unit for r in rows],
        "datasets": [
            {
                "label": f"{vi} / {en}",
                "data": [getattr(r, key) for r in rows],
                "backgroundColor": colour,
                "stack": "dossiers",
                "maxBarThickness": 36,
            }
            for key, vi, en, colour in SERIES
        ],
    }
    options = {
        "animation": False,
        "scales": {"x": {"stacked": True}, "y": {"stacked": True, "beginAtZero": True}},
        "plugins": {"legend": {"position": "bottom"}},
    }
    return [
        {
            "key": "onestop.kpis",
            "title": f"Hồ sơ một cửa theo đơn vị xử lý ({start:%d/%m/%Y} – {end:%d/%m/%Y})",
            "chart": json.dumps(chart, ensure_ascii=False),
            "options": json.dumps(options),
            "columns": ["Đơn vị / Unit", "Tiếp nhận", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn"],
            "rows": [
                {
                    "key": str(r.unit_id),
                    "cells": [
                        r.unit,
                        r.received,
                        r.on_time,
                        r.late,
                        "—" if r.on_time_rate is None else f"{r.on_time_rate:.1f}%",
                    ],
                }
                for r in rows
            ],
            "note": f"Chờ đồng bộ Cổng DVC quốc gia / portal backlog: {outbox.backlog()}. "
            "Chỉ tính hồ sơ bạn được xem. / Only dossiers you may see.",
        }
    ]
