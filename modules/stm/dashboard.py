"""The S&T module on the admin dashboard: contracts by stage and ratings as figures (filters on
the contract list, counted over the viewer's scope), and per year the budget committed against
disbursed, from `kpis.compute` (the numbers of `stmKpis` and the live board)."""

from __future__ import annotations

from typing import Any

from modules.engine import access, registry, workdays
from modules.engine.dashboard import Figure, Panel, Ranked, Ranking, Series, Trend

from . import kpis
from .acceptance_rules import EXCELLENT, FAIL

CONTRACT = "stm.Contract"
YEARS = 6
MILLION = 1_000_000


def panel(user: Any) -> Panel | None:
    entity = registry.entity_by_label(CONTRACT)
    if not (user.is_superuser or access.has_role_permission(user, entity, "view")):
        return None
    today = workdays.today()
    figures = (
        Figure(
            key="stm.active",
            label_vi="Đang thực hiện",
            label_en="In progress",
            entity=CONTRACT,
            where={"state__exact": "active"},
        ),
        Figure(
            key="stm.acceptance_overdue",
            label_vi="Quá hạn nộp hồ sơ nghiệm thu",
            label_en="Acceptance dossier overdue",
            entity=CONTRACT,
            where={"state__exact": "active", "acceptance_due__lt": today.isoformat()},
            tone="bad",
            help_vi="Hợp đồng đã kết thúc quá 30 ngày chưa vào nghiệm thu",
            help_en="Ended over 30 days ago, no acceptance yet",
        ),
        Figure(
            key="stm.in_acceptance",
            label_vi="Đang nghiệm thu",
            label_en="In acceptance",
            entity=CONTRACT,
            where={"state__exact": "in_acceptance"},
        ),
        Figure(
            key="stm.excellent",
            label_vi="Xếp loại Xuất sắc",
            label_en="Rated excellent",
            entity=CONTRACT,
            where={"rating__exact": EXCELLENT},
            out_of={"state__in": "completed,failed"},
            tone="good",
        ),
        Figure(
            key="stm.failed",
            label_vi="Không đạt",
            label_en="Not accepted",
            entity=CONTRACT,
            where={"rating__exact": FAIL},
            out_of={"state__in": "completed,failed"},
            tone="warn",
        ),
    )
    rows = kpis.compute(user, today=today)
    years = tuple(range(today.year - YEARS + 1, today.year + 1))
    committed = {y: 0 for y in years}
    disbursed = {y: 0 for y in years}
    for r in rows:
        if r.year in committed:
            committed[r.year] += r.state_budget
            disbursed[r.year] += r.disbursed
    charts: list[Any] = []
    if any(committed.values()):
        charts.append(
            Trend(
                key="stm.budget",
                title_vi="Kinh phí NSNN theo năm bắt đầu (triệu đồng)",
                title_en="State budget by start year (million VND)",
                labels=tuple(str(y) for y in years),
                series=(
                    Series("Cam kết", "Committed", tuple(committed[y] // MILLION for y in years), "#2563eb"),
                    Series("Đã cấp", "Disbursed", tuple(disbursed[y] // MILLION for y in years), "#16a34a"),
                ),
                kind="bar",
            )
        )
    by_unit: dict[str, list[int]] = {}
    for r in rows:
        due_on_time = by_unit.setdefault(r.unit, [0, 0])
        due_on_time[0] += r.acceptance_due
        due_on_time[1] += r.acceptance_on_time
    ranked = tuple(
        Ranked(label=unit, value=round(100 * ok / due, 1), detail=f"{ok} / {due}")
        for unit, (due, ok) in by_unit.items()
        if due
    )
    if len(ranked) > 1:
        charts.append(
            Ranking(
                key="stm.on_time_acceptance",
                title_vi="Nộp hồ sơ nghiệm thu đúng hạn",
                title_en="Acceptance dossiers on time",
                items=ranked,
            )
        )
    return Panel(figures=figures, charts=tuple(charts))
