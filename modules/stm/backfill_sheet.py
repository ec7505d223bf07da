"""The backfill spreadsheet (hồi tố): its columns, and each row read and checked on its own.

One row per past task: its contract, dates, budget, status and result. The first row holds
the column titles; each title may be the Vietnamese one, the English one or the code
(diacritics and case ignored), in any order. Cells are read as people type them: dates as
Excel dates, "dd/mm/yyyy" or ISO; amounts as numbers or "1.500.000.000"; choices by code or
by their Vietnamese or English label.

Streaming: openpyxl's read-only mode, one row at a time, so a 5,000-row file costs the memory
of one row. Nothing here touches the database (`backfill.py` judges what needs it).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from modules.engine.search import fold

from .acceptance_rules import FAIL, RATINGS
from .definition import DEGREES
from .definition_part2 import SPENDING_MODES
from .science_fields import FIELDS
from .scoring import TASK_TYPES

MAX_ROWS = 20_000
MAX_COLS = 40
STATUSES = (
    ("active", "Đang thực hiện", "In progress"),
    ("completed", "Đã nghiệm thu, công nhận", "Accepted"),
    ("failed", "Nghiệm thu không đạt", "Not accepted"),
    ("terminated", "Chấm dứt hợp đồng", "Terminated"),
)
ACCEPTED_STATES = ("completed", "failed")


@dataclass(frozen=True)
class Column:
    code: str
    label_vi: str
    label_en: str
    kind: str = "text"  # text, date, money, choice, int
    required: bool = False
    choices: tuple[tuple[str, str, str], ...] = ()
    max_length: int = 255

    @property
    def title(self) -> str:
        return f"{self.label_vi} / {self.label_en}"


COLUMNS: tuple[Column, ...] = (
    Column("task_code", "Mã số nhiệm vụ", "Task code", required=True, max_length=60),
    Column("title", "Tên nhiệm vụ", "Task title", required=True),
    Column("task_type", "Loại nhiệm vụ", "Task type", "choice", True, TASK_TYPES),
    Column("science_field", "Lĩnh vực", "Field", "choice", True, FIELDS),
    Column("organisation", "Tổ chức chủ trì", "Host organisation", required=True),
    Column("tax_code", "Mã số thuế", "Tax code", max_length=20),
    Column("investigator", "Chủ nhiệm", "Principal investigator", required=True, max_length=120),
    Column("degree", "Học vị chủ nhiệm", "Investigator's degree", "choice", False, DEGREES),
    Column(
        "in_field_since", "Chủ nhiệm làm việc trong lĩnh vực từ", "Investigator in the field since", "date"
    ),
    Column("signed_on", "Ngày ký hợp đồng", "Contract signed on", "date"),
    Column("start_on", "Ngày bắt đầu", "Starts on", "date", True),
    Column("end_on", "Ngày kết thúc", "Ends on", "date", True),
    Column("state_budget", "Kinh phí NSNN (đồng)", "State budget (VND)", "money", True),
    Column("other_budget", "Kinh phí khác (đồng)", "Other funding (VND)", "money"),
    Column("disbursed", "Đã cấp (đồng)", "Disbursed (VND)", "money"),
    Column("spending_mode", "Phương thức khoán chi", "Spending mode", "choice", False, SPENDING_MODES),
    Column("lump_sum_budget", "Kinh phí khoán chi từng phần (đồng)", "Partial lump-sum part (VND)", "money"),
    Column("status", "Tình trạng", "Status", "choice", True, STATUSES),
    Column("accepted_on", "Ngày công nhận kết quả", "Recognised on", "date"),
    Column("rating", "Xếp loại nghiệm thu", "Acceptance rating", "choice", False, RATINGS),
    Column("result_title", "Tên kết quả", "Result title"),
    Column("registration_no", "Số giấy chứng nhận đăng ký kết quả", "Result registration no.", max_length=80),
    Column("registered_on", "Ngày đăng ký kết quả", "Result registered on", "date"),
)
BY_CODE = {c.code: c for c in COLUMNS}


@dataclass
class RowCheck:
    """One row as read: its values (typed) and what is wrong with it, field by field."""

    line: int  # the spreadsheet's row number, as the clerk sees it
    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, code: str, message: str) -> None:
        self.errors.setdefault(code, []).append(message)


class SheetError(Exception):
    """The file as a whole cannot be read (not XLSX, no header, a column missing)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _folded_titles(column: Column) -> set[str]:
    return {fold(column.label_vi), fold(column.label_en), fold(column.title), column.code}


def header_map(cells: tuple[Any, ...]) -> dict[int, Column]:
    """Which column each title cell is; SheetError for a required column missing or a title twice."""
    titles = {t: c for c in COLUMNS for t in _folded_titles(c)}
    found: dict[int, Column] = {}
    for index, cell in enumerate(cells[:MAX_COLS]):
        column = titles.get(fold(cell)) if cell is not None else None
        if column is None:
            continue
        if column in found.values():
            raise SheetError(
                "DUPLICATE_COLUMN", f"Cột «{column.title}» có hai lần. / The column appears twice."
            )
        found[index] = column
    missing = [c.title for c in COLUMNS if c.required and c not in found.values()]
    if missing:
        names = "; ".join(missing)
        raise SheetError("MISSING_COLUMN", f"Thiếu cột: {names}. / Columns missing: {names}.")
    return found


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def read_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def read_money(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = str(value).strip().replace(" ", "").replace("đ", "").replace("VND", "")
        if "," in text and "." not in text and text.count(",") == 1 and len(text.split(",")[1]) != 3:
            text = text.replace(",", ".")  # 1,5 (a decimal comma)
        else:
            text = text.replace(".", "").replace(",", "")  # 1.500.000 or 1,500,000
        amount = Decimal(text)
    if amount != amount.to_integral_value() or amount < 0:
        raise ValueError(value)
    return int(amount)


def read_choice(column: Column, value: Any) -> str:
    wanted = fold(value)
    for code, vi, en in column.choices:
        if wanted in (fold(code), fold(vi), fold(en)):
            return code
    raise ValueError(value)


DATE_ERROR = "Ngày không hợp lệ (dd/mm/yyyy). / Invalid date (dd/mm/yyyy)."
MONEY_ERROR = "Số tiền không hợp lệ (số nguyên đồng, không âm). / Invalid amount (whole đồng, not negative)."
REQUIRED = "Bắt buộc nhập. / Required."


def check_row(line: int, cells: tuple[Any, ...], header: dict[int, Column]) -> RowCheck:
    """Read one row: each value typed, each cell's problem named by its column code."""
    row = RowCheck(line, {})
    for index, column in header.items():
        raw = cells[index] if index < len(cells) else None
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            row.values[column.code] = None
            if column.required:
                row.add(column.code, REQUIRED)
            continue
        try:
            if column.kind == "date":
                value: Any = read_date(raw)
            elif column.kind == "money":
                value = read_money(raw)
            elif column.kind == "choice":
                value = read_choice(column, raw)
            else:
                value = str(raw).strip() if not isinstance(raw, float) or raw != int(raw) else str(int(raw))
                if len(value) > column.max_length:
                    row.add(
                        column.code,
                        f"Dài quá {column.max_length} ký tự. / Longer than {column.max_length} characters.",
                    )
                    continue
        except (ValueError, TypeError, InvalidOperation, OverflowError):
            if column.kind == "date":
                row.add(column.code, DATE_ERROR)
            elif column.kind == "money":
                row.add(column.code, MONEY_ERROR)
            else:
                labels = ", ".join(vi for _c, vi, _e in column.choices)
                row.add(column.code, f"Giá trị không có trong danh mục ({labels}). / Not one of the choices.")
            continue
        row.values[column.code] = value
    for column in COLUMNS:
        row.values.setdefault(column.code, None)
    _cross_checks(row)
    return row


def _cross_checks(row: RowCheck) -> None:
    """Rules between a row's cells."""
    v = row.values
    if v["start_on"] and v["end_on"] and v["end_on"] <= v["start_on"]:
        row.add("end_on", "Ngày kết thúc phải sau ngày bắt đầu. / The end date follows the start date.")
    if v["signed_on"] and v["end_on"] and v["signed_on"] > v["end_on"]:
        row.add("signed_on", "Ngày ký sau ngày kết thúc. / Signed after the end.")
    if v["disbursed"] is not None and v["state_budget"] is not None and v["disbursed"] > v["state_budget"]:
        row.add("disbursed", "Đã cấp vượt kinh phí NSNN. / More disbursed than the state budget.")
    status = v["status"]
    if status in ACCEPTED_STATES:
        if not v["accepted_on"]:
            row.add(
                "accepted_on", "Nhiệm vụ đã nghiệm thu cần ngày công nhận. / An accepted task needs the date."
            )
        if not v["rating"]:
            row.add("rating", "Nhiệm vụ đã nghiệm thu cần xếp loại. / An accepted task needs its rating.")
        elif (status == "failed") != (v["rating"] == FAIL):
            row.add(
                "rating",
                "Xếp loại không khớp tình trạng (không đạt ⇔ «Không đạt»). / "
                "The rating does not match the status.",
            )
    elif v["rating"] or v["accepted_on"]:
        row.add("status", "Có xếp loại nhưng tình trạng chưa nghiệm thu. / Rated, but not marked accepted.")
    if v["accepted_on"] and v["start_on"] and v["accepted_on"] < v["start_on"]:
        row.add("accepted_on", "Ngày công nhận trước ngày bắt đầu. / Recognised before it started.")
    if (v["registration_no"] or v["registered_on"]) and not v["result_title"]:
        row.add("result_title", "Kết quả đã đăng ký cần tên. / A registered result needs its title.")
    if v["registration_no"] and not v["registered_on"]:
        row.add("registered_on", "Cần ngày đăng ký. / The registration date is needed.")


def open_rows(data: bytes) -> tuple[dict[int, Column], Iterator[tuple[int, tuple[Any, ...]]], Any]:
    """The header and an iterator of (line, cells) over the non-empty rows; close the third item."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file is the clerk's to fix, not a 500
        raise SheetError(
            "NOT_XLSX", "Không đọc được tệp XLSX. / The file is not a readable XLSX workbook."
        ) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(min_row=1, max_col=MAX_COLS, values_only=True)
    head = next(rows, None)
    if head is None:
        book.close()
        raise SheetError("EMPTY", "Tệp không có dòng nào. / The file has no rows.")
    try:
        header = header_map(tuple(head))
    except SheetError:
        book.close()
        raise

    def body() -> Iterator[tuple[int, tuple[Any, ...]]]:
        for line, cells in enumerate(rows, start=2):
            if line > MAX_ROWS + 1:
                raise SheetError("TOO_MANY_ROWS", f"Quá {MAX_ROWS} dòng. / More than {MAX_ROWS} rows.")
            if cells is None or all(c in (None, "") for c in cells):
                continue
            yield line, tuple(cells)

    return header, body(), book


def write_template(rows: list[dict[str, Any]] | None = None) -> bytes:
    """An XLSX with the header row (and `rows`, by column code): the clerk's template, the demo's file."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ hồi tố")
    sheet.append([c.title for c in COLUMNS])
    for row in rows or ():
        sheet.append([row.get(c.code) for c in COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
