"""Two Tesseract readings of one page merged word by word, a syllable dictionary as the judge.

Why: Debian's Vietnamese *language* model (`vie`) and its Vietnamese *script* model
(`tesseract-ocr-script-viet`, `Vietnamese`) slip on different marks: one reads "THOÔNG" where the
other reads "THỐNG". Words are paired by where they stand on the page (their boxes overlap), not by
their order, since the two models may order blocks differently. The first reading's word stays
unless it is no Vietnamese syllable (`vietnamese_syllables.known`) and the second's is; when both
are syllables spelt with the same letters and different marks, the one Tesseract is surer of wins.
The first reading's lines and paragraphs are kept, so the text reads as `image_to_string`'s does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .search import fold
from .vietnamese_syllables import EDGE_MARKS, known

OVERLAP = 0.6  # intersection over union of two boxes that are the same word read twice
CELL = 64  # pixels: the squares words are looked up in (a line of text at 300 dpi is about 40 high)


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom
    line: tuple[int, int, int]  # block, paragraph, line


def words(data: dict[str, list[Any]]) -> list[Word]:
    """The words of `pytesseract.image_to_data(..., output_type=DICT)`, empty entries left out."""
    found = []
    for at, text in enumerate(data["text"]):
        if not str(text).strip():
            continue
        left, top = data["left"][at], data["top"][at]
        found.append(
            Word(
                str(text),
                float(data["conf"][at]),
                (left, top, left + data["width"][at], top + data["height"][at]),
                (data["block_num"][at], data["par_num"][at], data["line_num"][at]),
            )
        )
    return found


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union: "DU" inside "DULỊCH" is not the same word (one reading split it)."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    both = width * height
    return both / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - both)


def _respelt(first: str, second: str) -> str:
    """`first` with its letters spelt as `second` spells them; the first reading's stray marks at
    the edges ("HÓA," "(số") stay, since only the syllable was judged."""
    core = first.strip(EDGE_MARKS)
    if not core:
        return first
    start = first.index(core)
    return first[:start] + second.strip(EDGE_MARKS) + first[start + len(core) :]


def choose(first: Word, second: Word | None) -> str:
    """The spelling to keep of one word read twice."""
    if second is None or second.text == first.text:
        return first.text
    first_known, second_known = known(first.text), known(second.text)
    # a first word that is more than letters ("13-tháng": two words glued) is not one syllable the
    # second reading spells better: taking the second's "tháng" would lose the "13"
    if second_known and not first_known and first.text.strip(EDGE_MARKS).isalpha():
        return _respelt(first.text, second.text)
    if first_known and second_known and fold(first.text) == fold(second.text):
        return _respelt(first.text, second.text) if second.confidence > first.confidence else first.text
    return first.text


def _cells(box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    """The CELL-pixel squares of the page a box crosses."""
    return [
        (row, column)
        for row in range(box[1] // CELL, box[3] // CELL + 1)
        for column in range(box[0] // CELL, box[2] // CELL + 1)
    ]


def _grid(found: list[Word]) -> dict[tuple[int, int], list[Word]]:
    """Words by the squares they cross: a word is compared only with the other reading's words
    that share a square with it, so a page of thousands of specks stays linear, not n × m."""
    grid: dict[tuple[int, int], list[Word]] = {}
    for word in found:
        for cell in _cells(word.box):
            grid.setdefault(cell, []).append(word)
    return grid


def merge(first: dict[str, list[Any]], second: dict[str, list[Any]]) -> str:
    """The first reading's text, each word replaced by the second's where `choose` prefers it."""
    others = _grid(words(second))
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words(first):
        near = {id(other): other for cell in _cells(word.box) for other in others.get(cell, ())}
        twin = max(near.values(), key=lambda other: _overlap(word.box, other.box), default=None)
        if twin is not None and _overlap(word.box, twin.box) < OVERLAP:
            twin = None
        lines.setdefault(word.line, []).append(choose(word, twin))
    text: list[str] = []
    previous = None
    for (block, paragraph, _line), spelt in lines.items():
        if previous is not None and previous != (block, paragraph):
            text.append("")
        text.append(" ".join(spelt))
        previous = (block, paragraph)
    return "\n".join(text) + "\n"
