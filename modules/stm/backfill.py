"""Backfilling past tasks (hồi tố, seed 003's pain): a province imports its history from a
spreadsheet, one row per task (`backfill_sheet.COLUMNS`).

All or nothing. Every row is read and judged (its cells by `backfill_sheet`, then the very
checks the generated API runs: `services.build_record` / `validate_instance` with the entities'
own validate hooks, links within the clerk's scope) inside ONE transaction; if any row is wrong
the whole transaction is rolled back, so nothing is half-imported, and the clerk gets the report
row by row with each field's error.

Speed and memory (bench/stm_import.py): the file is streamed in chunks of `CHUNK` rows, each
taken a phase at a time across its rows: every row's cells checked in Python and the chunk's
stored tasks read in one query; host organisations found or created (a few a file);
new investigators judged one by one, then saved in one bulk write; contracts judged one by
one, then saved in one bulk write (`batch.create_many`: numbers in one counter bump, history
rows, object grants and live events as `save_record` writes them); then the results the same
way. Link targets (organisations, investigators, the new contracts) are judged visible to the
clerk in one query a chunk by the link's own rule, not once a row. What stays across chunks is
the file's task codes (duplicates), the organisations and investigators met, and the events
queued for after the commit. A refused row's investigator is forgotten, so a later row naming
it judges it again as the row-at-a-time importer did; as the file is then refused whole, what
the refused rows wrote goes with the transaction.

Re-importing the same file changes nothing: a task is known by its code within the importing
unit (`Contract.task_code`); a row identical to the stored task is "unchanged", a row that
differs is refused naming the differing fields (a stored task is corrected on its own record,
where its history keeps the earlier values), and the host organisation and the investigator
are found again by tax code (else name) and by name within the organisation.

What a backfilled task is: a contract (`backfilled`, no selection dossier) in its final or
current state, with its disbursed total, rating and recognition date as the row says, and its
registered result. It then behaves like any other: the reminders read its dates, the KPIs and
the national export read its rows, part 1's eligibility reads its result and rating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from modules.engine import batch, registry, services
from modules.engine.errors import EngineError, FieldProblem
from modules.engine.search import fold

from . import backfill_sheet as sheet

Progress = Callable[[int, int], None]
MAX_REPORTED = 500  # rows with errors kept in the report (the count is always exact)
CHUNK = 500  # rows read, judged and written together: memory stays that of one chunk
CONTRACT_FIELDS = (
    "task_code",
    "title",
    "task_type",
    "science_field",
    "signed_on",
    "start_on",
    "end_on",
    "state_budget",
    "other_budget",
    "spending_mode",
    "lump_sum_budget",
)
# the contract's field a write-path problem names -> the sheet's column
FIELD_TO_COLUMN = {
    "name": "organisation",  # the host organisation's record
    "full_name": "investigator",  # the investigator's record
    "contract": "result_title",  # the result's rule about its contract
}
DIFFERENT = (
    "Nhiệm vụ mã {code} đã có với giá trị khác ({fields}); sửa trên hợp đồng đó. / "
    "Task {code} exists with other values ({fields}); correct it on that contract."
)
TWICE = "Mã số nhiệm vụ trùng với dòng {line}. / The same task code as row {line}."
PI_FACTS = (
    "Chủ nhiệm mới: cần học vị và năm bắt đầu làm việc trong lĩnh vực. / "
    "A new investigator needs their degree and the date they entered the field."
)
FAILED = "Tệp có lỗi, chưa nhập dòng nào. / The file has errors: no row was imported."


@dataclass
class Report:
    """What the clerk reads: counts, and each refused row with its errors by column."""

    rows: int = 0
    created: int = 0
    unchanged: int = 0
    error_rows: int = 0
    # {"line", "task_code", "problems": [{"column", "label", "message"}]}
    errors: list[dict[str, Any]] = field(default_factory=list)
    file_error: dict[str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.file_error is None and self.error_rows == 0

    def refuse(self, line: int, code: Any, errors: dict[str, list[str]]) -> None:
        self.error_rows += 1
        if len(self.errors) < MAX_REPORTED:
            problems = [
                {"column": column, "label": _label(column), "message": message}
                for column, messages in errors.items()
                for message in messages
            ]
            self.errors.append({"line": line, "task_code": code or "", "problems": problems})

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created if self.ok else 0,
            "unchanged": self.unchanged if self.ok else 0,
            "error_rows": self.error_rows,
            "errors": self.errors,
            "file_error": self.file_error,
            "message": "" if self.ok else (self.file_error or {}).get("message", FAILED),
        }


@dataclass
class _Row:
    """One fresh row of a chunk while its phases run (dropped with the chunk)."""

    line: int
    code: str
    values: dict[str, Any]
    org: Any = None
    pi: Any = None
    new_pi: tuple[int, str] | None = None  # the investigator this row introduced
    contract: Any = None
    result: Any = None
    refused: bool = False


class _Rollback(Exception):
    """Raised to undo the whole import's transaction once a row was refused."""


def _label(column: str) -> str:
    """A column as the clerk reads it (never its code)."""
    spec = sheet.BY_CODE.get(column)
    return spec.title if spec else "Cả dòng / Whole row"


def _entity(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def _problems_by_column(problems: list[FieldProblem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        name = p.field or "row"
        column = name if name in sheet.BY_CODE else FIELD_TO_COLUMN.get(name, name)
        out.setdefault(column, []).append(p.message)
    return out


class Importer:
    """One import by one clerk into one unit; `run` reads the file and answers a Report."""

    def __init__(self, user: Any, unit: Any, label: str = "") -> None:
        self.user = user
        self.unit = unit
        self.label = label or "backfill"
        self.reason = f"Nhập hồi tố / Backfill: {self.label}"[:100]
        self.orgs: dict[str, Any] = {}
        self.pis: dict[tuple[int, str], Any] = {}
        self.pi_orgs: set[int] = set()  # organisations whose stored investigators are in `pis`
        self.codes: dict[str, int] = {}  # task code -> the line that first named it
        self.stored: set[str] = set()  # the unit's task codes before the import (one query)
        self.contract_model = registry.model_for("stm.Contract")

    # --- finding what exists ---------------------------------------------------------------

    def _org(self, name: str, tax_code: str | None) -> Any:
        key = f"mst:{tax_code}" if tax_code else f"ten:{fold(name)}"
        if key not in self.orgs:
            rows = registry.model_for("stm.HostOrganisation").objects.order_by("id")
            found = rows.filter(tax_code=tax_code).first() if tax_code else None
            if found is None:
                found = next(
                    (o for o in rows.filter(name__iexact=name) if not tax_code or not o.tax_code), None
                )
            if found is None:
                found = services.create_record(
                    _entity("HostOrganisation"), self.user, {"name": name, "tax_code": tax_code or ""}
                )
            self.orgs[key] = found
        return self.orgs[key]

    def _load_pis(self, org: Any) -> None:
        """An organisation's stored investigators, read once (the first by id wins a name), not
        once a row: a 5,000-row file would otherwise read them thousands of times."""
        if org.pk in self.pi_orgs:
            return
        rows = registry.model_for("stm.PrincipalInvestigator").objects.filter(organisation=org).order_by("id")
        for stored in rows:
            self.pis.setdefault((org.pk, fold(stored.full_name)), stored)
        self.pi_orgs.add(org.pk)

    def _new_pi(self, org: Any, values: dict[str, Any]) -> Any:
        """A new investigator judged as the write path judges it (saved with its chunk)."""
        if not (values["degree"] and values["in_field_since"]):
            raise EngineError(PI_FACTS, [FieldProblem("in_field_since", "REQUIRED", PI_FACTS)])
        instance, _links, _children = services.build_record(
            _entity("PrincipalInvestigator"),
            self.user,
            {
                "full_name": values["investigator"],
                "organisation": org.pk,
                "degree": values["degree"],
                "science_field": values["science_field"],
                "in_field_since": values["in_field_since"],
            },
        )
        return instance

    # --- one row ---------------------------------------------------------------------------

    def _wanted(self, values: dict[str, Any]) -> dict[str, Any]:
        """The contract's stored values this row stands for (for "unchanged")."""
        wanted = {name: values.get(name) for name in CONTRACT_FIELDS}
        wanted["other_budget"] = wanted["other_budget"] or 0
        wanted["spending_mode"] = wanted["spending_mode"] or "whole"
        wanted["science_field"] = wanted["science_field"] or ""
        wanted |= {
            "state": values["status"],
            "disbursed": values["disbursed"] or 0,
            "rating": values["rating"] or "",
            "accepted_on": values["accepted_on"],
        }
        return wanted

    @staticmethod
    def _same(stored: Any, wanted: Any) -> bool:
        if isinstance(stored, Decimal) or isinstance(wanted, Decimal):
            return Decimal(stored or 0) == Decimal(wanted or 0)
        return (stored or None) == (wanted or None)

    def _differences(self, contract: Any, values: dict[str, Any]) -> list[str]:
        different = [
            sheet.BY_CODE[name].label_vi if name in sheet.BY_CODE else name
            for name, wanted in self._wanted(values).items()
            if not self._same(getattr(contract, name), wanted)
        ]
        if fold(contract.organisation.name) != fold(values["organisation"]):
            different.append(sheet.BY_CODE["organisation"].label_vi)
        if fold(contract.investigator.full_name) != fold(values["investigator"]):
            different.append(sheet.BY_CODE["investigator"].label_vi)
        return different

    def _contract(self, row: _Row) -> Any:
        """The row's contract, judged by the write path's checks (saved with its chunk)."""
        values = row.values
        entity = _entity("Contract")
        contract = self.contract_model()
        given = {name: values[name] for name in CONTRACT_FIELDS if values.get(name) is not None}
        deferred = services.apply_values(
            entity, self.user, contract, given | {"organisation": row.org.pk, "investigator": row.pi.pk}
        )
        contract.owner_unit_id = self.unit.pk
        # what happened to the task is history, not a step to take again
        contract.state = values["status"]
        contract.disbursed = values["disbursed"] or 0
        contract.rating = values["rating"] or ""
        contract.accepted_on = values["accepted_on"]
        contract.backfilled = True
        services.validate_instance(entity, self.user, contract, deferred)
        return contract

    def _result(self, row: _Row) -> Any:
        values = row.values
        entity = _entity("TaskResult")
        result = registry.model_for(entity)()
        given = {"contract": row.contract.pk, "title": values["result_title"]}
        if values["registration_no"]:
            given |= {"registration_no": values["registration_no"], "registered_on": values["registered_on"]}
        deferred = services.apply_values(entity, self.user, result, given)
        result.owner_unit_id = row.contract.owner_unit_id  # what the write path's owner_from gives
        result.state = "registered" if values["registration_no"] else "draft"
        services.validate_instance(entity, self.user, result, deferred)
        return result

    # --- one chunk of rows, a phase at a time ------------------------------------------------

    def _checked(
        self, report: Report, lines: list[tuple[int, tuple[Any, ...]]], header: dict[int, Any]
    ) -> list[_Row]:
        """Each row's cells read and checked (no query), duplicates and stored tasks judged."""
        todo: list[_Row] = []
        for line, cells in lines:
            report.rows += 1
            checked = sheet.check_row(line, cells, header)
            code = checked.values.get("task_code")
            if code:
                first = self.codes.setdefault(code, line)
                if first != line:
                    checked.add("task_code", TWICE.format(line=first))
            if checked.errors:
                report.refuse(line, code, checked.errors)
                continue
            todo.append(_Row(line, code, checked.values))
        known = [row.code for row in todo if row.code in self.stored]
        existing: dict[str, Any] = {}
        if known:
            stored = (
                self.contract_model.objects.filter(owner_unit_id=self.unit.pk, task_code__in=known)
                .select_related("organisation", "investigator")
                .order_by("id")
            )
            for contract in stored:
                existing.setdefault(contract.task_code, contract)
        fresh = []
        for row in todo:
            contract = existing.get(row.code)
            if contract is None:
                fresh.append(row)
                continue
            different = self._differences(contract, row.values)
            if different:
                report.refuse(
                    row.line,
                    row.code,
                    {"task_code": [DIFFERENT.format(code=row.code, fields=", ".join(different))]},
                )
            else:
                report.unchanged += 1
        return fresh

    def _refuse(self, report: Report, row: _Row, exc: EngineError) -> None:
        row.refused = True
        if row.new_pi is not None:  # forget it: the next row naming it judges it again
            self.pis.pop(row.new_pi, None)
        report.refuse(row.line, row.code, _problems_by_column(exc.problems))

    def _save(self, report: Report, name: str, rows: list[_Row], picked: Callable[[_Row], Any]) -> None:
        """One bulk write of a phase (`batch.create_many`). A rule the write itself refuses (a
        before-save hook's) cannot be pinned on one row: each row it carried is refused with it."""
        records = list({id(picked(row)): picked(row) for row in rows}.values())
        try:
            with transaction.atomic():
                batch.create_many(_entity(name), self.user, records, reason=self.reason)
        except EngineError as exc:
            for row in rows:
                self._refuse(report, row, exc)

    def _people(self, report: Report, rows: list[_Row]) -> None:
        """Host organisations (few: found or created one by one) and investigators (many: the
        new ones judged a row at a time, then saved in one bulk write)."""
        for row in rows:
            values = row.values
            try:
                row.org = self._org(values["organisation"], values["tax_code"])
                self._load_pis(row.org)
                key = (row.org.pk, fold(values["investigator"]))
                if key not in self.pis:
                    self.pis[key] = self._new_pi(row.org, values)
                    row.new_pi = key
                row.pi = self.pis[key]
            except EngineError as exc:
                self._refuse(report, row, exc)
        new = [row for row in rows if not row.refused and row.pi.pk is None]
        self._save(report, "PrincipalInvestigator", new, lambda row: row.pi)

    def chunk(self, report: Report, lines: list[tuple[int, tuple[Any, ...]]], header: dict[int, Any]) -> None:
        """Check a chunk's rows, then write it a table at a time: investigators, contracts, results."""
        rows = self._checked(report, lines, header)
        self._people(report, rows)
        rows = [row for row in rows if not row.refused]
        contract = _entity("Contract")
        # each host organisation and investigator judged visible in one query, not one a row
        batch.judge_links(self.user, contract.field("organisation"), [row.org for row in rows])
        batch.judge_links(self.user, contract.field("investigator"), [row.pi for row in rows])
        for row in rows:
            try:
                row.contract = self._contract(row)
            except EngineError as exc:
                self._refuse(report, row, exc)
        rows = [row for row in rows if not row.refused]
        self._save(report, "Contract", rows, lambda row: row.contract)
        rows = [row for row in rows if not row.refused]
        with_result = [row for row in rows if row.values["result_title"]]
        batch.judge_links(
            self.user, _entity("TaskResult").field("contract"), [row.contract for row in with_result]
        )
        for row in with_result:
            try:
                row.result = self._result(row)
            except EngineError as exc:
                self._refuse(report, row, exc)
        self._save(
            report, "TaskResult", [row for row in with_result if not row.refused], lambda row: row.result
        )
        report.created += sum(1 for row in rows if not row.refused)
        # no later row names this chunk's contracts or results: what the batch noted of them goes
        batch.forget("stm.Contract", [row.contract.pk for row in rows])
        batch.forget("stm.TaskResult", [row.result.pk for row in with_result if row.result is not None])

    # --- the file --------------------------------------------------------------------------

    def run(self, data: bytes, progress: Progress | None = None) -> Report:
        report = Report()
        try:
            header, rows, book = sheet.open_rows(data)
        except sheet.SheetError as exc:
            report.file_error = {"code": exc.code, "message": exc.message}
            return report
        total = max((book.worksheets[0].max_row or 1) - 1, 0)
        try:
            # one batch: each link target is judged visible once, not once a row (engine/batch.py)
            with transaction.atomic(), batch.writing():
                self.stored = set(
                    self.contract_model.objects.filter(owner_unit_id=self.unit.pk).values_list(
                        "task_code", flat=True
                    )
                )
                lines: list[tuple[int, tuple[Any, ...]]] = []
                for line, cells in rows:
                    lines.append((line, cells))
                    if len(lines) == CHUNK:
                        self.chunk(report, lines, header)
                        lines = []
                        if progress is not None:
                            progress(report.rows, max(total, report.rows))
                if lines:
                    self.chunk(report, lines, header)
                if not report.ok:
                    raise _Rollback
        except _Rollback:
            pass
        except sheet.SheetError as exc:  # too many rows: found while reading, nothing kept
            report.file_error = {"code": exc.code, "message": exc.message}
        finally:
            book.close()
        if progress is not None:
            progress(report.rows, report.rows)
        return report


def import_file(
    user: Any, unit: Any, data: bytes, label: str = "", progress: Progress | None = None
) -> Report:
    """Check every row, then keep all of them or none (see the module's docstring)."""
    return Importer(user, unit, label).run(data, progress)
