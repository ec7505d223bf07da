"""Readers: XLSX, DOCX and PDF brought to one shape, grids of cells and passages of text.

Everything after this module works on :class:`Document` only, so a layout rule (a header
row, a unit column, a sentence) is written once for the three formats. Each cell and each
passage carries a human-readable location, Vietnamese first, for the review screen.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from .model import ExtractionError
from .numbers import read_quantity
from .pdf_rows import row_groups, table_members

MAX_ROWS = 5000  # per sheet or table
MAX_COLS = 60
MAX_CELLS = 250_000  # in all the sheets of a workbook: a report form is far smaller
MAX_PAGES = 300

Progress = Callable[[int, int], None]  # (done, total): called as the reading goes


@dataclass
class Cell:
    text: str
    row: int  # 0-based within its grid
    col: int
    location: str
    merge: object | None = None  # one object per merged range: its cells are one cell
    number: Decimal | None = None  # a native numeric value (XLSX)
    percent_format: bool = False  # XLSX "0.0%": 0.125 is shown as 12.5%


@dataclass
class Grid:
    """A table: an XLSX sheet, a DOCX table, a ruled PDF table or aligned PDF lines."""

    name: str
    rows: list[list[Cell | None]]
    order: int
    # "Đơn vị tính: triệu đồng" written above the table, with the row it starts to apply at.
    ambient_units: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Passage:
    """A paragraph of running text; anchors map character offsets to locations."""

    text: str
    anchors: list[tuple[int, str]]
    order: int

    def location_at(self, offset: int) -> str:
        loc = self.anchors[0][1]
        for start, where in self.anchors:
            if start > offset:
                break
            loc = where
        return loc


@dataclass
class Document:
    format: str
    grids: list[Grid] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_AMBIENT_UNIT = re.compile(r"đơn\s*vị(?:\s*tính)?\s*:\s*(.+)$|đvt\s*:\s*(.+)$", re.IGNORECASE)


def ambient_unit(text: str) -> str:
    """The unit of "Đơn vị tính: triệu đồng" / "ĐVT: tr.đ", or ""."""
    for line in text.splitlines():
        m = _AMBIENT_UNIT.search(line.strip())
        if m:
            return (m.group(1) or m.group(2) or "").strip(" .;)")
    return ""


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").strip()


def _decimal(value: float | int) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    d = Decimal(repr(value))
    # Excel arithmetic leaves 0.30000000000000004: ten decimals are plenty for a report.
    return d.quantize(Decimal("1e-10")).normalize() if d.as_tuple().exponent < -10 else d


# --- XLSX ---------------------------------------------------------------------------------


def read_xlsx(data: bytes, progress: Progress | None = None) -> Document:
    """Sheets streamed row by row (openpyxl's read-only mode): memory follows the rows kept, at
    most MAX_ROWS × MAX_COLS a sheet and MAX_CELLS in all, never the size of the sheet's XML."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _size_from_head  # see there: never the whole sheet to open it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unsupported extensions, data validation, ...
        wb = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=True)
    doc = Document("xlsx")
    try:
        sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        expected = [min(ws.max_row or MAX_ROWS, MAX_ROWS) for ws in sheets]
        total = sum(expected)
        budget = MAX_CELLS
        done = 0
        for order, (ws, rows_expected) in enumerate(zip(sheets, expected, strict=True)):
            merges = _xlsx_merges(wb, ws)

            def tick(r: int, base: int = done, most: int = rows_expected) -> None:
                if progress is not None:
                    progress(base + min(r, most), total)

            rows, truncated, used = _xlsx_rows(ws, merges, budget, get_column_letter, tick)
            done += rows_expected
            tick(rows_expected, done - rows_expected)
            budget -= used
            if truncated:
                doc.warnings.append(
                    f"Trang tính '{ws.title}' quá lớn, chỉ đọc {len(rows)} hàng, {MAX_COLS} cột đầu / "
                    f"sheet '{ws.title}' truncated"
                )
            grid = Grid(f"Trang tính '{ws.title}'", rows, order)
            for row in rows:
                for cell in row:
                    if cell and cell.number is None and (unit := ambient_unit(cell.text)):
                        grid.ambient_units.append((cell.row, unit))
            doc.grids.append(grid)
            if budget <= 0:
                break
    finally:
        wb.close()
    return doc


def _xlsx_rows(
    ws: Any,
    merges: dict[tuple[int, int], tuple[int, int]],
    budget: int,
    col_letter: Any,
    tick: Callable[[int], None],
) -> tuple[list[list[Cell | None]], bool, int]:
    """The sheet's rows as cells, the merged ranges' cells taking their first cell's value."""
    origins = set(merges.values())
    kept: dict[tuple[int, int], Any] = {}  # the first cell of each merged range, once read
    rows: list[list[Cell | None]] = []
    truncated = False
    used = 0
    for r, xl_row in enumerate(ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=MAX_COLS + 1), start=1):
        if r > MAX_ROWS or used >= budget:
            truncated = truncated or any(c.value is not None for c in xl_row)
            break
        out: list[Cell | None] = []
        for c, xl_cell in enumerate(xl_row, start=1):
            if c > MAX_COLS:
                truncated = truncated or xl_cell.value is not None
                break
            if (r, c) in origins:
                kept[(r, c)] = xl_cell
            o = merges.get((r, c))
            src = kept.get(o, xl_cell) if o and o != (r, c) else xl_cell
            out.append(_xlsx_cell(src, r - 1, c - 1, ws.title, o, col_letter, (r, c)))
        used += len(out)
        rows.append(out)
        if r % 250 == 0:
            tick(r)
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell is not None), default=0)
    return [row[:width] + [None] * (width - len(row)) for row in rows], truncated, used


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]+)"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def _size_from_head(ws: Any) -> None:
    """The sheet's `<dimension>`, looked for only before its data starts.

    openpyxl's read-only sheet reads its size when opened with `iterparse`, which reports
    `sheetData` only at its end: a sheet without a dimension tag (a crafted one, or some
    generators') was parsed whole, building a tree of every row, before a single row was read.
    """
    from openpyxl.utils import range_boundaries

    head = b""
    with ws._get_source() as part:
        while len(head) < 4 << 20 and (chunk := part.read(1 << 16)):
            head += chunk
            data_at = _SHEET_DATA.search(head)
            if data_at:
                head = head[: data_at.start()]
                break
    found = _DIMENSION.search(head)
    if found:
        with contextlib.suppress(ValueError, TypeError):
            ws._min_column, ws._min_row, ws._max_column, ws._max_row = range_boundaries(found[1].decode())


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _xlsx_merges(wb: Any, ws: Any) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) → the first cell of its merged range, within the rows and columns read.

    Read-only openpyxl gives no merged ranges; they are `<mergeCell ref="A1:D2"/>` elements
    after the sheet's data, found here by streaming the part through a pattern (markup only:
    a "<" inside text is always escaped), in chunks, so a huge sheet costs no memory."""
    from openpyxl.utils import column_index_from_string

    merges: dict[tuple[int, int], tuple[int, int]] = {}
    tail = b""
    with wb._archive.open(ws._worksheet_path) as part:  # the sheet's own XML part
        while chunk := part.read(1 << 20):
            text = tail + chunk
            last = 0
            first = text.find(b"mergeCell")  # a plain search first: the pattern is slow on rows
            for m in _MERGE_CELL.finditer(text, max(first - 40, 0)) if first >= 0 else ():
                last = m.end()
                col0, row0 = column_index_from_string(m[1].decode()), int(m[2])
                col1, row1 = (column_index_from_string(m[3].decode()), int(m[4])) if m[3] else (col0, row0)
                for r in range(row0, min(row1, MAX_ROWS) + 1):
                    for c in range(col0, min(col1, MAX_COLS) + 1):
                        merges[(r, c)] = (row0, col0)
            tail = text[max(last, len(text) - 200) :]
    return merges


def _xlsx_cell(
    src: Any, r: int, c: int, sheet: str, origin: Any, col_letter: Any, at: tuple[int, int]
) -> Cell | None:
    value = src.value
    if value is None or isinstance(value, bool):
        return None
    row, col = origin or at  # read-only cells may not know their place; a merged one reads as its first
    where = f"Trang tính '{sheet}', ô {col_letter(col)}{row}"
    merge = ("xlsx", sheet, origin) if origin else None
    if isinstance(value, int | float):
        number = _decimal(value)
        pct = "%" in (src.number_format or "")
        return Cell(_xlsx_number_text(number, pct), r, c, where, merge, number, pct)
    if hasattr(value, "isoformat"):
        return Cell(value.isoformat(), r, c, where, merge)
    text = _nfc(str(value))
    return Cell(text, r, c, where, merge) if text else None


def _xlsx_number_text(number: Decimal, percent: bool) -> str:
    return f"{number * 100:f}%" if percent else f"{number:f}"


# --- DOCX ---------------------------------------------------------------------------------


def read_docx(data: bytes, progress: Progress | None = None) -> Document:
    import docx
    from docx.table import Table

    document = docx.Document(BytesIO(data))
    doc = Document("docx")
    para_no = table_no = order = 0
    recent: list[str] = []
    total = len(document.element.body)
    for block in document.iter_inner_content():
        order += 1
        if progress is not None and order % 100 == 0:
            progress(min(order, total), total)
        if isinstance(block, Table):
            table_no += 1
            grid = _docx_grid(block, table_no, order)
            for text in recent[-3:]:
                if unit := ambient_unit(text):
                    grid.ambient_units.append((-1, unit))
            for row in grid.rows:
                for cell in row:
                    if cell and (unit := ambient_unit(cell.text)):
                        grid.ambient_units.append((cell.row, unit))
            doc.grids.append(grid)
            recent = []
            continue
        text = _nfc(block.text)
        if not text:
            continue
        para_no += 1
        recent.append(text)
        doc.passages.append(Passage(text, [(0, f"Đoạn {para_no}")], order))
    return doc


def _docx_grid(table: Any, table_no: int, order: int) -> Grid:
    rows: list[list[Cell | None]] = []
    keep: list[Any] = []  # cell proxies stay alive so that identity marks merged cells
    for r, row in enumerate(table.rows[:MAX_ROWS]):
        out: list[Cell | None] = []
        for c, cell in enumerate(list(row.cells)[:MAX_COLS]):
            keep.append(cell)
            text = _nfc("\n".join(p.text for p in cell.paragraphs))
            if not text:
                out.append(None)
                continue
            out.append(Cell(text, r, c, f"Bảng {table_no}, hàng {r + 1}, cột {c + 1}", cell._tc))
        rows.append(out)
    return Grid(f"Bảng {table_no}", rows, order)


# --- PDF ----------------------------------------------------------------------------------


@dataclass
class _Line:
    words: list[dict[str, Any]]
    top: float
    bottom: float
    number: int  # 1-based line number on the page

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w["bottom"] - w["top"] for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        return self.words[-1]["x1"]

    def segments(self) -> list[list[dict[str, Any]]]:
        """Runs of words separated by gaps wider than a character's height: aligned columns."""
        gap = max(self.size * 1.0, 6.0)
        segs: list[list[dict[str, Any]]] = [[self.words[0]]]
        for w in self.words[1:]:
            if w["x0"] - segs[-1][-1]["x1"] > gap:
                segs.append([w])
            else:
                segs[-1].append(w)
        return segs


def _lines(words: list[dict[str, Any]]) -> list[_Line]:
    lines: list[_Line] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(w["top"] - lines[-1].top) <= max(2.0, (w["bottom"] - w["top"]) * 0.3):
            lines[-1].words.append(w)
            lines[-1].bottom = max(lines[-1].bottom, w["bottom"])
        else:
            lines.append(_Line([w], w["top"], w["bottom"], 0))
    for i, line in enumerate(lines, start=1):
        line.words.sort(key=lambda w: w["x0"])
        line.number = i
    return lines


def read_pdf(data: bytes, progress: Progress | None = None) -> Document:
    import pdfplumber

    doc = Document("pdf")
    order = 0
    any_text = False
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as exc:
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise ExtractionError(
                "unsupported", "Tệp PDF có mật khẩu / the PDF is password-protected"
            ) from exc
        raise
    with pdf:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            doc.warnings.append(f"Chỉ đọc {MAX_PAGES} trang đầu / only the first {MAX_PAGES} pages were read")
        for pno, page in enumerate(pages[:MAX_PAGES], start=1):
            if progress is not None:
                progress(pno - 1, min(len(pages), MAX_PAGES))
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            for w in words:
                w["text"] = unicodedata.normalize("NFC", w["text"])
            if not words:
                continue
            any_text = True
            lines = _lines(words)
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for k, table in enumerate(tables, start=1):
                order += 1
                doc.grids.append(_pdf_table_grid(table.extract(), pno, k, order))
                above = [ln for ln in lines if ln.bottom <= table.bbox[1]][-3:]
                for ln in above:
                    if unit := ambient_unit(ln.text):
                        doc.grids[-1].ambient_units.append((-1, unit))
            free = [ln for ln in lines if not any(_inside(ln, b) for b in boxes)]
            order = _pdf_free_lines(doc, free, pno, order)
            page.close()  # its parsed objects go: memory follows one page, not the document
    if not any_text:
        raise ExtractionError(
            "no_text",
            "Tệp PDF không có lớp văn bản (bản quét?); hãy tải lên bản PDF xuất từ Word/Excel "
            "hoặc tệp XLSX/DOCX / the PDF has no text layer (a scan?); "
            "upload a PDF exported from Word/Excel, or the XLSX/DOCX",
        )
    return doc


def _inside(line: _Line, bbox: tuple[float, float, float, float]) -> bool:
    mid = (line.top + line.bottom) / 2
    return bbox[1] - 1 <= mid <= bbox[3] + 1 and line.x0 >= bbox[0] - 2 and line.x1 <= bbox[2] + 2


def _pdf_table_grid(table: list[list[str | None]], pno: int, k: int, order: int) -> Grid:
    rows: list[list[Cell | None]] = []
    for r, raw_row in enumerate(table[:MAX_ROWS]):
        out: list[Cell | None] = []
        for c, text in enumerate(raw_row[:MAX_COLS]):
            where = f"Trang {pno}, bảng {k}, hàng {r + 1}, cột {c + 1}"
            if text is None:
                # pdfplumber leaves None where a merged cell spans: it is its left (or upper) neighbour.
                left = out[c - 1] if c else None
                up = rows[r - 1][c] if r and c < len(rows[r - 1]) else None
                src = left or up
                out.append(Cell(src.text, r, c, src.location, src.merge) if src else None)
                continue
            text = _nfc(text.replace("\n", " "))
            out.append(Cell(text, r, c, where, ("pdf", pno, k, r, c)) if text else None)
        rows.append(out)
    return Grid(f"Trang {pno}, bảng {k}", rows, order)


_STARTS_BLOCK = re.compile(r"^\s*(?:[-+–•*]\s|[IVX]+\.\s|\d+(?:\.\d+)*\.?\s|[a-zđ]\)\s)")


def _pdf_free_lines(doc: Document, lines: list[_Line], pno: int, order: int) -> int:
    """Aligned multi-column lines become a grid; the rest are joined into paragraphs."""
    if not lines:
        return order
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    block: list[_Line] = []
    para: list[_Line] = []

    def flush_block() -> None:
        nonlocal order
        if block:
            order += 1
            doc.grids.append(_aligned_grid(block, pno, order))
            block.clear()

    def flush_para() -> None:
        nonlocal order
        if para:
            order += 1
            text, anchors = "", []
            for ln in para:
                if text:
                    text += " "
                anchors.append((len(text), f"Trang {pno}, dòng {ln.number}"))
                text += ln.text
            doc.passages.append(Passage(text, anchors, order))
            para.clear()

    prev: _Line | None = None
    members = table_members(lines)
    for ln, member in zip(lines, members, strict=True):
        if member:
            flush_para()
            block.append(ln)
            prev = ln
            continue
        flush_block()
        if para and prev is not None:
            gap = ln.top - prev.bottom
            short_prev = prev.x1 < right - 0.15 * width and prev.text.rstrip()[-1:] in ".:;!?"
            if gap > prev.size * 0.9 or _STARTS_BLOCK.match(ln.text) or short_prev:
                flush_para()
        para.append(ln)
        prev = ln
    flush_block()
    flush_para()
    return order


def _aligned_grid(block: list[_Line], pno: int, order: int) -> Grid:
    """Lines of an unruled table: columns are the spans of the widest text-only line."""
    segs = [ln.segments() for ln in block]

    def span(seg: list[dict[str, Any]]) -> tuple[float, float]:
        return seg[0]["x0"], seg[-1]["x1"]

    def numeric(seg: list[dict[str, Any]]) -> bool:
        return read_quantity(" ".join(w["text"] for w in seg)) is not None

    text_lines = [s for s in segs if not any(numeric(g) for g in s)]
    anchor = max(text_lines or segs, key=len)
    columns = [span(g) for g in anchor]
    rows: list[list[Cell | None]] = []
    by_line = {id(ln): line_segs for ln, line_segs in zip(block, segs, strict=True)}
    # A wrapped label's lines are one row with the figure on one of them (see pdf_rows).
    for r, group in enumerate(row_groups(block, columns, numeric)):
        out: list[Cell | None] = [None] * len(columns)
        ln = next((g for g in group if len(by_line[id(g)]) >= 2), group[0])
        for line, g in ((part, seg) for part in group for seg in by_line[id(part)]):
            x0, x1 = span(g)
            overlaps = [min(x1, b) - max(x0, a) for a, b in columns]
            best = max(range(len(columns)), key=lambda i: overlaps[i])
            if overlaps[best] <= 0:
                mid = (x0 + x1) / 2
                best = min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - mid))
            text = " ".join(w["text"] for w in g)
            where = f"Trang {pno}, dòng {line.number}"
            prior = out[best]
            if prior:
                text, where = f"{prior.text} {text}", prior.location
            out[best] = Cell(_nfc(text), r, best, where, ("pdf-line", pno, ln.number, best))
        rows.append(out)
    return Grid(f"Trang {pno}", rows, order)
