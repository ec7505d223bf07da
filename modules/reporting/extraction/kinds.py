"""From a figure as written to the indicator's value: units, money scales, percents, choices.

Each function returns the value with a quality in 0..1 (how sure the reading is), or
None when the figure cannot be this indicator's (a percent for a count, money for a rate).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from rapidfuzz import fuzz, process

from .model import IndicatorSpec
from .normalise import canonical_tokens, normalise_label
from .numbers import Quantity, money_scale

# Units of counts that appear in S&T reports; used to tell a unit cell from a label.
COUNT_UNITS = frozenset(
    normalise_label(u)
    for u in (
        "người",
        "nhiệm vụ",
        "đề tài",
        "dự án",
        "doanh nghiệp",
        "đơn",
        "hợp đồng",
        "cuộc",
        "tổ chức",
        "phòng",
        "cái",
        "chiếc",
        "bản",
        "văn bản",
        "lần",
        "học viên",
        "sáng chế",
        "bài báo",
        "sản phẩm",
        "cơ sở",
        "đơn vị",
        "tiêu chuẩn",
        "phòng thí nghiệm",
        "giải pháp",
        "mô hình",
        "hồ sơ",
        "lượt",
        "quyết định",
        "giấy chứng nhận",
        "kết quả",
        "công trình",
        "số",
        "nhãn hiệu",
        "sự kiện",
        "hội thảo",
    )
)


# Abbreviated count units the abbreviation list cannot expand alone ("HĐ" is also "hoạt động").
UNIT_ABBREVIATIONS = frozenset({"nv", "dn", "hd", "dt", "da", "qd", "tb", "cn", "dv", "sp"})


def is_unit_text(text: str, extra: Sequence[str] = ()) -> bool:
    """A short text that is a unit of measure ("triệu đồng", "%", "nhiệm vụ", "Tr.đ")."""
    if "%" in text and len(text) <= 12:
        return True
    norm = normalise_label(text)
    if not norm or len(norm.split()) > 4:
        return False
    if money_scale(text) is not None or norm in COUNT_UNITS or norm in {normalise_label(u) for u in extra}:
        return True
    # "NV", "DN", "QĐ", "HĐ": a count unit as officers abbreviate it.
    return norm in UNIT_ABBREVIATIONS or " ".join(canonical_tokens(text, keep_stopwords=True)) in COUNT_UNITS


_PAREN = re.compile(r"\(([^()]{1,30})\)")


def unit_in_text(text: str) -> str:
    """A unit written inside a label or header: "Kinh phí (triệu đồng)" -> "triệu đồng"."""
    for m in reversed(list(_PAREN.finditer(text))):
        inner = m.group(1).strip()
        if is_unit_text(inner):
            return inner
    m = re.search(r"(?:đơn\s*vị(?:\s*tính)?|đvt)\s*[:\-]\s*(.+)$", text, re.IGNORECASE)
    if m and is_unit_text(m.group(1)):
        return m.group(1).strip()
    return ""


def says_rate(text: str) -> bool:
    """A rate: "tỷ lệ", "tỉ lệ", "TL", "tỷ trọng", "phần trăm" or "%"."""
    norm = f" {normalise_label(text)} "
    words = (" ty le ", " ti le ", " phan tram ", " tl ", " ty trong ", " ti trong ")
    return "%" in text or any(w in norm for w in words)


def column_unit(header: str) -> str:
    """The unit a column header gives its cells: "%" for any rate column ("Tỉ lệ", a bare "%"),
    else the unit in its text. A rate column's unit outranks the row's: the row's "triệu đồng"
    is the amount column's, never the rate's beside it."""
    return "%" if header and says_rate(header) else unit_in_text(header)


def counts_things(label: str) -> bool:
    """A label counting things: "Số quyết định xử phạt", "Số QĐ ...", "Số lượng hồ sơ". Its
    figure is a count, never an amount of money, whatever indicator the rest of it names."""
    tokens = canonical_tokens(label, keep_stopwords=True)
    if not tokens or tokens[0] != "so":
        return False
    if tokens[1:2] == ("luong",):
        return True
    return any(" ".join(tokens[1 : 1 + n]) in COUNT_UNITS for n in (1, 2, 3))


def numeric_value(spec: IndicatorSpec, qty: Quantity, units: Sequence[str]) -> tuple[Decimal, float] | None:
    """The value of ``qty`` in the indicator's unit; ``units`` are unit texts around it, nearest first."""
    quality = 0.9 if qty.ambiguous else 1.0
    if qty.value < 0:
        quality *= 0.7
    # Only the nearest unit counts: a count row keeps "nhiệm vụ" under a sheet-wide "triệu đồng".
    unit = qty.unit or next((u for u in units if u), "")
    percent = qty.percent or "%" in unit or normalise_label(unit) == "phan tram"
    scale = qty.scale if qty.scale is not None or percent else money_scale(unit)
    if spec.kind == "percent":
        if scale is not None and not percent:
            return None
        if percent:
            return qty.value, quality
        if 0 <= qty.value <= 100:
            return qty.value, quality * 0.85  # a rate without its "%": likely, not certain
        return None
    if spec.kind == "money":
        if percent:
            return None
        target = money_scale(spec.unit) if spec.unit else Decimal(1)
        if scale is None and unit and is_unit_text(unit):
            return None  # a count ("nhiệm vụ") is not money
        if scale is None or target is None:
            # No unit anywhere: take the figure in the indicator's own unit, less surely.
            return qty.value, quality * 0.8
        return _clean(qty.value * scale / target), quality
    # A count.
    if percent or scale is not None:
        return None
    if qty.value != qty.value.to_integral_value():
        quality *= 0.8
    wanted = normalise_label(spec.unit)
    if unit and is_unit_text(unit) and wanted and wanted not in normalise_label(unit):
        quality *= 0.95
    return qty.value, quality


def _clean(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


_CHECKED = "☒☑✓✔■✗✘⊠"
_UNCHECKED = "☐□○◯"
_NEGATIONS = frozenset({"khong", "chua", "chang", "not"})


def resolve_choice(text: str, choices: Sequence[str]) -> tuple[str, float] | None:
    """Which allowed choice a text states; a ticked box wins; "Chưa hoàn thành" is not "Hoàn thành"."""
    if not choices or not text.strip():
        return None
    ordered = sorted(choices, key=lambda c: -len(normalise_label(c)))
    if any(ch in text for ch in _CHECKED + _UNCHECKED) or re.search(r"\[[xX ]\]", text):
        parts = re.split(rf"([{_CHECKED}{_UNCHECKED}]|\[[xX ]\])", text)
        for mark, segment in zip(parts[1::2], parts[2::2], strict=False):
            if mark in _CHECKED or mark.lower() == "[x]":
                seg = normalise_label(segment)
                for choice in ordered:
                    if seg.startswith(normalise_label(choice)):
                        return choice, 0.95
        return None
    norm = normalise_label(text)
    for choice in ordered:
        if norm == normalise_label(choice):
            return choice, 1.0
    words = norm.split()
    for choice in ordered:
        cw = normalise_label(choice).split()
        for i in range(len(words) - len(cw) + 1):
            if words[i : i + len(cw)] == cw and (i == 0 or words[i - 1] not in _NEGATIONS):
                return choice, 0.9
    if len(words) <= 6:
        best = process.extractOne(
            norm, {c: normalise_label(c) for c in choices}, scorer=fuzz.ratio, score_cutoff=85
        )
        if best:
            return best[2], 0.8
    return None
