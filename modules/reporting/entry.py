"""The data-entry page of a submission in the admin: fill, upload to extract, review, save, submit.

One page serves the submitter and the reviewer. Numbers may be typed as officers write
them ("1.234,5", "1,2 tỷ"), using the extraction module's parser. An uploaded report
(XLSX, DOCX, text PDF) only *proposes* values: they are shown in the form, each with
its confidence and where it was found, and nothing is written until the submitter
presses Save. The extractor runs in a capped child process; a heavy file runs as a
background job and the page shows its progress until the proposals are ready
(`extraction_runs`). Every write goes through `submissions.save_values` (all or nothing,
field-level errors) and the engine's workflow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from modules.engine import access, services
from modules.engine.errors import EngineError, FieldProblem, InvalidInput, NotFound

from . import api, extraction_runs, submissions
from .extraction import ExtractionError, ExtractionResult, IndicatorSpec, parse_number
from .extraction.numbers import convert_money, read_quantity
from .forms import CHOICE, FILE, MONEY, TABLE, TEXT, Indicator

MAX_UPLOAD = 20_000_000
EMPTY_TABLE_ROWS = 3


@dataclass
class Row:
    """One indicator as the page shows it."""

    indicator: Indicator
    value: str = ""
    cells: list[list[str]] = field(default_factory=list)  # table rows, in column order
    file: str = ""
    file_url: str = ""
    comment: str = ""
    errors: list[str] = field(default_factory=list)
    proposal: Any = None


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _rows_from_sheet(sheet: api.SheetView, indicators: dict[str, Indicator]) -> list[Row]:
    rows = []
    for entry in sheet.entries:
        ind = indicators[entry.indicator.code]
        grid: dict[int, dict[str, str]] = {}
        for cell in entry.cells:
            grid.setdefault(cell.row, {})[cell.column] = (
                _fmt(cell.number) if cell.number is not None else cell.text
            )
        rows.append(
            Row(
                indicator=ind,
                value=_fmt(entry.number) if entry.number is not None else (entry.text or ""),
                cells=[[grid[r].get(c, "") for c in ind.options] for r in sorted(grid)],
                file=entry.file or "",
                file_url=entry.file_url or "",
                comment=entry.comment or "",
            )
        )
    return rows


def _entries_from_post(
    request: HttpRequest, rows: list[Row]
) -> tuple[list[submissions.Entry], list[FieldProblem]]:
    entries: list[submissions.Entry] = []
    problems: list[FieldProblem] = []
    for row in rows:
        ind = row.indicator
        if ind.computed:
            continue
        name = f"v_{ind.code}"
        if ind.kind == TABLE:
            cells, grid = [], []
            for r in range(int(request.POST.get(f"{name}_rows", "0") or 0)):
                texts = [request.POST.get(f"{name}_{r}_{c}", "").strip() for c in range(len(ind.options))]
                if not any(texts):
                    continue
                grid.append(texts)
                for column, text in zip(ind.options, texts, strict=True):
                    number = parse_number(text) if text else None
                    cells.append(
                        submissions.TableCell(len(grid), column, number, "" if number is not None else text)
                    )
            row.cells = grid
            entries.append(submissions.Entry(ind.code, cells=cells))
            continue
        if ind.kind == FILE:
            upload = request.FILES.get(name)
            if upload is not None:
                entries.append(submissions.Entry(ind.code, attachment=upload))
            continue
        raw = request.POST.get(name, "").strip()
        row.value = raw
        if ind.kind in (TEXT, CHOICE):
            entries.append(submissions.Entry(ind.code, text=raw))
            continue
        number = typed_number(ind, raw) if raw else None
        if raw and number is None:
            problems.append(
                FieldProblem(f"values.{ind.code}", "INVALID", "Cần nhập số. / A number is expected.")
            )
            continue
        entries.append(submissions.Entry(ind.code, number=number))
    return entries, problems


def typed_number(ind: Indicator, raw: str) -> Decimal | None:
    """A number as typed: "1.234,5", "1,2 tỷ" (money converted into the indicator's unit)."""
    quantity = read_quantity(raw)
    if quantity is None:
        return parse_number(raw)
    if ind.kind == MONEY and quantity.scale is not None and ind.unit:
        converted = convert_money(quantity.value, quantity.unit, ind.unit)
        if converted is not None:
            return converted
    return quantity.value


def _attach(rows: list[Row], problems: list[FieldProblem]) -> list[str]:
    """Put each problem beside its indicator; return the ones about the whole report."""
    by_code = {row.indicator.code: row for row in rows}
    general = []
    for problem in problems:
        parts = (problem.field or "").split(".")
        row = by_code.get(parts[1]) if len(parts) >= 2 and parts[0] == "values" else None
        if row is not None:
            row.errors.append(problem.message)
        else:
            general.append(problem.message)
    return general


def _specs(rows: list[Row]) -> list[IndicatorSpec]:
    return [
        IndicatorSpec(
            code=r.indicator.code,
            label_vi=r.indicator.label_vi,
            label_en=r.indicator.label_en,
            kind=r.indicator.kind,
            unit=r.indicator.unit,
            aliases=r.indicator.aliases,
            choices=r.indicator.options if r.indicator.kind == CHOICE else (),
        )
        for r in rows
        if not r.indicator.computed
    ]


@login_required
@require_http_methods(["GET", "POST"])
def entry_view(request: HttpRequest, submission_id: str) -> HttpResponse:
    try:
        sheet = api.sheet(request.user, submission_id)
        submission = api.visible_submission(request.user, submission_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    indicators = {i.code: i for i in submissions.indicators_of(submission)}
    rows = _rows_from_sheet(sheet, indicators)
    general: list[str] = []
    notes: list[str] = []
    extraction: dict[str, Any] | None = None  # a background extraction still running
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reviewable = may_review(request.user, submission)
    if action in ("return", "accept"):
        if not reviewable:
            general.append("Bạn không duyệt được báo cáo này. / You may not review this report.")
            status = 403
        else:
            try:
                _review(request, submission, action, rows)
            except EngineError as exc:
                general += _attach(rows, exc.problems)
                status = 400
            else:
                messages.success(
                    request,
                    "Đã trả lại báo cáo. / Returned for revision."
                    if action == "return"
                    else "Đã tiếp nhận báo cáo. / Report accepted.",
                )
                return redirect(reverse("reporting-entry", args=[sheet.id]))
    elif action and not sheet.editable:
        general.append(submissions.NOT_EDITABLE)
        status = 403
    elif action == "extract":
        upload = request.FILES.get("report_file")
        if upload is None:
            general.append("Chọn tệp báo cáo (XLSX, DOCX, PDF). / Choose a report file.")
            status = 400
        elif upload.size > MAX_UPLOAD:
            general.append("Tệp quá lớn (tối đa 20 MB). / The file is too large (20 MB at most).")
            status = 400
        else:
            data = upload.read()
            try:
                if extraction_runs.is_heavy(data):  # a job, with its progress on this page
                    job = extraction_runs.start(
                        request.user, submission, data, upload.name, _specs(rows), MAX_UPLOAD
                    )
                    return redirect(f"{reverse('reporting-entry', args=[sheet.id])}?extraction={job.pk}")
                result = extraction_runs.extract_now(data, upload.name, _specs(rows), MAX_UPLOAD)
            except ExtractionError as exc:
                general.append(exc.message)
                status = 400
            else:
                notes = _propose(rows, result, upload.name)
    elif request.method == "GET" and request.GET.get("extraction"):
        job = extraction_runs.job_for(request.user, submission, request.GET["extraction"])
        if job is None:
            general.append("Không tìm thấy lượt trích xuất. / Extraction not found.")
            status = 404
        else:
            extraction, result = extraction_runs.outcome(job)
            if result is not None:
                notes = _propose(rows, result, job.label)
            elif extraction["state"] == "failed":
                general += [
                    f"Trích xuất «{job.label}» không thành công. / Extracting «{job.label}» failed.",
                    extraction["error"],
                ]
    elif action in ("save", "submit"):
        entries, problems = _entries_from_post(request, rows)
        try:
            if problems:
                raise InvalidInput(problems)
            with transaction.atomic():
                saved = submissions.save_values(
                    request.user, sheet.id, int(request.POST.get("version", -1)), entries
                )
                if action == "submit":
                    name = "resubmit" if saved.state == "returned" else "submit"
                    services.fire_transition(
                        submissions.submission_entity(), request.user, saved.pk, name, saved.version
                    )
        except EngineError as exc:
            general += _attach(rows, exc.problems)
            status = 400
        else:
            messages.success(
                request,
                "Đã gửi báo cáo. / Report submitted."
                if action == "submit"
                else "Đã lưu số liệu. / Values saved.",
            )
            return redirect(reverse("reporting-entry", args=[sheet.id]))
    context = {
        **admin.site.each_context(request),
        "title": f"{sheet.number} — {sheet.unit} — {sheet.period}",
        "sheet": sheet,
        "sections": _sections(rows),
        "general": general,
        "reviewable": reviewable,
        "notes": notes,
        "extraction": extraction if extraction and extraction["state"] in ("queued", "running") else None,
        "change_url": reverse("admin:reporting_submission_change", args=[sheet.id]),
    }
    return render(request, "reporting/entry.html", context, status=status)


def _propose(rows: list[Row], result: ExtractionResult, filename: str) -> list[str]:
    """Put each proposal in its row (nothing is saved); the notes above the form."""
    found = {p.code: p for p in result.proposals}
    for row in rows:
        proposal = found.get(row.indicator.code)
        if proposal is not None:
            row.proposal = proposal
            row.value = _fmt(proposal.value)
    return [
        f"Đã đề xuất {len(found)} chỉ tiêu từ «{filename}». Kiểm tra rồi bấm Lưu; "
        f"chưa có gì được ghi. / {len(found)} values proposed; "
        "nothing is saved until you press Save.",
        *result.warnings,
    ]


def may_review(user: Any, submission: Any) -> bool:
    return submission.state in ("submitted", "resubmitted") and access.can(
        user, submissions.submission_entity(), "transition:return_for_revision", submission
    )


def _review(request: HttpRequest, submission: Any, action: str, rows: list[Row]) -> None:
    version = int(request.POST.get("version", -1))
    if action == "accept":
        services.fire_transition(
            submissions.submission_entity(), request.user, submission.pk, "accept", version
        )
        return
    comments = []
    for row in rows:
        text = request.POST.get(f"c_{row.indicator.code}", "").strip()
        row.comment = text
        if text:
            comments.append((row.indicator.code, text))
    general = request.POST.get("comment", "").strip()
    if not general and comments:
        general = "Đề nghị chỉnh sửa theo ý kiến từng chỉ tiêu. / Please revise as commented."
    api.return_with_comments(request.user, submission.pk, version, general, comments)


def _sections(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    sections: list[tuple[str, list[Row]]] = []
    for row in rows:
        if not sections or sections[-1][0] != row.indicator.section:
            sections.append((row.indicator.section, []))
        if row.indicator.kind == TABLE:
            row.cells = row.cells + [[""] * len(row.indicator.options) for _ in range(EMPTY_TABLE_ROWS)]
        sections[-1][1].append(row)
    return sections


def admin_links(submission: Any, user: Any) -> list[dict[str, str]]:
    """The data-entry page, on the submission's admin page."""
    editable = submission.state in submissions.EDITABLE_STATES and access.can(
        user, submissions.submission_entity(), "change", submission
    )
    return [
        {
            "title": "Nhập số liệu / Enter values" if editable else "Xem số liệu / View values",
            "url": reverse("reporting-entry", args=[submission.pk]),
            "icon": "edit_note" if editable else "table_view",
        }
    ]
