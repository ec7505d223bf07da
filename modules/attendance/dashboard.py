"""Face attendance on the admin dashboard: who checked in today, who was late.

A morning check-in is a row of kind "in" (the day's first); the lateness rate is late
check-ins over check-ins, as `lateness` (GraphQL) counts it. The chart is the whole
scope's weekly rate over twelve weeks, and the ranking the units' rates this month:
never one line per unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from modules.engine import access, registry, workdays
from modules.engine.dashboard import Figure, Panel, Ranked, Ranking, Series, Trend
from modules.engine.numbers import vi_number
from modules.org.labels import short_names

from .api import lateness

CHECK_IN = "attendance.CheckIn"
WEEKS = 12


def panels(user: Any) -> Panel | None:
    entity = registry.entity_by_label(CHECK_IN)
    if not (user.is_superuser or access.has_role_permission(user, entity, "view")):
        return None
    today = workdays.today()
    day = {"kind__exact": "in", "at__date": today.isoformat()}
    month = {"kind__exact": "in", "at__date__gte": today.replace(day=1).isoformat()}
    figures = (
        Figure(
            key="attendance.today",
            label_vi="Đã chấm công hôm nay",
            label_en="Checked in today",
            entity=CHECK_IN,
            where=day,
        ),
        Figure(
            key="attendance.late_today",
            label_vi="Đi muộn hôm nay",
            label_en="Late today",
            entity=CHECK_IN,
            where={**day, "late__exact": "1"},
            tone="warn",
        ),
        Figure(
            key="attendance.late_month",
            label_vi=f"Tỷ lệ đi muộn tháng {today.month}",
            label_en=f"Late in {today:%m/%Y}",
            entity=CHECK_IN,
            where={**month, "late__exact": "1"},
            out_of=month,
            percent=True,
            tone="warn",
            help_vi="Lượt đi muộn / lượt chấm công vào trong tháng",
            help_en="Late check-ins / check-ins this month",
        ),
    )
    charts = tuple(c for c in (_trend(user, today), _ranking(user, today)) if c)
    return Panel(figures=figures, charts=charts)


def _trend(user: Any, today: dt.date) -> Trend | None:
    monday = today - dt.timedelta(days=today.weekday())
    weeks = [monday - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    rows = (
        access.scoped_queryset(user, registry.entity_by_label(CHECK_IN), "view")
        .filter(kind="in", at__date__gte=weeks[0], at__date__lte=today)
        .annotate(week=TruncWeek("at"))
        .values("week")
        .annotate(total=Count("id"), late=Count("id", filter=Q(late=True)))
    )
    by_week = {(r["week"].date() if hasattr(r["week"], "date") else r["week"]): r for r in rows}
    if not by_week:
        return None

    def rate(week: dt.date) -> float | None:
        row = by_week.get(week)
        return round(100 * row["late"] / row["total"], 1) if row and row["total"] else None

    return Trend(
        key="attendance.trend",
        title_vi="Tỷ lệ đi muộn theo tuần",
        title_en="Lateness rate per week",
        labels=tuple(f"{w:%d/%m}" for w in weeks),
        series=(Series("Đi muộn", "Late", tuple(rate(w) for w in weeks), "#d97706"),),
        percent=True,
        note_vi="Tuần tính từ thứ Hai.",
        note_en="Weeks start on Monday.",
    )


def _ranking(user: Any, today: dt.date) -> Ranking | None:
    totals: dict[Any, list[int]] = {}
    labels: dict[Any, str] = {}
    for row in lateness(user, today.replace(day=1), today):
        pair = totals.setdefault(row.unit_id, [0, 0])
        pair[0] += row.late
        pair[1] += row.check_ins
        labels[row.unit_id] = row.unit
    labels |= short_names(totals)
    items = tuple(
        Ranked(
            label=labels[unit],
            value=round(100 * late / total, 1),
            detail=f"{vi_number(late)} / {vi_number(total)}",
        )
        for unit, (late, total) in totals.items()
        if total
    )
    if not items:
        return None
    return Ranking(
        key="attendance.lateness",
        title_vi=f"Tỷ lệ đi muộn theo đơn vị, tháng {today:%m/%Y}",
        title_en=f"Lateness rate per unit, {today:%m/%Y}",
        items=items,
        higher_is_better=False,
    )
