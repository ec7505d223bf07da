"""Report extraction by fuzzy label matching and layout rules: propose a value for each
indicator found in an uploaded periodic report. No model, learned or otherwise, is used.

A provincial Department of S&T uploads its periodic report as XLSX, DOCX or a text PDF.
:func:`extract` reads it and proposes, for each indicator of the form it can find, one
value with a confidence in 0..1 and the place in the file it was read from. Nothing is
saved here: the review screen shows the proposals and the officer confirms them.

How (one module a step):

- ``detect``: the format from the bytes (ZIP parts, ``%PDF``), never from the name alone;
- ``readers``: the file as grids of cells and passages of text, each with a location;
- ``normalise`` / ``abbreviations`` / ``matcher``: labels without diacritics, case, spacing or
  abbreviations (a declared list), scored against the indicators with weights that favour the
  words telling them apart;
- ``numbers`` / ``kinds``: "1.234,5", "1,234.5", "1 234", "1,2 tỷ đồng", "12,5%", units and
  money scales, converted into the indicator's unit;
- ``tables`` / ``pdf_rows`` / ``prose`` / ``closing``: candidates from table layouts (figures
  right or left of their labels, PDF labels wrapped over lines) and from sentences, a free-text
  answer stopping at the letter's closing block;
- here: the best candidate per indicator, each figure used once, warnings for the rest.

Indicators of kind ``table`` and ``file`` are never proposed: a list of tasks or an
attachment cannot be read off one place in a report; a warning says so.

This package imports nothing from Django or the project, so it can be tested alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePath

from .detect import detect_format
from .matcher import LabelIndex
from .model import (
    UNPROPOSED_KINDS,
    Candidate,
    ExtractionError,
    ExtractionResult,
    IndicatorSpec,
    Proposal,
)
from .normalise import normalise_label
from .numbers import convert_money, money_scale, parse_number
from .prose import ProseReader
from .readers import Document, Progress, read_docx, read_pdf, read_xlsx
from .tables import GridReader

__all__ = [
    "ExtractionError",
    "ExtractionResult",
    "IndicatorSpec",
    "Proposal",
    "convert_money",
    "extract",
    "money_scale",
    "normalise_label",
    "parse_number",
]

# A proposal under this confidence is more likely wrong than right: it is not made.
MIN_CONFIDENCE = 0.45
# Two different values this close in confidence make the indicator ambiguous.
AMBIGUITY_MARGIN = 0.05

_READERS = {"xlsx": read_xlsx, "docx": read_docx, "pdf": read_pdf}
_EXTENSIONS = {"xlsx": {".xlsx", ".xlsm"}, "docx": {".docx", ".docm"}, "pdf": {".pdf"}}


def extract(
    data: bytes,
    filename: str,
    indicators: Sequence[IndicatorSpec],
    *,
    max_bytes: int = 20_000_000,
    progress: Progress | None = None,
) -> ExtractionResult:
    """Propose at most one value per indicator from an uploaded report.

    Raises :class:`ExtractionError` (``unsupported``, ``corrupt``, ``no_text``, ``too_large``)
    when the file cannot be read at all; everything less is a warning in the result.
    ``progress(done, total)`` is called as rows (XLSX), blocks (DOCX) or pages (PDF) are read.
    """
    if len(data) > max_bytes:
        raise ExtractionError(
            "too_large",
            f"Tệp quá lớn ({len(data):,} byte, tối đa {max_bytes:,}) / file too large "
            f"({len(data):,} bytes, at most {max_bytes:,})",
        )
    fmt = detect_format(data)
    warnings: list[str] = []
    ext = PurePath(filename or "").suffix.lower()
    if ext and ext not in _EXTENSIONS[fmt]:
        warnings.append(
            f"Phần mở rộng '{ext}' không khớp nội dung tệp ({fmt}); đã đọc như tệp {fmt} "
            f"/ extension '{ext}' does not match the content ({fmt})"
        )
    try:
        doc = _READERS[fmt](data, progress)
    except (ExtractionError, MemoryError):  # out of memory is the caller's cap, not a damaged file
        raise
    except Exception as exc:  # any parser failure on a damaged file is "corrupt", never a crash
        raise ExtractionError(
            "corrupt",
            f"Không đọc được tệp {fmt.upper()} (tệp hỏng?) / cannot read the {fmt.upper()} file "
            f"(damaged?): {type(exc).__name__}",
        ) from exc
    warnings.extend(doc.warnings)
    proposals, more = _propose(doc, indicators)
    return ExtractionResult(format=fmt, proposals=proposals, warnings=warnings + more)


def _propose(doc: Document, indicators: Sequence[IndicatorSpec]) -> tuple[list[Proposal], list[str]]:
    index = LabelIndex(indicators)
    year = report_year(doc)
    candidates: list[Candidate] = []
    passages = list(doc.passages)
    for grid in doc.grids:
        reader = GridReader(grid, index, year)
        reader.read()
        candidates.extend(reader.candidates)
        passages.extend(reader.passages)
    prose = ProseReader(index, year)
    prose.read(sorted(doc.passages, key=lambda p: p.order))
    # Cell sentences are read one by one: a cell is not the bullet of the one before it.
    for p in passages[len(doc.passages) :]:
        prose.read([p])
    candidates.extend(prose.candidates)
    return _choose(candidates, indicators)


def _choose(
    candidates: list[Candidate], indicators: Sequence[IndicatorSpec]
) -> tuple[list[Proposal], list[str]]:
    """Best first; a figure and a label each serve one indicator; ambiguity is reported."""
    chosen: dict[str, Candidate] = {}
    rivals: dict[str, list[Candidate]] = {}
    used_values: set[tuple[object, ...]] = set()
    used_labels: dict[tuple[object, ...], str] = {}
    for c in sorted(candidates, key=lambda c: (-c.confidence, c.order)):
        if c.confidence < MIN_CONFIDENCE:
            break
        if c.code in chosen:
            rivals.setdefault(c.code, []).append(c)
            continue
        if c.value_key in used_values or used_labels.get(c.label_key, c.code) != c.code:
            continue
        chosen[c.code] = c
        used_values.add(c.value_key)
        used_labels[c.label_key] = c.code
    warnings: list[str] = []
    proposals: list[Proposal] = []
    for spec in indicators:
        if spec.kind in UNPROPOSED_KINDS:
            warnings.append(
                f"Chỉ tiêu dạng {'bảng' if spec.kind == 'table' else 'tệp'} không được trích xuất tự động: "
                f"{spec.label_vi} ({spec.code}) / {spec.kind} indicators are not extracted"
            )
            continue
        best = chosen.get(spec.code)
        if best is None:
            warnings.append(f"Không tìm thấy: {spec.label_vi} ({spec.code}) / not found")
            continue
        confidence = best.confidence
        other = next((r for r in rivals.get(spec.code, []) if not _same(r.value, best.value)), None)
        if other and other.confidence >= best.confidence - AMBIGUITY_MARGIN:
            confidence *= 0.85
            warnings.append(
                f"Nhiều giá trị cho {spec.label_vi} ({spec.code}): {best.value} ({best.location}) "
                f"hoặc {other.value} ({other.location}) / ambiguous"
            )
        proposals.append(
            Proposal(
                code=spec.code,
                value=best.value,
                raw=best.raw,
                confidence=round(min(confidence, 1.0), 3),
                location=best.location,
                matched_label=best.matched_label,
            )
        )
    return proposals, warnings


def _same(a: Decimal | str, b: Decimal | str) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return normalise_label(str(a)) == normalise_label(str(b))


_YEAR_IN_TEXT = re.compile(r"(?<![\d/])(19[5-9]\d|20\d\d)(?![\d/])")
_DATE_YEAR = re.compile(r"tháng\s+\d{1,2}\s+năm\s+(\d{4})|\d{1,2}/\d{1,2}/(\d{4})", re.IGNORECASE)


def report_year(doc: Document) -> int | None:
    """The year the report is about: the most mentioned, leaving out signature dates and numbers."""
    counts: Counter[int] = Counter()
    texts = [p.text for p in doc.passages]
    for grid in doc.grids:
        texts.extend(c.text for row in grid.rows[:200] for c in row if c is not None and c.number is None)
    for text in texts:
        text = _DATE_YEAR.sub(" ", text)
        counts.update(int(y) for y in _YEAR_IN_TEXT.findall(text))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
