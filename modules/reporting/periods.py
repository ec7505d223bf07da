"""Reporting periods: their data window, deadline and label, and opening them.

Decree 09/2019 Art. 12 fixes the data cut-off: a monthly report covers the 15th of
the previous month to the 14th of the report month; a quarter, half-year, nine months
or year ends on the 14th of its last month. The cut-off day is the regime's
(`cutoff_day`, 14 by default). The deadline is either a day of the period's last
month or N working days after the cut-off; one that falls on a day off moves to the
next working day (Civil Code Art. 148).

The March and September monthly reports are folded into the Q1 and Q3 reports
(domain.md §2): a monthly regime that folds them (`fold_into_quarters`, on by default)
opens no period for March or September, neither by the scheduler nor by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from modules.engine import registry, services, workdays
from modules.engine.errors import InvalidInput

FREQUENCIES = (
    ("monthly", "Hằng tháng", "Monthly"),
    ("quarterly", "Hằng quý", "Quarterly"),
    ("half_year", "6 tháng", "6-month"),
    ("nine_months", "9 tháng", "9-month"),
    ("annual", "Hằng năm", "Annual"),
    ("ad_hoc", "Đột xuất", "Ad hoc"),
)
# frequency -> (months in a period, periods in a year)
SPANS = {
    "monthly": (1, 12),
    "quarterly": (3, 4),
    "half_year": (6, 2),
    "nine_months": (9, 1),
    "annual": (12, 1),
}
ROMAN = ("I", "II", "III", "IV")
FOLDED_MONTHS = {3: 1, 9: 3}  # month -> the quarter whose report takes its place


def folded_into(regime: Any, index: int) -> int | None:
    """The quarter a monthly period is folded into (March: 1, September: 3), else None."""
    if regime.frequency != "monthly" or not getattr(regime, "fold_into_quarters", True):
        return None
    return FOLDED_MONTHS.get(index)


def folded_message(index: int) -> str:
    quarter = ROMAN[FOLDED_MONTHS[index] - 1]
    return (
        f"Báo cáo tháng {index} được tích hợp vào báo cáo quý {quarter}: không mở kỳ tháng {index} riêng. / "
        f"The month {index} report is folded into the Q{FOLDED_MONTHS[index]} report: no separate period."
    )


@dataclass(frozen=True)
class Window:
    year: int
    index: int
    label: str
    cutoff_from: dt.date
    cutoff_to: dt.date


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def window(
    frequency: str, year: int, index: int, cutoff_day: int = 14, opened_on: dt.date | None = None
) -> Window:
    """The data window of period `index` of `year` (ad hoc: the day it is opened)."""
    if frequency == "ad_hoc":
        day = opened_on or workdays.today()
        return Window(year, index, f"Đột xuất số {index}/{year}", day, day)
    span, count = SPANS[frequency]
    if not 1 <= index <= count:
        raise ValueError(f"period {index} of a {frequency} regime")
    last_month = span * index
    start_year, start_month = _month_shift(year, last_month, -span)
    if frequency == "monthly":
        label = f"Tháng {index}/{year}"
    elif frequency == "quarterly":
        label = f"Quý {ROMAN[index - 1]}/{year}"
    elif frequency == "half_year":
        label = f"{'6 tháng đầu' if index == 1 else '6 tháng cuối'} năm {year}"
    elif frequency == "nine_months":
        label = f"9 tháng năm {year}"
    else:
        label = f"Năm {year}"
    return Window(
        year,
        index,
        label,
        dt.date(start_year, start_month, cutoff_day + 1),
        dt.date(year, last_month, cutoff_day),
    )


def deadline(regime: Any, cutoff_to: dt.date) -> dt.date:
    if regime.deadline_rule == "working_days_after_cutoff":
        return workdays.add_working_days(cutoff_to, max(0, regime.deadline_working_days or 0))
    day = regime.deadline_day or 20
    year, month = cutoff_to.year, cutoff_to.month
    if day <= cutoff_to.day:  # a day before the cut-off means the next month
        year, month = _month_shift(year, month, 1)
    last = (dt.date(*_month_shift(year, month, 1), 1) - dt.timedelta(days=1)).day
    return workdays.next_working_day(dt.date(year, month, min(day, last)))


def current_window(frequency: str, today: dt.date, cutoff_day: int = 14) -> Window | None:
    """The period whose data window holds `today` (None for ad hoc regimes)."""
    if frequency not in SPANS:
        return None
    _, count = SPANS[frequency]
    for year in (today.year, today.year + 1):
        for index in range(1, count + 1):
            found = window(frequency, year, index, cutoff_day)
            if found.cutoff_from <= today <= found.cutoff_to:
                return found
    return None


def previous_window(frequency: str, current: Window, cutoff_day: int = 14) -> Window | None:
    if frequency not in SPANS:
        return None
    _, count = SPANS[frequency]
    if frequency == "nine_months":
        return window(frequency, current.year - 1, 1, cutoff_day)
    year, index = (current.year, current.index - 1) if current.index > 1 else (current.year - 1, count)
    return window(frequency, year, index, cutoff_day)


def form_in_force(regime_id: int) -> Any | None:
    model = registry.model_for("reporting.ReportForm")
    return model.objects.filter(regime_id=regime_id, state="in_force").order_by("-version_no").first()


def reporting_units(regime: Any) -> list[Any]:
    """The regime's reporting units: every unit of its type, plus those listed."""
    units = registry.model_for("org.Unit").objects.all()
    chosen = set(regime.reporting_units.values_list("id", flat=True))
    if regime.reporting_unit_kind:
        chosen |= set(units.filter(kind=regime.reporting_unit_kind).values_list("id", flat=True))
    return list(units.filter(pk__in=chosen).order_by("code"))


def open_period(regime: Any, year: int, index: int, user: Any = None) -> Any:
    """Create period (regime, year, index) through the engine; its submissions follow (hooks)."""
    entity = registry.entity_by_label("reporting.ReportPeriod")
    model = registry.model_for(entity)
    with transaction.atomic():
        period = model(regime=regime, year=year, index=index)
        services.validate_instance(entity, user, period, {})
        return services.save_record(entity, user, period, created=True, expected_version=None)


def open_due_periods(today: dt.date | None = None) -> str:
    """The scheduler's job: open the current period of every automatic regime, once.

    Only the period holding today is opened (and the previous one while its deadline
    has not passed), so a scheduler that was down catches up without opening years of
    periods nobody asked for.
    """
    today = today or workdays.today()
    regimes = registry.model_for("reporting.Regime").objects.filter(is_active=True, auto_open=True)
    periods = registry.model_for("reporting.ReportPeriod").objects
    opened = 0
    for regime in regimes.order_by("id"):
        if regime.frequency not in SPANS or form_in_force(regime.pk) is None:
            continue
        current = current_window(regime.frequency, today, regime.cutoff_day or 14)
        if current is None:
            continue
        candidates = [current]
        previous = previous_window(regime.frequency, current, regime.cutoff_day or 14)
        if previous is not None and deadline(regime, previous.cutoff_to) >= today:
            candidates.insert(0, previous)
        for found in candidates:
            if folded_into(regime, found.index) is not None:
                continue  # March and September: the quarter's report covers them
            if periods.filter(regime=regime, year=found.year, index=found.index).exists():
                continue
            try:
                open_period(regime, found.year, found.index)
                opened += 1
            except (InvalidInput, IntegrityError):  # opened meanwhile by another worker
                continue
    return f"{opened} opened"
