"""A unit's submission: its typed values, their validation, the quality checks, timeliness.

Values are stored as rows (submission, indicator code, number | text | file) and table
cells (submission, code, row, column, value), never as one opaque blob, so the Ministry
can sum, average and query them in SQL. Indicators are keyed by code, which stays
stable across form versions, so a time series spans versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from modules.engine import locks, registry, services, workdays
from modules.engine.dated import refresh_dated
from modules.engine.errors import FieldProblem, InvalidInput, TransitionRefused
from modules.engine.files import refusals as file_refusals

from .forms import (
    CHOICE,
    FILE,
    PERCENT,
    TABLE,
    Indicator,
    evaluate,
    evaluation_order,
    formula_codes,
    indicator_from_row,
)

PENDING, ON_TIME, LATE, MISSING = "pending", "on_time", "late", "missing"
TIMELINESS = (
    (PENDING, "Chưa đến hạn", "Not yet due"),
    (ON_TIME, "Đúng hạn", "On time"),
    (LATE, "Trễ hạn", "Late"),
    (MISSING, "Quá hạn chưa gửi", "Missing"),
)
EDITABLE_STATES = ("draft", "returned")
SUBMITTED_STATES = ("submitted", "resubmitted", "accepted")
CONSISTENCY_TOLERANCE = Decimal("0.01")

NOT_EDITABLE = (
    "Báo cáo đã gửi, chỉ sửa được khi bị trả lại. / "
    "The report was submitted; it can only be changed once returned."
)


def submission_entity() -> Any:
    return registry.entity_by_label("reporting.Submission")


# --- the form behind a submission -------------------------------------------------------


def indicators_of_form(form: Any) -> list[Indicator]:
    rows = form.indicators.all().order_by("position", "id")
    return [
        indicator_from_row({c: getattr(row, c) for c in _INDICATOR_COLUMNS}, position)
        for position, row in enumerate(rows)
    ]


_INDICATOR_COLUMNS = (
    "section",
    "code",
    "label_vi",
    "label_en",
    "kind",
    "unit",
    "required",
    "min_value",
    "max_value",
    "formula",
    "formula_mode",
    "options",
    "aliases",
)


def indicators_of(submission: Any) -> list[Indicator]:
    form = submission.period.form
    return indicators_of_form(form) if form is not None else []


# --- reading and writing values ----------------------------------------------------------


@dataclass
class TableCell:
    row: int
    column: str
    number: Decimal | None = None
    text: str = ""


@dataclass
class Entry:
    """One indicator's value as given by a submitter (GraphQL, the admin page or extraction)."""

    code: str
    number: Decimal | None = None
    text: str | None = None
    cells: list[TableCell] = field(default_factory=list)
    attachment: Any = None  # an uploaded file, for `file` indicators


def current_values(submission: Any) -> dict[str, Any]:
    """code -> Decimal | str | file name, from the stored rows."""
    values: dict[str, Any] = {}
    for row in submission.values.all():
        if row.number is not None:
            values[row.code] = row.number
        elif row.attachment:
            values[row.code] = row.attachment.name
        elif row.text:
            values[row.code] = row.text
    return values


def table_rows(submission: Any) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, dict[int, dict[str, Any]]] = {}
    for cell in submission.table_cells.all().order_by("code", "row", "position"):
        tables.setdefault(cell.code, {}).setdefault(cell.row, {})[cell.column] = (
            cell.number if cell.number is not None else cell.text
        )
    return {code: [rows[r] for r in sorted(rows)] for code, rows in tables.items()}


def _clean_entry(ind: Indicator, entry: Entry) -> tuple[list[FieldProblem], Any]:
    """Field-level problems of one entry, and its typed value (None when blank)."""
    where = f"values.{ind.code}"
    if ind.computed:
        return [
            FieldProblem(where, "READ_ONLY", "Chỉ tiêu tự tính, không nhập. / A computed indicator.")
        ], None
    if ind.numeric:
        if entry.text not in (None, "") and entry.number is None:
            return [FieldProblem(where, "INVALID", "Cần nhập số. / A number is expected.")], None
        value = entry.number
        if value is None:
            return [], None
        try:
            value = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            return [FieldProblem(where, "INVALID", "Cần nhập số. / A number is expected.")], None
        if not value.is_finite():
            return [FieldProblem(where, "INVALID", "Cần nhập số. / A number is expected.")], None
        return [], value
    if ind.kind == TABLE:
        problems = [
            FieldProblem(
                f"{where}.{cell.row}.{cell.column}",
                "INVALID",
                f"Cột không có trong bảng / Unknown column: {cell.column}",
            )
            for cell in entry.cells
            if cell.column not in ind.options
        ]
        return problems, entry.cells
    if ind.kind == FILE:
        return [], entry.attachment
    text = (entry.text or "").strip()
    if ind.kind == CHOICE and text and text not in ind.options:
        return [
            FieldProblem(where, "INVALID", f"Chọn một trong / Choose one of: {'; '.join(ind.options)}")
        ], None
    return [], text or None


def _file_problems(submission: Any, code: str, upload: Any) -> list[FieldProblem]:
    """An uploaded value is judged as every File field is: size, then the kind its bytes show."""
    column = submission.values.model._meta.get_field("attachment")
    return [
        FieldProblem(f"values.{code}", "INVALID", error.message)
        for error in file_refusals(upload, column.accept, column.max_size)
    ]


def bounds_problems(ind: Indicator, value: Decimal | None) -> list[FieldProblem]:
    if value is None or not ind.numeric:
        return []
    where = f"values.{ind.code}"
    low = ind.min_value if ind.min_value is not None else (Decimal(0) if ind.kind == PERCENT else None)
    high = ind.max_value
    if low is not None and value < low:
        return [FieldProblem(where, "TOO_SMALL", f"Giá trị nhỏ hơn {low:g}. / Below the minimum {low:g}.")]
    if high is not None and value > high:
        return [FieldProblem(where, "TOO_LARGE", f"Giá trị lớn hơn {high:g}. / Above the maximum {high:g}.")]
    return []


def save_values(user: Any, submission_id: Any, version: int, entries: Iterable[Entry]) -> Any:
    """Write a submitter's values atomically: all valid, or nothing written.

    Only codes that appear in `entries` change; a blank entry clears its value.
    Computed indicators are recomputed from the result.
    """
    entity = submission_entity()
    with transaction.atomic():
        submission = services.fetch_for(entity, user, submission_id, "change")
        if submission.version != version:
            raise services.StaleVersion(version, submission.version)
        locks.check_fields(entity, user, submission, ("values", "table_cells"))  # the declared lock
        if submission.state not in EDITABLE_STATES:
            raise TransitionRefused(NOT_EDITABLE)
        indicators = {ind.code: ind for ind in indicators_of(submission)}
        problems: list[FieldProblem] = []
        cleaned: dict[str, Any] = {}
        for entry in entries:
            ind = indicators.get(entry.code)
            if ind is None:
                problems.append(
                    FieldProblem(
                        f"values.{entry.code}",
                        "UNKNOWN_FIELD",
                        f"Chỉ tiêu không có trong biểu mẫu / Unknown indicator: {entry.code}",
                    )
                )
                continue
            found, value = _clean_entry(ind, entry)
            if ind.kind == FILE and value is not None and not found:
                found = _file_problems(submission, ind.code, value)
            problems.extend(found or bounds_problems(ind, value if ind.numeric else None))
            cleaned[ind.code] = value
        if problems:
            raise InvalidInput(problems)
        _write_values(submission, indicators, cleaned)
        return services.save_record(
            entity, user, submission, created=False, expected_version=version, reason="values"
        )


def _write_values(submission: Any, indicators: Mapping[str, Indicator], cleaned: Mapping[str, Any]) -> None:
    value_rows, cell_rows = submission.values, submission.table_cells
    value_model, cell_model = value_rows.model, cell_rows.model
    for code, value in cleaned.items():
        ind = indicators[code]
        if ind.kind == TABLE:
            cell_rows.filter(code=code).delete()
            cell_model.objects.bulk_create(
                cell_model(
                    parent=submission,
                    code=code,
                    row=c.row,
                    column=c.column,
                    number=c.number,
                    text=c.text or "",
                    position=i,
                )
                for i, c in enumerate(value or ())
            )
            continue
        existing = value_rows.filter(code=code).first()
        if ind.kind == FILE and value is None and existing is not None and existing.attachment:
            continue  # an untouched file input keeps the stored file
        value_rows.filter(code=code).delete()
        if value is None:
            continue
        row = value_model(parent=submission, code=code, position=ind.position)
        if ind.numeric:
            row.number = value
        elif ind.kind == FILE:
            row.attachment = value
        else:
            row.text = value
        row.save()
    recompute(submission, indicators)


def recompute(submission: Any, indicators: Mapping[str, Indicator]) -> None:
    """Computed indicators from the entered ones, in dependency order."""
    ordered = evaluation_order(indicators.values())
    if not ordered:
        return
    numbers = {code: v for code, v in current_values(submission).items() if isinstance(v, Decimal)}
    value_model = submission.values.model
    for ind in ordered:
        result = evaluate(ind.formula, numbers)
        submission.values.filter(code=ind.code).delete()
        numbers.pop(ind.code, None)
        if result is None:
            continue
        result = result.quantize(Decimal("0.0001"))
        numbers[ind.code] = result
        value_model.objects.create(parent=submission, code=ind.code, number=result, position=ind.position)


# --- quality checks --------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    check: str  # missing | bounds | deviation | consistency
    message: str
    blocking: bool


def previous_values(submission: Any) -> dict[str, Decimal]:
    """The unit's numbers in its latest earlier submitted period of the same regime."""
    model = type(submission)
    earlier = (
        model.objects.filter(
            owner_unit_id=submission.owner_unit_id,
            period__regime_id=submission.period.regime_id,
            period__cutoff_to__lt=submission.period.cutoff_to,
            state__in=SUBMITTED_STATES,
        )
        .order_by("-period__cutoff_to")
        .first()
    )
    if earlier is None:
        return {}
    return {code: v for code, v in current_values(earlier).items() if isinstance(v, Decimal)}


def quality_findings(submission: Any) -> list[Finding]:
    indicators = indicators_of(submission)
    values = current_values(submission)
    tables = table_rows(submission)
    findings: list[Finding] = []
    for ind in indicators:
        present = ind.code in tables if ind.kind == TABLE else values.get(ind.code) not in (None, "")
        if ind.required and not present:
            findings.append(
                Finding(ind.code, "missing", f"Chưa nhập «{ind.label_vi}». / Required value missing.", True)
            )
        value = values.get(ind.code)
        if isinstance(value, Decimal):
            findings.extend(Finding(ind.code, "bounds", p.message, True) for p in bounds_problems(ind, value))
    numbers = {code: v for code, v in values.items() if isinstance(v, Decimal)}
    threshold = Decimal(submission.period.regime.deviation_threshold or 0)
    if threshold > 0:
        before = previous_values(submission)
        for ind in indicators:
            now, then = numbers.get(ind.code), before.get(ind.code)
            if ind.computed or now is None or not then:
                continue
            change = (now - then) / abs(then) * 100
            if abs(change) > threshold:
                findings.append(
                    Finding(
                        ind.code,
                        "deviation",
                        f"«{ind.label_vi}» {'tăng' if change > 0 else 'giảm'} {abs(change):.0f}% "
                        "so với kỳ trước "
                        f"({then:g} → {now:g}), vượt ngưỡng {threshold:g}%. / "
                        f"{abs(change):.0f}% {'up' if change > 0 else 'down'} on the previous period.",
                        False,
                    )
                )
    for ind in indicators:
        if not ind.formula or ind.formula_mode != "check" or ind.code not in numbers:
            continue
        if any(code not in numbers for code in formula_codes(ind.formula)):
            continue
        expected = evaluate(ind.formula, numbers)
        if expected is not None and abs(expected - numbers[ind.code]) > CONSISTENCY_TOLERANCE:
            findings.append(
                Finding(
                    ind.code,
                    "consistency",
                    f"«{ind.label_vi}» = {numbers[ind.code]:g} nhưng {ind.formula} = {expected:g}. / "
                    "The total does not match its parts.",
                    False,
                )
            )
    return findings


def store_findings(submission: Any, findings: list[Finding]) -> None:
    submission.findings.all().delete()
    model = submission.findings.model
    model.objects.bulk_create(
        model(parent=submission, code=f.code, kind=f.check, message=f.message, position=i)
        for i, f in enumerate(findings)
    )
    submission.warnings = sum(1 for f in findings if not f.blocking)


# --- timeliness ------------------------------------------------------------------------


def timeliness_of(
    state: str, deadline: dt.date | None, submitted_at: dt.datetime | None, today: dt.date
) -> str:
    if submitted_at is not None:
        day = timezone.localtime(submitted_at).date()
        return ON_TIME if deadline is None or day <= deadline else LATE
    if deadline is not None and today > deadline:
        return MISSING
    return PENDING


def refresh_timeliness(today: dt.date | None = None) -> str:
    """The scheduler's job: unsent reports past their deadline turn "missing" without a save."""
    today = today or workdays.today()
    stale = (
        registry.model_for(submission_entity())
        .objects.filter(submitted_at__isnull=True, deadline__lt=today)
        .exclude(timeliness=MISSING)
    )
    return refresh_dated(
        "reporting.Submission",
        stale,
        lambda row, day: timeliness_of(row.state, row.deadline, row.submitted_at, day) != row.timeliness,
        today,
        "timeliness",
    )
