"""Periodic reporting: form builder rules, versions, periods, submissions, checks, timeliness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from modules.engine import registry, services
from modules.engine.errors import InvalidInput, PermissionDenied
from modules.reporting import periods, submissions
from modules.reporting.forms import check_indicators, evaluate
from modules.reporting.submissions import Entry
from tests.reporting_helpers import (
    INDICATORS,
    entity,
    fire,
    good_values,
    make_form,
    make_regime,
    open_period,
    submission_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regime(org, legal_days):
    regime = make_regime(org.admin, org.office)
    make_form(org.admin, regime)
    return regime


@pytest.fixture
def period(org, regime):
    return open_period(org.admin, regime)


def fields_of(exc: InvalidInput) -> dict[str, str]:
    return {p.field: p.code for p in exc.problems}


# --- the form builder ----------------------------------------------------------------------


def test_formulas_refuse_unknown_codes_cycles_and_code_injection():
    rows = [
        {"code": "A", "kind": "number", "formula": "B + C"},
        {"code": "B", "kind": "number", "formula": "A * 2"},
        {"code": "C", "kind": "number"},
        {"code": "D", "kind": "number", "formula": "C + MISSING"},
        {"code": "E", "kind": "number", "formula": "__import__('os').system('x')"},
        {"code": "B", "kind": "number"},
        {"code": "lower", "kind": "number"},
    ]
    problems = check_indicators(rows)
    assert any("vòng tròn" in m and "A → B → A" in m for m in problems["indicators.0.formula"])
    assert "MISSING" in problems["indicators.3.formula"][0]
    assert "indicators.4.formula" in problems
    assert "indicators.5.code" in problems  # duplicate
    assert "indicators.6.code" in problems
    assert "indicators.2.formula" not in problems


def test_formula_evaluation_sum_ratio_and_division_by_zero():
    assert evaluate("A + B + C", {"A": Decimal(1), "B": Decimal(2), "C": Decimal("3.5")}) == Decimal("6.5")
    assert evaluate("A / B * 100", {"A": Decimal(1), "B": Decimal(4)}) == Decimal(25)
    assert evaluate("A / B", {"A": Decimal(1), "B": Decimal(0)}) is None
    assert evaluate("A + B", {"A": Decimal(1)}) is None


def test_a_form_with_a_cycle_is_refused_with_field_errors_and_nothing_written(org, legal_days):
    regime = make_regime(org.admin, org.office)
    bad = (
        {"section": "S", "code": "X", "label_vi": "X", "kind": "number", "formula": "Y"},
        {"section": "S", "code": "Y", "label_vi": "Y", "kind": "number", "formula": "X"},
    )
    forms = registry.model_for("reporting.ReportForm").objects
    with pytest.raises(InvalidInput) as caught:
        make_form(org.admin, regime, bad, publish=False)
    assert "indicators.0.formula" in fields_of(caught.value)
    assert not forms.filter(regime=regime).exists()


def test_a_published_form_is_frozen_and_versions_keep_old_periods_meaning(org, regime, period):
    form_entity = entity("reporting.ReportForm")
    first = period.form
    assert first.state == "in_force" and first.version_no == 1
    with pytest.raises(InvalidInput):
        services.update_record(form_entity, org.admin, first.pk, {"title": "Đổi tên"}, first.version)

    from modules.reporting.api import new_form_version

    draft = new_form_version(org.admin, first.pk)
    assert draft.state == "draft" and draft.version_no == 2
    assert draft.indicators.count() == len(INDICATORS)
    rows = [
        {
            c: getattr(r, c)
            for c in (
                "section",
                "code",
                "label_vi",
                "kind",
                "unit",
                "formula",
                "formula_mode",
                "options",
                "required",
            )
        }
        for r in draft.indicators.all()
    ]
    rows.append(
        {
            "section": "V. Đổi mới sáng tạo",
            "code": "STARTUPS",
            "label_vi": "Doanh nghiệp khởi nghiệp",
            "kind": "number",
            "unit": "doanh nghiệp",
        }
    )
    draft = services.update_record(form_entity, org.admin, draft.pk, {"indicators": rows}, draft.version)
    services.fire_transition(form_entity, org.admin, draft.pk, "publish", draft.version)

    first.refresh_from_db()
    assert first.state == "retired"
    november = open_period(org.admin, period.regime, 2026, 11)
    assert november.form_id == draft.pk
    period.refresh_from_db()
    assert period.form_id == first.pk  # October keeps the version it opened with
    codes_oct = {i.code for i in submissions.indicators_of(submission_of(period, org.province_a))}
    codes_nov = {i.code for i in submissions.indicators_of(submission_of(november, org.province_a))}
    assert codes_nov - codes_oct == {"STARTUPS"}


# --- periods -------------------------------------------------------------------------------


def test_cut_off_windows_follow_decree_09():
    oct_ = periods.window("monthly", 2026, 10)
    assert (oct_.cutoff_from, oct_.cutoff_to, oct_.label) == (
        dt.date(2026, 9, 15),
        dt.date(2026, 10, 14),
        "Tháng 10/2026",
    )
    jan = periods.window("monthly", 2026, 1)
    assert jan.cutoff_from == dt.date(2025, 12, 15)
    q3 = periods.window("quarterly", 2026, 3)
    assert (q3.cutoff_from, q3.cutoff_to, q3.label) == (
        dt.date(2026, 6, 15),
        dt.date(2026, 9, 14),
        "Quý III/2026",
    )
    h1 = periods.window("half_year", 2026, 1)
    assert (h1.cutoff_from, h1.cutoff_to) == (dt.date(2025, 12, 15), dt.date(2026, 6, 14))
    nine = periods.window("nine_months", 2026, 1)
    assert (nine.cutoff_from, nine.cutoff_to) == (dt.date(2025, 12, 15), dt.date(2026, 9, 14))
    year = periods.window("annual", 2026, 1)
    assert (year.cutoff_from, year.cutoff_to) == (dt.date(2025, 12, 15), dt.date(2026, 12, 14))
    custom = periods.window("monthly", 2026, 10, cutoff_day=20)
    assert (custom.cutoff_from, custom.cutoff_to) == (dt.date(2026, 9, 21), dt.date(2026, 10, 20))


def test_deadlines_by_day_of_month_or_working_days_skip_days_off(org, legal_days):
    regime = make_regime(org.admin, org.office)
    # 20/12/2026 is a Sunday: the deadline moves to Monday 21/12
    assert periods.deadline(regime, dt.date(2026, 12, 14)) == dt.date(2026, 12, 21)
    regime.deadline_rule, regime.deadline_working_days = "working_days_after_cutoff", 2
    # cut-off Tue 14/4/2026; 2 working days later, not counting the first day: Thu 16/4
    assert periods.deadline(regime, dt.date(2026, 4, 14)) == dt.date(2026, 4, 16)
    # cut-off Fri 14/8/2026 -> Mon 17, Tue 18
    assert periods.deadline(regime, dt.date(2026, 8, 14)) == dt.date(2026, 8, 18)


def test_opening_a_period_creates_one_submission_per_reporting_unit(org, regime, period):
    rows = registry.model_for("reporting.Submission").objects.filter(period=period)
    assert {r.owner_unit_id for r in rows} == {org.province_a.pk, org.province_b.pk}
    assert all(r.state == "draft" and r.deadline == dt.date(2026, 10, 20) for r in rows)
    assert period.label == "Tháng 10/2026" and period.form.state == "in_force"
    with pytest.raises(InvalidInput):
        open_period(org.admin, regime)  # the same period twice


def test_a_regime_without_a_form_in_force_cannot_open_a_period(org, legal_days):
    regime = make_regime(org.admin, org.office, code="BC-X")
    make_form(org.admin, regime, publish=False)
    with pytest.raises(InvalidInput) as caught:
        open_period(org.admin, regime)
    assert "regime" in fields_of(caught.value)


def test_the_scheduler_opens_the_current_period_once_without_flooding(org, regime):
    model = registry.model_for("reporting.ReportPeriod")
    periods.open_due_periods(dt.date(2026, 11, 23))  # in November's window (15/10 - 14/11)? no: December's
    labels = set(model.objects.filter(regime=regime).values_list("label", flat=True))
    # 23/11 lies in December's window (15/11 - 14/12); November's deadline (20/11) has passed
    assert labels == {"Tháng 12/2026"}
    periods.open_due_periods(dt.date(2026, 11, 23))
    assert model.objects.filter(regime=regime).count() == 1
    periods.open_due_periods(dt.date(2026, 12, 16))  # January 2027's window; December still due
    assert set(model.objects.filter(regime=regime).values_list("label", flat=True)) == {
        "Tháng 12/2026",
        "Tháng 1/2027",
    }


# --- values and the workflow ------------------------------------------------------------------


def test_values_are_typed_rows_and_computed_indicators_follow(org, period):
    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, good_values())
    values = submissions.current_values(sub)
    assert values["TASKS_TOTAL"] == Decimal(15)
    assert values["BUDGET_RATE"] == Decimal("61.7250")
    assert values["ASSESSMENT"] == "Tốt"
    assert submissions.table_rows(sub)["ENTERPRISES"] == [
        {"Lĩnh vực": "Công nghệ thông tin", "Số doanh nghiệp": Decimal(4)}
    ]
    value_model = sub.values.model
    assert value_model.objects.filter(parent=sub, code="BUDGET_SPENT").get().number == Decimal("1234.5")


def test_bad_values_give_field_errors_and_write_nothing(org, period):
    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, [Entry("TASKS_NATIONAL", Decimal(2))])
    with pytest.raises(InvalidInput) as caught:
        submissions.save_values(
            org.officer_a,
            sub.pk,
            sub.version,
            [
                Entry("TASKS_NATIONAL", Decimal(9)),  # valid, but must not be written
                Entry("TASKS_PROVINCIAL", Decimal(-1)),  # below the minimum
                Entry("TASKS_TOTAL", Decimal(5)),  # computed
                Entry("ASSESSMENT", text="Xuất sắc"),  # not a choice
                Entry("NOPE", Decimal(1)),  # unknown
                Entry("ENTERPRISES", cells=[submissions.TableCell(1, "Cột lạ", Decimal(1))]),
            ],
        )
    assert fields_of(caught.value) == {
        "values.TASKS_PROVINCIAL": "TOO_SMALL",
        "values.TASKS_TOTAL": "READ_ONLY",
        "values.ASSESSMENT": "INVALID",
        "values.NOPE": "UNKNOWN_FIELD",
        "values.ENTERPRISES.1.Cột lạ": "INVALID",
    }
    sub.refresh_from_db()
    assert submissions.current_values(sub) == {"TASKS_NATIONAL": Decimal(2)}  # no total without both parts


def test_submit_refuses_missing_required_values_field_by_field(org, period):
    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, [Entry("TASKS_NATIONAL", Decimal(2))])
    with pytest.raises(InvalidInput) as caught:
        fire(org.officer_a, sub, "submit")
    assert fields_of(caught.value) == {"values.TASKS_PROVINCIAL": "MISSING", "values.BUDGET_SPENT": "MISSING"}
    sub.refresh_from_db()
    assert sub.state == "draft" and sub.submitted_at is None


def test_quality_checks_flag_deviation_and_inconsistent_totals(org, regime, period):
    august = open_period(org.admin, regime, 2026, 8)  # September folds into Q3: August comes before October
    earlier = submission_of(august, org.province_a)
    earlier = submissions.save_values(org.officer_a, earlier.pk, earlier.version, good_values())
    fire(org.officer_a, earlier, "submit")

    sub = submission_of(period, org.province_a)
    changed = [e for e in good_values() if e.code not in ("BUDGET_SPENT", "PATENTS_CHECKED")]
    changed += [Entry("BUDGET_SPENT", Decimal(5000)), Entry("PATENTS_CHECKED", Decimal(9))]
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, changed)
    sub = fire(org.officer_a, sub, "submit")
    found = {(f.code, f.kind) for f in sub.findings.all()}
    assert found == {("BUDGET_SPENT", "deviation"), ("PATENTS_CHECKED", "consistency")}
    assert sub.warnings == 2 and sub.state == "submitted"


def test_return_with_comments_resubmit_accept_and_sharing(org, period):
    from modules.reporting.api import return_with_comments

    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, good_values())
    sub = fire(org.officer_a, sub, "submit")
    assert not sub.is_shared
    with pytest.raises(PermissionDenied):  # only a reviewer returns a report
        fire(org.officer_a, sub, "return_for_revision", "Xem lại")
    sub.refresh_from_db()
    with pytest.raises(InvalidInput) as locked:  # edits are closed once submitted (the declared lock)
        submissions.save_values(org.officer_a, sub.pk, sub.version, [Entry("PATENTS", Decimal(1))])
    assert {p.code for p in locked.value.problems} == {"LOCKED"}

    reviewer = org.admin
    sub = return_with_comments(
        reviewer, sub.pk, sub.version, "Đề nghị rà soát", [("BUDGET_SPENT", "Kinh phí chưa khớp sổ sách")]
    )
    assert sub.state == "returned"
    assert {(c.code, c.comment) for c in sub.comments.all()} == {
        ("", "Đề nghị rà soát"),
        ("BUDGET_SPENT", "Kinh phí chưa khớp sổ sách"),
    }
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, [Entry("BUDGET_SPENT", Decimal(1500))])
    sub = fire(org.officer_a, sub, "resubmit")
    assert sub.state == "resubmitted" and not sub.is_shared
    sub = fire(reviewer, sub, "accept")
    assert sub.state == "accepted" and sub.is_shared and sub.accepted_at is not None


def test_officers_cannot_accept_their_own_report_or_set_sharing_by_hand(org, period):
    sub = submission_of(period, org.province_a)
    sub = submissions.save_values(org.officer_a, sub.pk, sub.version, good_values())
    sub = fire(org.officer_a, sub, "submit")
    with pytest.raises(Exception) as caught:
        fire(org.officer_a, sub, "accept")
    assert getattr(caught.value, "code", "") in ("PERMISSION_DENIED", "NOT_FOUND")
    with pytest.raises(InvalidInput) as caught:
        services.update_record(
            entity("reporting.Submission"), org.officer_a, sub.pk, {"is_shared": True}, sub.version
        )
    assert fields_of(caught.value) == {"is_shared": "READ_ONLY"}


# --- timeliness ----------------------------------------------------------------------------


def test_timeliness_on_time_late_and_missing_without_a_save(org, period):
    a = submission_of(period, org.province_a)
    b = submission_of(period, org.province_b)
    assert a.deadline == dt.date(2026, 10, 20)
    a = submissions.save_values(org.officer_a, a.pk, a.version, good_values())
    a = fire(org.officer_a, a, "submit")
    expected = submissions.ON_TIME if dt.date.today() <= a.deadline else submissions.LATE
    assert a.timeliness == expected
    assert submissions.timeliness_of("draft", a.deadline, None, dt.date(2026, 10, 20)) == submissions.PENDING
    assert submissions.timeliness_of("draft", a.deadline, None, dt.date(2026, 10, 21)) == submissions.MISSING
    submissions.refresh_timeliness(dt.date(2026, 10, 21))
    b.refresh_from_db()
    assert b.timeliness == submissions.MISSING
    a.refresh_from_db()
    assert a.timeliness == expected


# --- reminders -----------------------------------------------------------------------------


def test_reminders_reuse_the_rules_chase_unsent_reports_and_skip_sent_ones(org, period):
    from modules.reminders.scheduler import run_reminders

    inbox = registry.model_for("reminders.Reminder").objects
    sent = submission_of(period, org.province_b)
    sent = submissions.save_values(org.officer_b, sent.pk, sent.version, good_values())
    fire(org.officer_b, sent, "submit")

    run_reminders(dt.date(2026, 10, 15))  # Thu; the deadline Tue 20/10 is 3 working days away
    mine = inbox.filter(recipient=org.officer_a)
    assert mine.count() == 1
    assert "Tháng 10/2026" in mine.get().title and "còn 3 ngày làm việc" in mine.get().title
    assert not inbox.filter(recipient=org.officer_b).exists()  # province B has sent its report
    run_reminders(dt.date(2026, 10, 15))
    assert inbox.filter(recipient=org.officer_a).count() == 1  # exactly once

    run_reminders(dt.date(2026, 10, 22))  # overdue by 2 working days: the head of the unit too
    assert inbox.filter(recipient=org.head_a).exists()
