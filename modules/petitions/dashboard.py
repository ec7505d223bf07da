"""The petitions module on the admin dashboard: awaiting an answer, overdue, answered on time.

"Overdue" is `unit_kpis`' late-and-unanswered rule (being handled, past the answer date);
the on-time share and the monthly chart are `compute_stats`' figures (`petitionStats`).
"""

from __future__ import annotations

from typing import Any

from modules.engine import access, workdays
from modules.engine.dashboard import Figure, Panel, Series, Trend

from .api import compute_stats, entity

PETITION = "petitions.Petition"


def panels(user: Any) -> Panel | None:
    if not (user.is_superuser or access.has_role_permission(user, entity(), "view")):
        return None
    today = workdays.today()
    year = {"created_at__year": str(today.year)}
    figures = (
        Figure(
            key="petitions.open",
            label_vi="Chưa có kết quả",
            label_en="Awaiting an answer",
            entity=PETITION,
            where={"state__in": "received,handling"},
        ),
        Figure(
            key="petitions.overdue",
            label_vi="Quá hạn trả lời",
            label_en="Answer overdue",
            entity=PETITION,
            where={"state__exact": "handling", "answer_deadline__lt": today.isoformat()},
            tone="bad",
        ),
        Figure(
            key="petitions.on_time",
            label_vi=f"Trả lời đúng hạn năm {today.year}",
            label_en=f"Answered on time in {today.year}",
            entity=PETITION,
            where={**year, "answered_on_time__exact": "1"},
            out_of={**year, "answered_at__isnull": "False"},
            percent=True,
            tone="good",
            help_vi="Trả lời đúng hạn / đã trả lời, kiến nghị nhận trong năm",
            help_en="Answered on time / answered, petitions received this year",
        ),
    )
    stats = compute_stats(user, today.year)
    months = stats.by_month[: today.month]
    chart = None
    if stats.received:
        chart = Trend(
            key="petitions.stats",
            title_vi=f"Kiến nghị theo tháng năm {today.year}",
            title_en=f"Petitions per month, {today.year}",
            labels=tuple(f"T{m}" for m, _r, _a in months),
            series=(
                Series("Tiếp nhận", "Received", tuple(r for _m, r, _a in months), "#2563eb"),
                Series("Đã trả lời", "Answered", tuple(a for _m, _r, a in months), "#16a34a"),
            ),
            kind="bar",
        )
    return Panel(figures=figures, charts=(chart,) if chart else ())
