"""Reporting rules plugged into the generated entities (the only domain code besides the API)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone

from modules.engine import registry, services, workdays
from modules.engine.dated import as_of
from modules.engine.errors import FieldProblem, InvalidInput

from . import events, periods, submissions
from .forms import check_indicators

FORM_FROZEN = (
    "Biểu mẫu đã ban hành không sửa được; hãy tạo phiên bản mới. / "
    "A published form cannot change; make a new version."
)


# --- Regime --------------------------------------------------------------------------


def validate_regime(regime: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if regime.cutoff_day is not None and not 1 <= regime.cutoff_day <= 27:
        problems["cutoff_day"] = ["Ngày chốt từ 1 đến 27. / The cut-off day is 1 to 27."]
    if regime.deadline_rule == "working_days_after_cutoff" and not (regime.deadline_working_days or 0) >= 0:
        problems["deadline_working_days"] = ["Số ngày không âm. / Not negative."]
    if regime.deadline_rule != "working_days_after_cutoff" and not 1 <= (regime.deadline_day or 0) <= 31:
        problems["deadline_day"] = ["Ngày trong tháng từ 1 đến 31. / A day from 1 to 31."]
    return problems


# --- ReportForm ----------------------------------------------------------------------


def _stored_state(instance: Any) -> str | None:
    if instance.pk is None:
        return None
    return type(instance).objects.filter(pk=instance.pk).values_list("state", flat=True).first()


def validate_form(form: Any, user: Any) -> dict[str, list[str]]:
    if _stored_state(form) not in (None, "draft"):
        return {"__all__": [FORM_FROZEN]}
    return {}


def validate_indicators(form: Any, user: Any, field: str, rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    if field != "indicators":
        return {}
    if form is not None and _stored_state(form) not in (None, "draft"):
        return {"__all__": [FORM_FROZEN]}
    return check_indicators(rows)


def before_form_save(form: Any, user: Any, created: bool) -> None:
    if created or not form.version_no:
        latest = type(form).objects.filter(regime_id=form.regime_id).aggregate(n=Max("version_no"))["n"]
        form.version_no = (latest or 0) + 1


def on_publish_form(form: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """The new version comes into force; the one it replaces retires (periods keep theirs)."""
    rows = [
        {c: getattr(r, c) for c in ("code", "kind", "formula", "options", "section", "label_vi")}
        for r in form.indicators.all()
    ]
    if not rows:
        raise InvalidInput(
            [
                FieldProblem(
                    "indicators", "REQUIRED", "Biểu mẫu chưa có chỉ tiêu. / The form has no indicators."
                )
            ]
        )
    problems = check_indicators(rows)
    if problems:
        raise InvalidInput.from_dict(problems)
    form.in_force_from = workdays.today()
    entity = registry.entity_by_label("reporting.ReportForm")
    model = type(form)
    for old in (
        model.objects.select_for_update()
        .filter(regime_id=form.regime_id, state="in_force")
        .exclude(pk=form.pk)
    ):
        old.state = "retired"
        services.save_record(
            entity, user, old, created=False, expected_version=old.version, reason="replaced"
        )


# --- ReportPeriod --------------------------------------------------------------------


def validate_period(period: Any, user: Any) -> dict[str, list[str]]:
    if period.pk is not None or period.regime_id is None:
        return {}
    regime = period.regime
    if regime.frequency in periods.SPANS:
        _, count = periods.SPANS[regime.frequency]
        if not 1 <= (period.index or 0) <= count:
            return {"index": [f"Kỳ từ 1 đến {count}. / A period from 1 to {count}."]}
        if periods.folded_into(regime, period.index) is not None:
            return {"index": [periods.folded_message(period.index)]}
    if periods.form_in_force(regime.pk) is None:
        return {"regime": ["Chế độ chưa có biểu mẫu đang hiệu lực. / The regime has no form in force."]}
    return {}


def before_period_save(period: Any, user: Any, created: bool) -> None:
    if not created:
        return
    regime = period.regime
    window = periods.window(regime.frequency, period.year, period.index, regime.cutoff_day or 14)
    period.label = window.label
    period.cutoff_from, period.cutoff_to = window.cutoff_from, window.cutoff_to
    period.deadline = periods.deadline(regime, window.cutoff_to)
    period.form = periods.form_in_force(regime.pk)


def after_period_save(period: Any, user: Any, created: bool) -> None:
    """Opening a period creates one submission per reporting unit, with its deadline."""
    if not created:
        return
    entity = submissions.submission_entity()
    model = registry.model_for(entity)
    for unit in periods.reporting_units(period.regime):
        row = model(period=period, owner_unit=unit, deadline=period.deadline)
        services.save_record(entity, None, row, created=True, expected_version=None, reason="period opened")


# --- Submission ----------------------------------------------------------------------


def validate_submission(submission: Any, user: Any) -> dict[str, list[str]]:
    return {}


def before_submission_save(submission: Any, user: Any, created: bool) -> None:
    period = submission.period
    if created:
        submission.title = f"{period.regime.name} — {period.label} — {submission.owner_unit.name}"[:255]
        submission.deadline = period.deadline
    previous = (
        None
        if created
        else type(submission).objects.filter(pk=submission.pk).values_list("state", "timeliness").first()
    )
    today = as_of(submission)
    submission.timeliness = submissions.timeliness_of(
        submission.state, submission.deadline, submission.submitted_at, today
    )
    if previous is None or previous != (submission.state, submission.timeliness):
        events.announce(submission)


def on_submit(submission: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """Blocking findings (missing or out-of-range values) refuse the submission, field by field;
    the others (deviation, consistency) are recorded for the submitter and the reviewer."""
    findings = submissions.quality_findings(submission)
    blocking = [f for f in findings if f.blocking]
    if blocking:
        raise InvalidInput([FieldProblem(f"values.{f.code}", f.check.upper(), f.message) for f in blocking])
    submissions.store_findings(submission, findings)
    if submission.submitted_at is None:
        submission.submitted_at = timezone.now()


def on_return(submission: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    """The reviewer's general comment; per-indicator ones are added by `api.return_submission`."""
    submission.comments.all().delete()
    submission.comments.model.objects.create(
        parent=submission, code="", comment=payload["comment"], position=0
    )


def on_accept(submission: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    submission.accepted_at = timezone.now()
