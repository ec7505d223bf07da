"""Numbers as Vietnamese reports write them, and money scales.

Officers write "1.234,5" (Vietnamese), "1,234.5" (Excel set to English), "1 234",
"1,2 tỷ đồng", "850 triệu", "12,5%". One separator followed by exactly three digits
("1.234") is read as a thousands separator, the Vietnamese convention, and the
reading is flagged as ambiguous so that confidence drops a little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .normalise import normalise_label

# Spaces that may group thousands: ordinary, no-break, narrow no-break, thin.
_GROUP_SPACES = " \u00a0\u202f\u2009"
_BODY = (
    r"\d{1,3}(?:[.,\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?"  # grouped thousands
    r"|\d+(?:[.,]\d+)?"  # plain
)
_SIGN = r"[-−–+]"

# Money scale words, normalised, to the number of đồng they stand for.
_SCALE_WORDS: dict[str, Decimal] = {
    "ty": Decimal(10) ** 9,
    "ti": Decimal(10) ** 9,
    "trieu": Decimal(10) ** 6,
    "tr": Decimal(10) ** 6,
    "trd": Decimal(10) ** 6,
    "nghin": Decimal(10) ** 3,
    "ngan": Decimal(10) ** 3,
}
_CURRENCY_WORDS = frozenset({"dong", "d", "vnd", "vn"})

# Compact units allowed right after the digits ("12%", "850tr", "1,2tỷ").
_COMPACT_UNIT = re.compile(r"^(?:%|tỷ|tỉ|triệu|tr\b|tr\.|trđ|đ\b|đồng|k\b)", re.IGNORECASE)


def _clean(value: Decimal) -> Decimal:
    """Integers without exponent or trailing zeros, decimals without trailing zeros."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def interpret(body: str) -> tuple[Decimal, bool] | None:
    """Read the digits and separators of one number: (value, ambiguous) or None if malformed."""
    grouped_by_space = any(ch in body for ch in _GROUP_SPACES)
    if grouped_by_space:
        parts = re.split(f"[{_GROUP_SPACES}]", body)
        if not all(re.fullmatch(r"\d{3}(?:[.,]\d+)?", p) for p in parts[1:]) or not re.fullmatch(
            r"\d{1,3}", parts[0]
        ):
            return None
        if any("," in p or "." in p for p in parts[:-1]):
            return None
        body = "".join(parts)
    seps = [ch for ch in body if ch in ".,"]
    ambiguous = False
    if not seps:
        digits, decimals = body, ""
    elif len(set(seps)) == 2:
        dec_sep = body[max(body.rfind("."), body.rfind(","))]
        group_sep = "," if dec_sep == "." else "."
        head, _, decimals = body.rpartition(dec_sep)
        if dec_sep in head:
            return None
        groups = head.split(group_sep)
        if not (re.fullmatch(r"\d{1,3}", groups[0]) and all(re.fullmatch(r"\d{3}", g) for g in groups[1:])):
            return None
        digits = "".join(groups)
    elif len(seps) > 1:
        groups = body.split(seps[0])
        if not (re.fullmatch(r"\d{1,3}", groups[0]) and all(re.fullmatch(r"\d{3}", g) for g in groups[1:])):
            return None
        digits, decimals = "".join(groups), ""
    else:
        head, _, tail = body.partition(seps[0])
        if grouped_by_space or len(tail) != 3 or head in ("", "0") or len(head) > 3:
            digits, decimals = head or "0", tail
        else:
            # "1.234" or "1,234": thousands, as Vietnamese writes them; but it might be 1.234.
            digits, decimals, ambiguous = head + tail, "", True
    if not digits.isdigit() or (decimals and not decimals.isdigit()):
        return None
    try:
        value = Decimal(f"{digits}.{decimals}" if decimals else digits)
    except InvalidOperation:
        return None
    return _clean(value), ambiguous


@dataclass(frozen=True)
class Quantity:
    """A number with what follows it: "1,2 tỷ đồng" -> 1.2, unit "ty dong", scale 10^9."""

    value: Decimal
    unit: str  # normalised text after the number ("ty dong", "nhiem vu", "%", "")
    percent: bool
    scale: Decimal | None  # đồng per unit when the unit is money
    ambiguous: bool


_FULL = re.compile(rf"^\s*(?P<sign>{_SIGN})?\s*(?P<body>{_BODY})(?P<gap>\s*)(?P<tail>.*?)\s*$", re.DOTALL)


def read_quantity(text: str) -> Quantity | None:
    """A cell or phrase that *is* a number, optionally followed by a unit without digits."""
    if not text:
        return None
    m = _FULL.match(text)
    if not m:
        return None
    tail = m.group("tail")
    if tail:
        if re.search(r"\d", tail):
            return None
        if not m.group("gap") and not _COMPACT_UNIT.match(tail):
            return None
        if not re.fullmatch(r"[%\w\s.,/&()\-]*", tail):
            return None
        if re.match(r"[.,]", tail) or len(tail.split()) > 4:
            return None  # "1. Số nhiệm vụ", "2 Số nhiệm vụ cấp tỉnh": a numbered label
    got = interpret(m.group("body"))
    if got is None:
        return None
    value, ambiguous = got
    if m.group("sign") and m.group("sign") != "+":
        value = -value
    return make_quantity(value, tail, ambiguous)


def make_quantity(value: Decimal, unit_text: str, ambiguous: bool) -> Quantity:
    unit = normalise_label(unit_text)
    percent = "%" in unit_text or unit in ("phan tram",)
    return Quantity(
        value=value,
        unit="%" if percent else unit,
        percent=percent,
        scale=None if percent else money_scale(unit_text),
        ambiguous=ambiguous,
    )


def parse_number(text: str) -> Decimal | None:
    """The value of a text that is one number, possibly followed by its unit.

    "1.234,5" -> 1234.5; "1,234.5" -> 1234.5; "1 234" -> 1234; "12,5%" -> 12.5;
    "1,2 tỷ đồng" -> 1.2 (the scale word is a unit: see :func:`money_scale`);
    "abc", "", "1.2.3", "12/2024" -> None.
    """
    q = read_quantity(text)
    return q.value if q else None


def money_scale(unit_text: str) -> Decimal | None:
    """How many đồng one unit is: "triệu đồng" -> 10^6, "tỷ" -> 10^9, "đồng" -> 1; None if not money."""
    tokens = normalise_label(unit_text).split()
    if not tokens or "usd" in tokens or "le" in tokens:  # foreign money; "tỷ lệ" is a rate
        return None
    scale: Decimal | None = None
    for i, tok in enumerate(tokens):
        if tok in _SCALE_WORDS:
            # "1000 đồng" / "1.000 đồng" are written as thousands too.
            scale = (scale or Decimal(1)) * _SCALE_WORDS[tok]
        elif tok in ("1000", "000") and i + 1 < len(tokens) and tokens[i + 1] in _CURRENCY_WORDS:
            scale = (scale or Decimal(1)) * 1000
    if scale is not None:
        return scale
    if tokens[0] in _CURRENCY_WORDS or tokens == ["vnd"]:
        return Decimal(1)
    return None


def convert_money(value: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """Convert an amount between money units ("1,2" tỷ đồng -> 1200 triệu đồng); None if unknown."""
    src, dst = money_scale(from_unit), money_scale(to_unit)
    if src is None or dst is None:
        return None
    return _clean(value * src / dst)


@dataclass(frozen=True)
class Mention:
    """A number found in running text, with where it sits."""

    quantity: Quantity
    start: int
    end: int
    raw: str


_SCALE_RE = r"(?:tỷ|tỉ|triệu|nghìn|ngàn|tr\.?|trđ)"
_CURRENCY_RE = r"(?:đồng|đ|VNĐ|VND)"
_MENTION = re.compile(
    rf"(?<![\w/.,:\-–])(?P<sign>{_SIGN}(?=\d))?"
    rf"(?P<body>\d{{1,3}}(?:[.,\u00a0\u202f\u2009 ]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    rf"(?P<unit>\s*%|\s*{_SCALE_RE}(?:\s*{_CURRENCY_RE})?(?!\w)|\s*{_CURRENCY_RE}(?!\w))?",
    re.IGNORECASE,
)
_TIME_WORDS = frozenset(("thang", "nam", "ngay", "quy", "tuan", "gio", "phut", "giay"))
# A number right after these is a date, a clause, an annex or a form: "năm 2024", "Điều 5", "Biểu 01".
_BEFORE_SKIP = frozenset(
    ("nam", "thang", "ngay", "quy", "dieu", "khoan", "muc", "diem", "bieu", "mau", "tuan")
)
_BEFORE_SKIP_PAIRS = frozenset((("phu", "luc"), ("lan", "thu"), ("giai", "doan")))
_DOC_WORDS = frozenset(
    ("quyet", "dinh", "cong", "van", "nghi", "thong", "tu", "ban", "to", "trinh", "bao", "cao", "chi", "thi")
) | frozenset(("hop", "dong", "ke", "hoach"))


def find_quantities(text: str) -> list[Mention]:
    """Numbers in prose that may be figures: not years, dates, document numbers or durations."""
    found: list[Mention] = []
    for m in _MENTION.finditer(text):
        after = text[m.end() :]
        if re.match(r"[/\-–]\s*\w|\w|[.,]\d", after):
            continue  # 15/5/2024, 1234/QĐ-UBND, 12a, a malformed number
        before_words = normalise_label(text[max(0, m.start() - 40) : m.start()]).split()
        prev = before_words[-1] if before_words else ""
        joined = bool(re.search(r"\w\s*$", text[: m.start()]))  # "năm 2024", not "trong năm: 27"
        if joined and (prev in _BEFORE_SKIP or tuple(before_words[-2:]) in _BEFORE_SKIP_PAIRS):
            continue
        if prev == "so" and len(before_words) >= 2 and set(before_words[-3:-1]) & _DOC_WORDS:
            continue  # "Quyết định số 15"
        next_words = normalise_label(after[:20]).split()
        unit_text = m.group("unit") or ""
        if not unit_text and next_words and next_words[0] in _TIME_WORDS:
            continue  # "6 tháng", "3 năm"
        body = m.group("body").rstrip(_GROUP_SPACES)
        got = interpret(body)
        if got is None:
            continue
        value, ambiguous = got
        if not unit_text and re.fullmatch(r"(19[5-9]\d|20\d\d)", body):
            continue  # a year
        if m.group("sign") and m.group("sign") != "+":
            value = -value
        found.append(
            Mention(make_quantity(value, unit_text.strip(), ambiguous), m.start(), m.end(), m.group(0))
        )
    return found
