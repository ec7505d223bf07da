"""The one-stop module on the admin dashboard: dossiers in progress, overdue, on-time rate.

"In progress" and "overdue" are the counter board's tiles (`kpis.counter_board`); the
on-time rate and the ranking are `kpis.compute`'s (`dossierKpis`): completed on time over
completed plus late (completed late, or still open past the promised date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.engine import access, registry, workdays
from modules.engine.dashboard import Figure, Panel, Ranked, Ranking, Series, Trend, month_starts
from modules.engine.numbers import vi_number
from modules.org.labels import short_names

from . import figures, kpis, rules

DOSSIER = "onestop.Dossier"
IN_PROGRESS_STATES = figures.IN_PROGRESS_STATES
DECIDED = (rules.DONE_ON_TIME, rules.DONE_LATE, rules.IN_PROGRESS_OVERDUE)
MONTHS = 12


def panels(user: Any) -> Panel | None:
    if not (user.is_superuser or access.has_role_permission(user, registry.entity_by_label(DOSSIER), "view")):
        return None
    today = workdays.today()
    year_start = today.replace(month=1, day=1)
    this_year = {"receipt_date__gte": year_start.isoformat()}
    headline = (
        figures.IN_PROGRESS,
        figures.OVERDUE,
        figures.TRANSFER_LATE,
        Figure(
            key="onestop.on_time_rate",
            label_vi=f"Đúng hạn năm {today.year}",
            label_en=f"On time in {today.year}",
            entity=DOSSIER,
            where={**this_year, "classification__exact": rules.DONE_ON_TIME},
            out_of={**this_year, "classification__in": ",".join(DECIDED)},
            percent=True,
            tone="good",
            help_vi="Hoàn thành đúng hạn / (hoàn thành + quá hạn), hồ sơ nhận trong năm",
            help_en="Completed on time / (completed + late), dossiers received this year",
        ),
    )
    charts = tuple(c for c in (_trend(user, today), _ranking(user, year_start, today)) if c)
    return Panel(figures=headline, charts=charts)


def _trend(user: Any, today: dt.date) -> Trend | None:
    """Each month's rate as it stood at the month's end (`kpis`), so a past month stays put."""
    months = month_starts(today, MONTHS)
    ends = [*(m - dt.timedelta(days=1) for m in months[1:]), today]
    by_month = {m: kpis.totals(user, m, end) for m, end in zip(months, ends, strict=True)}
    if not any(row.on_time + row.late for row in by_month.values()):
        return None

    def rate(month: dt.date) -> float | None:
        return by_month[month].on_time_rate

    return Trend(
        key="onestop.trend",
        title_vi="Tỷ lệ hồ sơ đúng hạn theo tháng nhận",
        title_en="On-time rate by month received",
        labels=tuple(f"{m:%m/%y}" for m in months),
        series=(Series("Đúng hạn", "On time", tuple(rate(m) for m in months), "#16a34a"),),
        percent=True,
    )


def _ranking(user: Any, start: dt.date, end: dt.date) -> Ranking | None:
    rows = kpis.compute(user, start, end)
    names = short_names(r.unit_id for r in rows)
    items = tuple(
        Ranked(
            label=names.get(r.unit_id, r.unit),
            value=r.on_time_rate,
            detail=f"{vi_number(r.on_time)} / {vi_number(r.on_time + r.late)}",
        )
        for r in rows
        if r.on_time_rate is not None
    )
    if not items:
        return None
    backlog = vi_number(kpis.outbox.backlog())
    return Ranking(
        key="onestop.kpis",
        title_vi="Tỷ lệ đúng hạn theo đơn vị xử lý",
        title_en="On-time rate per processing unit",
        items=items,
        note_vi=f"Hồ sơ nhận từ {start:%d/%m/%Y}. Chờ đồng bộ Cổng DVC quốc gia: {backlog}.",
        note_en=f"Dossiers received since {start:%d/%m/%Y}. Waiting for the national portal: {backlog}.",
    )
