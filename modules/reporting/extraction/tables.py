"""Candidates from grids: a label cell, and the figure its row (or column) gives it.

Layouts handled, as provincial offices send them:

- vertical: "STT | Chỉ tiêu | Đơn vị tính | Số liệu", one indicator a row;
- several value columns under a (merged, stacked) header: "Năm 2023 | Năm 2024: Kế hoạch,
  Thực hiện | Ghi chú". The figure is taken from the column whose header says it is the
  reported one; plan, target, earlier-year, change and note columns are never read;
- sub-items ("Trong đó: - Cấp tỉnh") read with their parent row's label;
- horizontal (transposed): labels across a row, periods down the first column;
- label and figure side by side, several pairs in one row, and no header at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .closing import cut_closing
from .kinds import column_unit, counts_things, is_unit_text, numeric_value, resolve_choice, unit_in_text
from .matcher import MIN_LABEL_SCORE, LabelIndex, Match
from .model import NUMERIC_KINDS, TEXT_KINDS, Candidate, IndicatorSpec
from .normalise import (
    is_child_label,
    negative_cues,
    normalise_label,
    positive_cues,
    strip_child_marker,
    years,
)
from .numbers import Quantity, read_quantity
from .readers import Cell, Grid, Passage

# Words a header cell starts with.
_HEADER_WORDS = tuple(
    normalise_label(w) + " "
    for w in (
        "STT",
        "TT",
        "Số TT",
        "Chỉ tiêu",
        "Nội dung",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Đơn vị",
        "ĐVT",
        "Số liệu",
        "Kết quả",
        "Thực hiện",
        "Kế hoạch",
        "Ghi chú",
        "Năm",
        "Kỳ",
        "Ước",
        "Giá trị",
        "Số lượng",
        "Lũy kế",
        "Luỹ kế",
        "Tỷ lệ",
        "Tỉ lệ",
        "Tỷ trọng",
        "TL",
        "SL",
        "Quý",
        "Tháng",
        "Cùng kỳ",
        "Mã số",
        "Danh mục",
        "Hạng mục",
        "Lĩnh vực",
        "So sánh",
        "TH",
        "KH",
        "Tăng",
        "Giảm",
        "Mục tiêu",
        "Dự kiến",
    )
)
_STT_TEXT = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?$", re.IGNORECASE)

TABLE_SOURCE = 1.0  # a figure next to its label in a table is the most direct reading


@dataclass
class _Info:
    cell: Cell
    qty: Quantity | None
    quality: float
    letters: bool

    @property
    def year_like(self) -> bool:
        q = self.qty
        return bool(q and not q.unit and 1950 <= q.value <= 2100 and q.value == int(q.value)) or (
            self.letters and bool(years(self.cell.text))
        )


def _info(cell: Cell | None) -> _Info | None:
    if cell is None:
        return None
    if cell.number is not None:
        if cell.percent_format:
            value = (cell.number * 100).normalize()
            return _Info(cell, Quantity(value, "%", True, None, False), 1.0, False)
        return _Info(cell, Quantity(cell.number, "", False, None, False), 1.0, False)
    text = cell.text
    letters = any(ch.isalpha() for ch in text)
    qty = read_quantity(text)
    quality = 0.97
    if qty is None and letters:
        # "12 nhiệm vụ (năm 2023: 10)", "850 triệu, tăng 5%": the figure leads, a comment follows.
        head = re.split(r"\s*[(;]|,\s", text, maxsplit=1)[0]
        if head != text:
            qty, quality = read_quantity(head), 0.9
    if qty is not None and _numbered_label(qty):
        qty = None
    return _Info(cell, qty, quality, letters and qty is None)


def _numbered_label(qty: Quantity) -> bool:
    """ "2 Số nhiệm vụ cấp tỉnh": a label with its number, not a figure with its unit."""
    if not qty.unit or qty.percent or qty.scale is not None:
        return False
    return not is_unit_text(qty.unit) and len(qty.unit.split()) > 2


def _first_label(cells: list[_Info]) -> int | None:
    for k, info in enumerate(cells):
        if info.letters and not _STT_TEXT.match(info.cell.text) and not is_unit_text(info.cell.text):
            return k
    return None


def _numbering_columns(rows: list[list[_Info | None]]) -> set[int]:
    """Columns numbering the rows 1, 2, 3, ... (an "STT" column, with or without its header)."""
    seen: dict[int, list[object]] = {}
    for row in rows:
        for info in _distinct(row):
            if info.qty is not None:
                seen.setdefault(info.cell.col, []).append(info.qty.value)
    return {c for c, vals in seen.items() if len(vals) >= 2 and vals == list(range(1, len(vals) + 1))}


def _values_left_of_labels(rows: list[list[_Info | None]]) -> bool:
    """Whether the figures stand to the left of the labels: rows with figures before their label
    and none after it outnumber rows with figures after it (a left "STT" number alone does not count,
    since such tables have their figures after the label too)."""
    left = right = 0
    numbering = _numbering_columns(rows)
    for row in rows:
        cells = _distinct(row)
        k = _first_label(cells)
        if k is None:
            continue
        before = any(i.qty is not None and not i.year_like and i.cell.col not in numbering for i in cells[:k])
        after = any(i.qty is not None for i in cells[k + 1 :])
        if after:
            right += 1
        elif before:
            left += 1
    return left > right


def _key(cell: Cell) -> object:
    """The identity of a cell's content: its merged range, or its own position."""
    return cell.merge if cell.merge is not None else (cell.row, cell.col)


def _distinct(row: Iterable[_Info | None]) -> list[_Info]:
    out: list[_Info] = []
    for info in row:
        if info is None:
            continue
        if out and info.cell.merge is not None and info.cell.merge == out[-1].cell.merge:
            continue
        out.append(info)
    return out


def _is_header_row(row: list[_Info | None]) -> bool:
    cells = _distinct(row)
    if len({normalise_label(i.cell.text) for i in cells}) < 2:
        return False
    if any(i.qty is not None and not i.year_like for i in cells):
        return False
    # Two header words, or one across three columns: "II | Kết quả thực hiện" is a section row.
    marks = sum(
        1
        for i in cells
        if i.year_like or (i.letters and f"{normalise_label(i.cell.text)} ".startswith(_HEADER_WORDS))
    )
    return marks >= 2 or (marks == 1 and len(cells) >= 3)


def _role(header: str) -> str:
    t = normalise_label(header)
    if t in ("stt", "tt", "so tt", "so thu tu", "ma so", "ma", "thu tu"):
        return "stt"
    if t.startswith(("don vi tinh", "dvt")) or t == "don vi":
        return "unit"
    if "ghi chu" in t or t.startswith(("ngay", "thoi gian", "thoi diem", "thoi han", "han ")):
        return "note"  # a note, or a date column ("Ngày cập nhật"): never a figure
    label_words = (
        "chi tieu",
        "noi dung",
        "ten chi tieu",
        "ten ",
        "danh muc",
        "hang muc",
        "linh vuc",
        "tieu chi",
    )
    if (t + " ").startswith(label_words) and not negative_cues(header):
        return "label"
    return "value"


@dataclass
class _Header:
    texts: dict[int, str]
    roles: dict[int, str]
    max_year: int | None


def _build_header(rows: list[list[_Info | None]], indices: list[int]) -> _Header:
    texts: dict[int, str] = {}
    for r in indices:
        for c, info in enumerate(rows[r]):
            if info is None:
                continue
            prev = texts.get(c, "")
            if not prev.endswith(info.cell.text):
                texts[c] = f"{prev} {info.cell.text}".strip()
    roles = {c: _role(t) for c, t in texts.items()}
    ys = [y for c, t in texts.items() if roles[c] == "value" for y in years(t)]
    return _Header(texts, roles, max(ys) if ys else None)


def _preference(context: str, spec: IndicatorSpec, block_year: int | None, doc_year: int | None) -> float:
    """How surely a column (or row) header marks the reported figure; 0 excludes it."""
    if not context:
        return 0.9
    if negative_cues(context, exempt=spec.label_vi):
        return 0.0
    ys = years(context)
    factor = 1.0
    if ys:
        if block_year and max(ys) < block_year:
            return 0.0
        if doc_year and max(ys) < doc_year:
            factor = 0.7
    if "luy ke" in normalise_label(context):
        factor *= 0.85
    return factor * (1.0 if positive_cues(context) else 0.92)


def _label_matches(index: LabelIndex, text: str, parent: str) -> list[Match]:
    """Scores for a label, and for the label read with its parent row's when it is a sub-item."""
    best: dict[str, Match] = {m.spec.code: m for m in index.score(text)}
    if parent and is_child_label(text):
        for m in index.score(f"{parent} {strip_child_marker(text)}"):
            scored = Match(m.spec, m.score * 0.97, m.variant)
            if m.spec.code not in best or scored.score > best[m.spec.code].score:
                best[m.spec.code] = scored
    return sorted(best.values(), key=lambda m: -m.score)


class GridReader:
    """Reads one grid; ``candidates`` and ``passages`` (cells of running text) are the output."""

    def __init__(self, grid: Grid, index: LabelIndex, doc_year: int | None) -> None:
        self.grid = grid
        self.index = index
        self.doc_year = doc_year
        self.rows = [[_info(c) for c in row] for row in grid.rows]
        self.candidates: list[Candidate] = []
        self.passages: list[Passage] = []
        self.header_rows: set[int] = set()
        self.value_left = _values_left_of_labels(self.rows)

    def ambient(self, r: int) -> str:
        unit = ""
        for start, u in self.grid.ambient_units:
            if start <= r:
                unit = u
        return unit

    def read(self) -> None:
        header = _Header({}, {}, None)
        pending: list[int] = []
        parent = ""
        for r, row in enumerate(self.rows):
            if _is_header_row(row):
                pending.append(r)
                self.header_rows.add(r)
                continue
            if pending:
                header = _build_header(self.rows, pending)
                pending = []
                parent = ""
            for label, unit, values in self._segments(row, header):
                text = " ".join(dict.fromkeys(i.cell.text for i in label))
                if values:
                    self._row_candidates(r, label, text, unit, values, header, parent)
                if not is_child_label(text):
                    parent = text
            self._text_candidates(r, row, header)
            self._cell_passages(row, header)
        self._column_candidates()

    # -- rows --------------------------------------------------------------------------

    def _segments(
        self, row: list[_Info | None], header: _Header
    ) -> list[tuple[list[_Info], str, list[_Info]]]:
        """(label cells, unit, value cells) runs of a row; two or more when pairs sit side by side."""
        segs: list[tuple[list[_Info], str, list[_Info]]] = []
        label: list[_Info] = []
        values: list[_Info] = []
        unit = ""
        cells = _distinct(row)
        # "Số liệu | ĐVT | Chỉ tiêu": read right to left, the label first and its figures after it.
        for info in reversed(cells) if self.value_left else cells:
            role = header.roles.get(info.cell.col)
            if role in ("stt", "note"):
                continue
            if role == "unit":
                unit = info.cell.text
                continue
            if not label:
                if self.value_left and role is None and is_unit_text(info.cell.text):
                    # "12 | Số nhiệm vụ cấp tỉnh | nhiệm vụ", read from the right: the unit comes first.
                    unit = unit or info.cell.text
                elif info.letters and not _STT_TEXT.match(info.cell.text) and role != "value":
                    label.append(info)
                continue
            if info.qty is not None:
                values.append(info)
            elif role == "value" and info.letters:
                values.append(info)  # a text in a value column: a text or choice answer
            elif is_unit_text(info.cell.text) and role is None:
                unit = unit or info.cell.text
            elif values or (info.letters and role is None and self._names_indicator(info.cell.text)):
                # A new label: after figures, or one that names an indicator on its own
                # ("Mức độ hoàn thành: | Đạt | Số đơn đăng ký sáng chế: | 14").
                segs.append((label, unit, values))
                label, values, unit = [info], [], ""
            elif info.letters:
                label.append(info)
        if label:
            segs.append((label, unit, values))
        return segs

    def _names_indicator(self, text: str) -> bool:
        found = self.index.score(text)
        return bool(found) and found[0].score >= MIN_LABEL_SCORE

    def _row_candidates(
        self,
        r: int,
        label: list[_Info],
        text: str,
        unit: str,
        values: list[_Info],
        header: _Header,
        parent: str,
    ) -> None:
        for match in _label_matches(self.index, text, parent):
            spec = match.spec
            if spec.kind not in NUMERIC_KINDS or match.score < MIN_LABEL_SCORE:
                continue
            if spec.kind == "money" and counts_things(text):
                continue  # "Số QĐ xử phạt VPHC": decisions counted, not the fines' amount
            penalty = self.index.penalty(text, spec, self.doc_year)
            best: tuple[float, _Info, object] | None = None
            numeric = [v for v in values if v.qty is not None]
            for pos, v in enumerate(numeric):
                assert v.qty is not None
                head = header.texts.get(v.cell.col, "")
                pref = _preference(head, spec, header.max_year, self.doc_year)
                if not head and len(numeric) > 1:
                    pref *= 0.9  # several unlabelled figures: the first is likely, not sure
                if pref == 0:
                    continue
                head_unit = column_unit(head)
                first = head_unit if head_unit == "%" else ""
                units = [v.qty.unit, first, unit, unit_in_text(text), head_unit, self.ambient(r)]
                got = numeric_value(spec, v.qty, units)
                if got is None:
                    continue
                s = pref * got[1] * v.quality * (0.98**pos)
                if best is None or s > best[0]:
                    best = (s, v, got[0])
            if best is None:
                continue
            s, v, value = best
            self.candidates.append(
                Candidate(
                    code=spec.code,
                    value=value,  # type: ignore[arg-type]
                    raw=v.cell.text,
                    location=v.cell.location,
                    matched_label=text,
                    confidence=match.score * penalty * s * TABLE_SOURCE,
                    value_key=("cell", self.grid.order, _key(v.cell)),
                    label_key=("label", self.grid.order, r, label[0].cell.col),
                    order=self.grid.order * 100_000 + r,
                )
            )

    def _text_candidates(self, r: int, row: list[_Info | None], header: _Header) -> None:
        """Text and choice indicators: the label cell, then the next text to its right."""
        cells = _distinct(row)
        for k, info in enumerate(cells):
            if not info.letters or header.roles.get(info.cell.col) in ("unit", "stt", "note", "value"):
                continue
            matches = [m for m in self.index.score(info.cell.text) if m.spec.kind in TEXT_KINDS]
            matches = [m for m in matches if m.score >= MIN_LABEL_SCORE]
            if not matches:
                continue
            answer = next(
                (
                    c
                    for c in cells[k + 1 :]
                    if c.letters and header.roles.get(c.cell.col) not in ("unit", "stt", "note")
                ),
                None,
            )
            if answer is None or any(m.score >= MIN_LABEL_SCORE for m in self.index.score(answer.cell.text)):
                continue
            head = header.texts.get(answer.cell.col, "")
            for m in matches:
                pref = _preference(head, m.spec, header.max_year, self.doc_year)
                if pref == 0:
                    continue
                if m.spec.kind == "choice":
                    got = resolve_choice(answer.cell.text, m.spec.choices)
                    if got is None:
                        continue
                    value, quality = got
                else:
                    value, quality = cut_closing(answer.cell.text), 1.0
                    if not value:
                        continue
                self.candidates.append(
                    Candidate(
                        code=m.spec.code,
                        value=value,
                        raw=answer.cell.text,
                        location=answer.cell.location,
                        matched_label=info.cell.text,
                        confidence=m.score * pref * quality * TABLE_SOURCE,
                        value_key=("cell", self.grid.order, _key(answer.cell)),
                        label_key=("label", self.grid.order, r, info.cell.col),
                        order=self.grid.order * 100_000 + r,
                    )
                )

    def _cell_passages(self, row: list[_Info | None], header: _Header) -> None:
        """Cells that hold a sentence with a figure ("Đã giải ngân 850 triệu đồng") are prose too."""
        for info in _distinct(row):
            if not info.letters or header.roles.get(info.cell.col) == "note":
                continue
            if any(ch.isdigit() for ch in info.cell.text) and len(info.cell.text) > 8:
                self.passages.append(Passage(info.cell.text, [(0, info.cell.location)], self.grid.order))

    # -- columns (transposed tables) ---------------------------------------------------

    def _column_candidates(self) -> None:
        """Labels across a row, figures below them, one row per period: read the reported row."""
        for r, row in enumerate(self.rows):
            labels = [i for i in _distinct(row) if i.letters]
            if len(labels) < 2:
                continue
            for info in labels:
                self._column_candidate(r, info)

    def _column_candidate(self, r: int, info: _Info) -> None:
        c = info.cell.col
        unit = ""
        below: list[tuple[int, _Info]] = []
        for r2 in range(r + 1, len(self.rows)):
            cell = self.rows[r2][c] if c < len(self.rows[r2]) else None
            if cell is None or (info.cell.merge is not None and cell.cell.merge == info.cell.merge):
                continue
            if cell.qty is not None:
                below.append((r2, cell))
            elif is_unit_text(cell.cell.text) or normalise_label(cell.cell.text).startswith("don vi"):
                unit = unit or cell.cell.text
            else:
                break
        if not below:
            return
        matches = [m for m in self.index.score(info.cell.text) if m.spec.kind in NUMERIC_KINDS]
        matches = [m for m in matches if m.score >= MIN_LABEL_SCORE]
        if not matches:
            return
        heads = {r2: self._row_header(r2, c) for r2, _ in below}
        if any(
            self.index.score(h) and self.index.score(h)[0].score >= MIN_LABEL_SCORE for h in heads.values()
        ):
            return  # the rows are indicators: this is a vertical table's header, not a label
        ys = [y for h in heads.values() for y in years(h)]
        block_year = max(ys) if ys else None
        for m in matches:
            spec = m.spec
            if spec.kind == "money" and counts_things(info.cell.text):
                continue
            penalty = self.index.penalty(info.cell.text, spec, self.doc_year)
            best: tuple[float, _Info, object] | None = None
            for pos, (r2, v) in enumerate(below):
                assert v.qty is not None
                pref = _preference(heads[r2], spec, block_year, self.doc_year)
                if pref == 0:
                    continue
                if not positive_cues(heads[r2]) and len(below) > 1:
                    pref *= 0.9
                head_unit = column_unit(heads[r2])
                units = [
                    v.qty.unit,
                    head_unit if head_unit == "%" else "",
                    unit,
                    unit_in_text(info.cell.text),
                    unit_in_text(heads[r2]),
                    self.ambient(r),
                ]
                got = numeric_value(spec, v.qty, units)
                if got is None:
                    continue
                s = pref * got[1] * v.quality * (0.98**pos)
                if best is None or s > best[0]:
                    best = (s, v, got[0])
            if best is None:
                continue
            s, v, value = best
            self.candidates.append(
                Candidate(
                    code=spec.code,
                    value=value,  # type: ignore[arg-type]
                    raw=v.cell.text,
                    location=v.cell.location,
                    matched_label=info.cell.text,
                    confidence=m.score * penalty * s * TABLE_SOURCE,
                    value_key=("cell", self.grid.order, _key(v.cell)),
                    label_key=("label", self.grid.order, r, c),
                    order=self.grid.order * 100_000 + r,
                )
            )

    def _row_header(self, r: int, c: int) -> str:
        texts = [i.cell.text for i in _distinct(self.rows[r][:c]) if i.letters]
        return " ".join(texts)
