"""The tasks module on the admin dashboard: open, overdue, near the deadline, done on time.

The figures are filters on the task list (the status the board shows, `status.py`); the
ranking comes from `kpis.compute`, the same numbers as `taskKpis` and the status board.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from modules.engine import access, registry, workdays
from modules.engine.dashboard import Figure, Panel, Ranked, Ranking, Series, Trend, month_starts
from modules.engine.numbers import vi_number
from modules.org.labels import short_names

from . import figures, kpis, status

TASK = "tasks.Task"
MONTHS = 12


def kpi_panels(user: Any) -> Panel | None:
    entity = registry.entity_by_label(TASK)
    if not (user.is_superuser or access.has_role_permission(user, entity, "view")):
        return None
    today = workdays.today()
    month = today.replace(day=1).isoformat()
    headline = (
        Figure(
            key="tasks.open",
            label_vi="Đang thực hiện",
            label_en="In progress",
            entity=TASK,
            where={"state__exact": "in_progress"},
        ),
        figures.OVERDUE,
        figures.NEAR_DEADLINE,
        Figure(
            key="tasks.done_on_time",
            label_vi=f"Đúng hạn tháng {today.month}",
            label_en=f"On time in {today:%m/%Y}",
            entity=TASK,
            where={"status__exact": status.DONE_ON_TIME, "completed_on__gte": month},
            out_of={"state__exact": "done", "completed_on__gte": month},
            tone="good",
            help_vi="Hoàn thành đúng hạn / đã hoàn thành trong tháng",
            help_en="Completed on time / completed this month",
        ),
    )
    return Panel(figures=headline, charts=tuple(c for c in (_trend(user, today), _ranking(user, today)) if c))


def _trend(user: Any, today: dt.date) -> Trend | None:
    months = month_starts(today, MONTHS)
    rows = (
        access.scoped_queryset(user, registry.entity_by_label(TASK), "view")
        .filter(state="done", completed_on__gte=months[0], completed_on__lte=today)
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(
            on_time=Count("id", filter=Q(status=status.DONE_ON_TIME)),
            late=Count("id", filter=Q(status=status.DONE_LATE)),
        )
    )
    by_month = {r["month"]: r for r in rows}
    if not by_month:
        return None
    return Trend(
        key="tasks.completed",
        title_vi="Nhiệm vụ hoàn thành theo tháng",
        title_en="Tasks completed per month",
        labels=tuple(f"{m:%m/%y}" for m in months),
        series=(
            Series(
                "Đúng hạn", "On time", tuple(by_month.get(m, {}).get("on_time", 0) for m in months), "#16a34a"
            ),
            Series("Quá hạn", "Late", tuple(by_month.get(m, {}).get("late", 0) for m in months), "#dc2626"),
        ),
        kind="bar",
        stacked=True,
    )


def _ranking(user: Any, today: dt.date) -> Ranking | None:
    start, end = kpis.default_period(today)
    rows = kpis.compute(user, start, end)
    names = short_names(r.key for r in rows)
    items = []
    for row in rows:
        if row.on_time_rate is None:
            continue
        decided = row.completed_on_time + row.completed_late + row.overdue
        items.append(
            Ranked(
                label=names.get(row.key, row.label),
                value=row.on_time_rate,
                detail=f"{vi_number(row.completed_on_time)} / {vi_number(decided)}",
            )
        )
    if not items:
        return None
    return Ranking(
        key="tasks.kpis",
        title_vi="Tỷ lệ đúng hạn theo đơn vị chủ trì",
        title_en="On-time rate per lead unit",
        items=tuple(items),
        note_vi=f"Nhiệm vụ giao từ {start:%d/%m/%Y}: hoàn thành đúng hạn / (đã hoàn thành + quá hạn).",
        note_en=f"Tasks assigned since {start:%d/%m/%Y}: completed on time / (completed + overdue).",
    )
