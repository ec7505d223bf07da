"""The reporting module on the admin dashboard: the current period at a glance.

The period is the reporting board's (`board.default_period`), so the figures and the
board agree: reports sent out of those expected, sent late, missing. The figures count
the viewer's own units' reports only (an accepted report is shared with every unit, but
a province's officer answers for their own). Below: timeliness over the regime's last
twelve periods, and the national total of the form's first numeric indicator, from
`consolidation` like GraphQL and the XLSX export.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from modules.engine import access
from modules.engine.dashboard import Figure, Panel, Series, Trend
from modules.engine.numbers import vi_number

from . import board, consolidation, submissions

__all__ = ["panels", "vi_number"]  # vi_number: the period summary page formats with it too

SUBMISSION = "reporting.Submission"
PERIODS = 12


def panels(user: Any) -> Panel | None:
    entity = submissions.submission_entity()
    if not (user.is_superuser or access.has_role_permission(user, entity, "view")):
        return None
    period = board.default_period(user)
    if period is None:
        return None
    this = {"period__id__exact": str(period.pk)}
    figures = (
        Figure(
            key="reporting.sent",
            label_vi="Đã gửi",
            label_en="Sent",
            entity=SUBMISSION,
            where={**this, "state__in": ",".join(submissions.SUBMITTED_STATES)},
            out_of=this,
            own_units=True,
            help_vi="Báo cáo đã gửi / số đơn vị phải báo cáo trong kỳ",
            help_en="Reports sent / units due to report this period",
        ),
        Figure(
            key="reporting.late",
            label_vi="Gửi trễ hạn",
            label_en="Sent late",
            entity=SUBMISSION,
            where={**this, "timeliness__exact": submissions.LATE},
            own_units=True,
            tone="warn",
        ),
        Figure(
            key="reporting.missing",
            label_vi="Quá hạn chưa gửi",
            label_en="Missing",
            entity=SUBMISSION,
            where={**this, "timeliness__exact": submissions.MISSING},
            own_units=True,
            tone="bad",
        ),
    )
    charts = tuple(c for c in (_timeliness(user, period), _national_series(user, period)) if c)
    return Panel(
        figures=figures,
        charts=charts,
        subtitle_vi=f"{period.regime.code} · {period.label} · hạn {period.deadline:%d/%m}",
        subtitle_en=f"{period.regime.code} · {period.label} · due {period.deadline:%d/%m}",
    )


def _own(user: Any, rows: Any) -> Any:
    units = access.directory().visible_units_query(user)
    return rows if user.is_superuser or units is None else rows.filter(owner_unit_id__in=units)


def _timeliness(user: Any, period: Any) -> Trend | None:
    rows = _own(user, access.scoped_queryset(user, submissions.submission_entity(), "view"))
    grouped = list(
        rows.filter(period__regime_id=period.regime_id, period__cutoff_to__lte=period.cutoff_to)
        .values("period_id", "period__label", "period__cutoff_to")
        .annotate(
            on_time=Count("id", filter=Q(timeliness=submissions.ON_TIME)),
            late=Count("id", filter=Q(timeliness=submissions.LATE)),
            missing=Count("id", filter=Q(timeliness=submissions.MISSING)),
        )
        .order_by("-period__cutoff_to")[:PERIODS]
    )[::-1]
    if len(grouped) < 2:
        return None
    return Trend(
        key=f"reporting.timeliness.{period.regime_id}",
        title_vi=f"{period.regime.code}: báo cáo theo kỳ",
        title_en=f"{period.regime.code}: reports per period",
        labels=tuple(r["period__label"].replace("Tháng ", "") for r in grouped),
        series=(
            Series("Đúng hạn", "On time", tuple(r["on_time"] for r in grouped), "#16a34a"),
            Series("Trễ hạn", "Late", tuple(r["late"] for r in grouped), "#d97706"),
            Series("Quá hạn chưa gửi", "Missing", tuple(r["missing"] for r in grouped), "#dc2626"),
        ),
        kind="bar",
        stacked=True,
    )


def _national_series(user: Any, period: Any) -> Trend | None:
    """The form's first numeric indicator, summed over accepted reports, per period."""
    if period.form is None:
        return None
    if not user.is_superuser and access.directory().visible_units_query(user) is not None:
        return None  # a national total is for those who answer for every unit
    numeric = [i for i in submissions.indicators_of_form(period.form) if i.numeric][:1]
    if not numeric:
        return None
    indicator = numeric[0]
    points = consolidation.series(user, period.regime_id, indicator.code, last=PERIODS)
    if not points:
        return None
    unit = f" ({indicator.unit})" if indicator.unit else ""
    return Trend(
        key=f"reporting.series.{period.regime_id}",
        title_vi=f"{indicator.label_vi}{unit}",
        title_en=f"{indicator.label_en or indicator.label_vi}{unit}",
        labels=tuple(p.label.replace("Tháng ", "") for p in points),
        series=(
            Series(
                "Tổng các đơn vị",
                "Total of all units",
                tuple(None if p.total is None else float(p.total) for p in points),
                "#2563eb",
            ),
        ),
        note_vi="Tổng các báo cáo đã tiếp nhận. Xuất Excel tại trang kỳ báo cáo.",
        note_en="Total of accepted reports. Excel export on the period's page.",
    )
