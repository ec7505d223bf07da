"""Decree 09/2019 as domain.md §2 gives it: "The March and September monthly reports are
folded into Q1 and Q3." A monthly regime opens no period for March or September, neither
by hand nor by the scheduler; the quarterly regime's Q1 and Q3 periods open as usual."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.engine import registry
from modules.engine.errors import InvalidInput
from modules.reporting import periods
from tests.reporting_helpers import make_form, make_regime, open_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return regime


@pytest.mark.parametrize(("month", "quarter"), [(3, "quý I"), (9, "quý III")])
def test_march_and_september_cannot_be_opened_by_hand(org, monthly, month, quarter):
    with pytest.raises(InvalidInput) as caught:
        open_period(org.admin, monthly, 2026, month)
    [problem] = caught.value.problems
    assert problem.field == "index" and f"báo cáo {quarter}" in problem.message
    assert not registry.model_for("reporting.ReportPeriod").objects.exists()


def test_the_other_months_open(org, monthly):
    for month in (2, 4, 8, 10):
        assert open_period(org.admin, monthly, 2026, month).label == f"Tháng {month}/2026"


def test_the_scheduler_skips_march_and_september(org, monthly):
    rows = registry.model_for("reporting.ReportPeriod").objects.filter(regime=monthly)
    # 01/3/2026 lies in March's window (15/2 - 14/3); February's (15/1 - 14/2, due 20/2) has passed
    periods.open_due_periods(dt.date(2026, 3, 1))
    assert list(rows.values_list("label", flat=True)) == []
    # 16/3/2026: April's window (15/3 - 14/4); March, the previous one, is folded
    periods.open_due_periods(dt.date(2026, 3, 16))
    assert list(rows.values_list("label", flat=True)) == ["Tháng 4/2026"]
    periods.open_due_periods(dt.date(2026, 9, 1))  # September's window (15/8 - 14/9)
    assert sorted(rows.values_list("index", flat=True)) == [4]


def test_the_quarterly_regime_opens_q1_and_q3(org, legal_days):
    regime = make_regime(org.admin, org.office, code="BC-QUY", frequency="quarterly")
    make_form(org.admin, regime)
    assert open_period(org.admin, regime, 2026, 1).label == "Quý I/2026"
    assert open_period(org.admin, regime, 2026, 3).label == "Quý III/2026"


def test_a_regime_may_keep_its_march_report(org, legal_days):
    regime = make_regime(org.admin, org.office, code="BC-T3", fold_into_quarters=False)
    make_form(org.admin, regime)
    assert open_period(org.admin, regime, 2026, 3).label == "Tháng 3/2026"
