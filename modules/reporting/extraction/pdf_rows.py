"""Rows of an unruled PDF table, by geometry: labels wrapped over two or three lines.

A table without rules reaches the reader as text lines. A long label wraps in its cell
(or is broken by hand), and the figure, vertically centred, lands on a middle line, or on
a line of its own between two label lines; several labels can share the same first line
("Số nhiệm vụ khoa học và" / "cấp quốc gia", "Số nhiệm vụ khoa học và" / "cấp tỉnh"). So:

- :func:`table_members`: which lines belong to a table: the lines split into columns, and
  the one-column lines close above or below them that start where one of their columns does
  and end before the next column (a label's other lines; a paragraph runs wider);
- :func:`row_groups`: the table's lines grouped into rows. Padded rows are told apart by
  the wider gap between them; in a tight table (every gap alike) a row ends when a line
  brings a second figure for a column, or a new label starting with a capital after a row
  that has its figure.
"""

from __future__ import annotations

from typing import Any

ALIGN = 3.0  # points: a label's lines start at the same x


def _starts(line: Any) -> list[float]:
    return [seg[0]["x0"] for seg in line.segments()]


def _within_column(line: Any, split: Any, *, above: bool) -> bool:
    """The line starts where one of the split line's columns does and ends before the next."""
    starts = _starts(split)
    for k, x in enumerate(starts):
        if abs(line.x0 - x) <= ALIGN:
            if above and k == 0 and line.text.rstrip()[-1:] in ".;!?":
                return False  # a sentence's end just above a table: a paragraph's short last line
            return k + 1 == len(starts) or line.x1 <= starts[k + 1] + ALIGN
    return False


def table_members(lines: list[Any]) -> list[bool]:
    """For each line, whether it belongs to an aligned table."""
    multi = [len(ln.segments()) >= 2 for ln in lines]
    member = multi[:]
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if member[i]:
                continue
            for j in (i - 1, i + 1):
                if not (0 <= j < len(lines) and member[j]):
                    continue
                a, b = (lines[j], ln) if j < i else (ln, lines[j])
                if b.top - a.bottom > 1.3 * max(a.size, b.size):
                    continue
                # The columns of the table's split lines near here.
                near = [lines[k] for k in range(max(0, i - 15), min(len(lines), i + 16)) if multi[k]]
                if any(_within_column(ln, m, above=j > i) for m in near):
                    member[i] = changed = True
                    break
    return member


def row_groups(block: list[Any], columns: list[tuple[float, float]], numeric: Any) -> list[list[Any]]:
    """The block's lines grouped into table rows (see the module's docstring).

    ``numeric(segment)`` tells a segment holding a figure."""
    if not block:
        return []
    gaps, bottom = [], block[0].bottom
    for ln in block[1:]:
        gaps.append(ln.top - bottom)  # negative: a figure centred between two label lines
        bottom = max(bottom, ln.bottom)
    size = min(ln.size for ln in block)
    base = min((g for g in gaps if g >= 0), default=0.0)
    threshold = base + 0.35 * size
    tight = not gaps or max(gaps) <= threshold
    groups: list[list[Any]] = [[block[0]]]
    figures: list[set[int]] = [_figure_cols(block[0], columns, numeric)]
    for gap, ln in zip(gaps, block[1:], strict=True):
        cols = _figure_cols(ln, columns, numeric)
        label_only = len(ln.segments()) == 1 and not cols
        if not tight:
            new = gap > threshold
        elif cols & figures[-1]:
            new = True  # a second figure for one column: the next row
        elif label_only:
            new = ln.text[:1].isupper()  # "Số ...", "Tổng ...": a new label; "cấp tỉnh": its tail
        else:
            # A split line ends the row unless the row so far is a label still waiting for it.
            first = groups[-1][0]
            new = not (len(first.segments()) == 1 and not figures[-1])
        if new:
            groups.append([ln])
            figures.append(cols)
        else:
            groups[-1].append(ln)
            figures[-1] |= cols
    return groups


def _figure_cols(line: Any, columns: list[tuple[float, float]], numeric: Any) -> set[int]:
    out = set()
    for seg in line.segments():
        if numeric(seg):
            x0, x1 = seg[0]["x0"], seg[-1]["x1"]
            overlaps = [min(x1, b) - max(x0, a) for a, b in columns]
            out.add(max(range(len(columns)), key=lambda c: overlaps[c]))
    return out
