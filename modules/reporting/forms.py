"""Report forms as data: indicators, their formulas, and the checks a form must pass to be saved.

An administrator builds a form in the admin as a table of indicators (section, code,
labels, type, unit, required, min/max, formula). Formulas are parsed with Python's
`ast` into a small safe language (codes, numbers, + - * /, parentheses) so that
"A + B + C" (a sum) and "A / B * 100" (a ratio) work, unknown codes and cycles are
refused when the form is saved, and nothing is ever `eval`ed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Any

NUMBER, MONEY, PERCENT, TEXT, CHOICE, TABLE, FILE = (
    "number",
    "money",
    "percent",
    "text",
    "choice",
    "table",
    "file",
)
INDICATOR_KINDS = (
    (NUMBER, "Số", "Number"),
    (MONEY, "Tiền", "Money"),
    (PERCENT, "Tỷ lệ %", "Percent"),
    (TEXT, "Văn bản", "Text"),
    (CHOICE, "Lựa chọn", "Choice"),
    (TABLE, "Bảng", "Table"),
    (FILE, "Tệp", "File"),
)
NUMERIC = (NUMBER, MONEY, PERCENT)
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")


class FormulaError(ValueError):
    pass


@dataclass(frozen=True)
class Indicator:
    """One indicator of a form version, as submitters and checks see it."""

    code: str
    section: str
    label_vi: str
    label_en: str
    kind: str
    unit: str = ""
    required: bool = False
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    formula: str = ""
    formula_mode: str = ""  # "compute" (read-only, computed) or "check" (entered, must match)
    options: tuple[str, ...] = ()  # the choices, or the table's columns
    aliases: tuple[str, ...] = ()
    position: int = 0

    @property
    def computed(self) -> bool:
        return bool(self.formula) and self.formula_mode != "check"

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


def split_list(raw: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (raw or "").split(";") if part.strip())


def indicator_from_row(row: Mapping[str, Any], position: int = 0) -> Indicator:
    return Indicator(
        code=(row.get("code") or "").strip(),
        section=(row.get("section") or "").strip(),
        label_vi=(row.get("label_vi") or "").strip(),
        label_en=(row.get("label_en") or "").strip(),
        kind=row.get("kind") or NUMBER,
        unit=(row.get("unit") or "").strip(),
        required=bool(row.get("required")),
        min_value=row.get("min_value"),
        max_value=row.get("max_value"),
        formula=(row.get("formula") or "").strip(),
        formula_mode=row.get("formula_mode") or "",
        options=split_list(row.get("options")),
        aliases=split_list(row.get("aliases")),
        position=position,
    )


# --- formulas --------------------------------------------------------------------------


_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


@lru_cache(maxsize=1024)
def parse_formula(text: str) -> ast.expr:
    """The formula's expression tree, or FormulaError naming what is not allowed."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"Công thức sai cú pháp / Invalid formula syntax: {text}") from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            continue
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        ):
            continue
        if isinstance(node, ast.Name) and CODE_PATTERN.match(node.id):
            continue
        if isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
            continue
        raise FormulaError(
            "Công thức chỉ gồm mã chỉ tiêu, số và + - * / ( ). / "
            "A formula may only use indicator codes, numbers and + - * / ( )."
        )
    return tree


def formula_codes(text: str) -> set[str]:
    return {node.id for node in ast.walk(parse_formula(text)) if isinstance(node, ast.Name)}


def evaluate(text: str, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """The formula's value; None when an input is missing or a division is by zero."""

    def walk(node: ast.expr) -> Decimal | None:
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return None if inner is None else -inner
        assert isinstance(node, ast.BinOp)
        left, right = walk(node.left), walk(node.right)
        if left is None or right is None:
            return None
        op = type(node.op)
        try:
            if op is ast.Add:
                return left + right
            if op is ast.Sub:
                return left - right
            if op is ast.Mult:
                return left * right
            return left / right
        except (DivisionByZero, InvalidOperation):
            return None

    return walk(parse_formula(text))


def evaluation_order(indicators: Iterable[Indicator]) -> list[Indicator]:
    """Computed indicators, each after the ones it uses (the form was checked for cycles)."""
    computed = {i.code: i for i in indicators if i.computed}
    ordered: list[Indicator] = []
    seen: set[str] = set()

    def visit(code: str) -> None:
        if code in seen or code not in computed:
            return
        seen.add(code)
        for used in sorted(formula_codes(computed[code].formula)):
            visit(used)
        ordered.append(computed[code])

    for code in computed:
        visit(code)
    return ordered


# --- checking a form as it is saved ---------------------------------------------------


def check_indicators(rows: list[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Field-level problems of an indicator table, keyed `indicators.<row>.<column>`."""
    problems: dict[str, list[str]] = {}

    def add(index: int, column: str, message: str) -> None:
        problems.setdefault(f"indicators.{index}.{column}", []).append(message)

    indicators = [indicator_from_row(row, i) for i, row in enumerate(rows)]
    first_row: dict[str, int] = {}
    for i, ind in enumerate(indicators):
        if not CODE_PATTERN.match(ind.code):
            add(
                i,
                "code",
                "Mã chỉ tiêu gồm chữ in hoa, số, dấu _ và bắt đầu bằng chữ. / "
                "A code is capitals, digits and _, starting with a letter.",
            )
        elif ind.code in first_row:
            add(i, "code", f"Mã {ind.code} bị trùng với hàng {first_row[ind.code] + 1}. / Duplicate code.")
        else:
            first_row[ind.code] = i
        if ind.kind == CHOICE and len(ind.options) < 2:
            add(i, "options", "Kiểu lựa chọn cần ít nhất 2 lựa chọn. / A choice needs at least two options.")
        if ind.kind == TABLE and not ind.options:
            add(i, "options", "Kiểu bảng cần khai báo các cột. / A table needs its columns.")
        if ind.min_value is not None and ind.max_value is not None and ind.min_value > ind.max_value:
            add(i, "max_value", "Giá trị tối đa nhỏ hơn tối thiểu. / The maximum is below the minimum.")
        if (ind.min_value is not None or ind.max_value is not None) and not ind.numeric:
            add(i, "min_value", "Chỉ chỉ tiêu dạng số có giới hạn. / Only numeric indicators have bounds.")
        if ind.formula and not ind.numeric:
            add(i, "formula", "Chỉ chỉ tiêu dạng số có công thức. / Only numeric indicators have a formula.")

    kinds = {ind.code: ind.kind for ind in indicators}
    graph: dict[str, set[str]] = {}
    for i, ind in enumerate(indicators):
        if not ind.formula or not ind.numeric:
            continue
        try:
            used = formula_codes(ind.formula)
        except FormulaError as exc:
            add(i, "formula", str(exc))
            continue
        unknown = sorted(code for code in used if code not in kinds)
        if unknown:
            add(i, "formula", f"Mã chưa khai báo / Unknown codes: {', '.join(unknown)}")
            continue
        not_numeric = sorted(code for code in used if kinds[code] not in NUMERIC)
        if not_numeric:
            add(i, "formula", f"Mã không phải dạng số / Not numeric: {', '.join(not_numeric)}")
            continue
        graph[ind.code] = used

    for cycle in _cycles(graph):
        index = first_row[cycle[0]]
        add(index, "formula", "Công thức vòng tròn / Circular formula: " + " → ".join([*cycle, cycle[0]]))
    return problems


def _cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected loop, found by depth-first search."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(code: str) -> None:
        state[code] = 1
        stack.append(code)
        for used in sorted(graph.get(code, ())):
            if state.get(used) == 1:
                found.append(stack[stack.index(used) :])
            elif used not in state:
                visit(used)
        stack.pop()
        state[code] = 2

    for code in sorted(graph):
        if code not in state:
            visit(code)
    return found
