"""Backfilling past tasks (hồi tố, seed 003's pain): a province imports its history from a
spreadsheet, one row per task (`backfill_sheet.COLUMNS`).

All or nothing. Every row is read and judged (its cells by `backfill_sheet`, then the very
checks the generated API runs: `services.validate_instance` with the entities' own validate
hooks, links within the clerk's scope) inside ONE transaction; if any row is wrong the whole
transaction is rolled back, so nothing is half-imported, and the clerk gets the report row by
row with each field's error. Each row's writes run in a savepoint, so a refused row never
leaves a part of itself behind for the next row to see. The import is one engine batch
(`engine/batch.py`): a host organisation or investigator named on many rows is judged visible
to the clerk once, by the same rule, not once a row; the unit's stored task codes are read in
one query.

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

    def _pi(self, org: Any, values: dict[str, Any]) -> Any:
        key = (org.pk, fold(values["investigator"]))
        if org.pk not in self.pi_orgs:
            # an organisation's investigators are read once (the first by id wins a name), not
            # once a row: a 5,000-row file would otherwise read them thousands of times
            rows = (
                registry.model_for("stm.PrincipalInvestigator")
                .objects.filter(organisation=org)
                .order_by("id")
            )
            for stored in rows:
                self.pis.setdefault((org.pk, fold(stored.full_name)), stored)
            self.pi_orgs.add(org.pk)
        if key not in self.pis:
            if not (values["degree"] and values["in_field_since"]):
                raise EngineError(PI_FACTS, [FieldProblem("in_field_since", "REQUIRED", PI_FACTS)])
            found = services.create_record(
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
            self.pis[key] = found
        return self.pis[key]

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

    def _existing(self, code: str) -> Any | None:
        return (
            self.contract_model.objects.filter(owner_unit_id=self.unit.pk, task_code=code)
            .select_related("organisation", "investigator")
            .first()
        )

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

    def _write(self, values: dict[str, Any]) -> None:
        org = self._org(values["organisation"], values["tax_code"])
        pi = self._pi(org, values)
        entity = _entity("Contract")
        contract = self.contract_model()
        given = {name: values[name] for name in CONTRACT_FIELDS if values.get(name) is not None}
        deferred = services.apply_values(
            entity,
            self.user,
            contract,
            given
            | {
                "organisation": org.pk,
                "investigator": pi.pk,
            },
        )
        contract.owner_unit_id = self.unit.pk
        # what happened to the task is history, not a step to take again
        contract.state = values["status"]
        contract.disbursed = values["disbursed"] or 0
        contract.rating = values["rating"] or ""
        contract.accepted_on = values["accepted_on"]
        contract.backfilled = True
        services.validate_instance(entity, self.user, contract, deferred)
        services.save_record(
            entity,
            self.user,
            contract,
            created=True,
            expected_version=None,
            reason=f"Nhập hồi tố / Backfill: {self.label}"[:100],
        )
        if values["result_title"]:
            self._result(contract, values)

    def _result(self, contract: Any, values: dict[str, Any]) -> None:
        entity = _entity("TaskResult")
        result = registry.model_for(entity)()
        given = {"contract": contract.pk, "title": values["result_title"]}
        if values["registration_no"]:
            given |= {"registration_no": values["registration_no"], "registered_on": values["registered_on"]}
        deferred = services.apply_values(entity, self.user, result, given)
        result.owner_unit_id = contract.owner_unit_id  # what the write path's owner_from gives
        result.state = "registered" if values["registration_no"] else "draft"
        services.validate_instance(entity, self.user, result, deferred)
        services.save_record(
            entity,
            self.user,
            result,
            created=True,
            expected_version=None,
            reason=f"Nhập hồi tố / Backfill: {self.label}"[:100],
        )

    def row(self, report: Report, line: int, cells: tuple[Any, ...], header: dict[int, Any]) -> None:
        report.rows += 1
        checked = sheet.check_row(line, cells, header)
        code = checked.values.get("task_code")
        if code:
            first = self.codes.setdefault(code, line)
            if first != line:
                checked.add("task_code", TWICE.format(line=first))
        if checked.errors:
            report.refuse(line, code, checked.errors)
            return
        existing = self._existing(code) if code in self.stored else None
        if existing is not None:
            different = self._differences(existing, checked.values)
            if different:
                report.refuse(
                    line, code, {"task_code": [DIFFERENT.format(code=code, fields=", ".join(different))]}
                )
            else:
                report.unchanged += 1
            return
        known = (set(self.orgs), set(self.pis), set(self.pi_orgs))
        try:
            with batch.row():  # a savepoint: a refused row leaves nothing behind
                self._write(checked.values)
        except EngineError as exc:
            # what the row created was rolled back with it: forget it, the next row may create it
            self.orgs = {k: v for k, v in self.orgs.items() if k in known[0]}
            self.pis = {k: v for k, v in self.pis.items() if k in known[1]}
            self.pi_orgs = known[2]
            report.refuse(line, code, _problems_by_column(exc.problems))
            return
        report.created += 1

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
                for line, cells in rows:
                    self.row(report, line, cells, header)
                    if progress is not None and report.rows % 50 == 0:
                        progress(report.rows, max(total, report.rows))
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
