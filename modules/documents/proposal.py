"""The metadata proposal: a rule-based reader of a scanned document's OCR text.

It is a rule, not AI: it reads the Decree 30/2020 layout (Phụ lục I) line by line and
proposes the issuing agency, the number and symbol, the date, the type, the subject
(trích yếu) and the signer, for the clerk to confirm (nothing is saved from it). Lines
are compared folded (`search.fold`: no marks, lower case, đ→d), so an OCR slip on a tone
mark does not hide "Số:" or "ngày ... tháng ... năm"; the values are taken from the
original line. Scores on a held-out set written before tuning: `bench/documents.py`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache

from modules.engine.search import fold
from modules.engine.vietnamese_syllables import known as is_syllable

from .agency_lexicon import by_letters
from .names import mend
from .rules import ABBREVIATIONS, DOCUMENT_TYPES
from .syllables import mend as mend_syllable
from .syllables import split_glued

MOTTO = (
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap - tu do - hanh phuc",
    "doc lap tu do hanh phuc",
)
NUMBER = re.compile(r"s[o0]\s*[:.;,]?\s*(\d{1,6})\s*/\s*([0-9a-z][0-9a-z\- ]*[0-9a-z])", re.IGNORECASE)
ORIGINAL_SYMBOL = re.compile(r"(\d{1,6})\s*/\s*(\S(?:.*\S)?)")
# a rough scan glues a speck between the words and the numbers ("ngày 13-tháng 12", "tháng 06. năm")
GLUED = r"[\s.,:;_\-–]*"
DATE = re.compile(rf"ngay{GLUED}(\d{{1,2}}){GLUED}thang{GLUED}(\d{{1,2}}){GLUED}nam\s*(\d{{4}})")
LOOSE_MOTTO = re.compile(r"(cong\W+hoa\W+xa\W+hoi\W+chu\W+nghia|doc\W+lap\W+tu\W+do\W+hanh\W+phuc)")
V_V = re.compile(r"^v\s*(?:[^\w\s]|[il1])\s*[vw]\b")  # "V/v", as OCR may read it ("V/w", "V|v", "V#w")
# "V/v" on a rough scan, matched on the line as read: its second "v" lost ("V/ bố trí", "V⁄ bố trí"),
# or its stroke and "v" read as one capital I-like letter before a lower-case word ("VỊ cứu trợ")
V_V_ROUGH = re.compile(r"^V\s*[/⁄|\\]\s*(?=[^\W\d_])|^V[IỊÌÍỈĨ1l|](?=\s+[a-zà-ỹđ])")
# letters Tesseract mixes up in agency names, where only one reading is a word: TỈNH, not TĨNH
AGENCY_WORDS = {"TĨNH": "TỈNH", "TINH": "TỈNH"}
NAME_WORD = r"[A-ZÀ-ỸĐ][a-zà-ỹđ]+"
NAME = re.compile(rf"({NAME_WORD}(?:\s+{NAME_WORD}){{1,4}})\s*$")
STOP = ("can cu", "kinh gui", "theo de nghi", "thuc hien", "noi nhan", "quyet dinh:", "dieu 1")
# what the body, never a subject, begins with: a subject may begin "Thực hiện ..." (the rest of STOP)
BODY_ONLY = ("can cu", "kinh gui", "noi nhan", "quyet dinh:", "dieu 1")
TYPE_NAMES = sorted(
    ((fold(vi.split(" (")[0]), code) for code, _abbr, vi, _en in DOCUMENT_TYPES if _abbr),
    key=lambda pair: -len(pair[0]),
)
BY_ABBREVIATION = {fold(abbr): code for code, abbr in ABBREVIATIONS.items() if abbr}
# as spelt first: "HD" (Hướng dẫn) and "HĐ" (Hợp đồng) fold alike
BY_EXACT_ABBREVIATION = {abbr: code for code, abbr in ABBREVIATIONS.items() if abbr}
NOT_NAMES = {"ha noi", "noi nhan", "viet nam"}
# Tesseract reads "Đ" as the look-alike Icelandic "Ð" (U+00D0), and a bold "Đ" in a symbol as
# two or three of them ("HĐÐĐND"): one letter for both, and no symbol has "ĐĐ"
LOOK_ALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})
REPEATED_D = re.compile("Đ{2,}")


@dataclass
class Proposal:
    """What the rule read; None where it found nothing (the clerk fills it in)."""

    issuer_name: str | None = None
    number_symbol: str | None = None
    issued_date: dt.date | None = None
    doc_type: str | None = None
    subject: str | None = None
    signer: str | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _strip_motto(line: str) -> str:
    folded = fold(line)
    for motto in MOTTO:
        at = folded.find(motto)
        if at >= 0:
            # the motto sits on the right: keep what stands before it on the same line
            return line[: _original_index(line, at)].strip(" -")
    # the motto read with other dashes or stray marks between its words ("Độc lập – Tự do")
    if match := LOOSE_MOTTO.search(folded):
        return line[: _original_index(line, match.start())].strip(" -")
    return line.strip()


def _original_index(line: str, folded_index: int) -> int:
    """The position in `line` of the character at `folded_index` in its folded form."""
    for index in range(len(line)):
        if len(fold(line[: index + 1])) > folded_index:
            return index
    return len(line)


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def read(text: str) -> Proposal:
    """Propose the metadata of one document from its recognised text."""
    lines = [_strip_motto(raw) for raw in text.translate(LOOK_ALIKES).splitlines()]
    proposal = Proposal()
    number_at = None
    for index, line in enumerate(lines):
        folded = fold(line)
        if number_at is None and (match := NUMBER.search(folded)):
            number_at = index
            proposal.number_symbol = _symbol(line, match)
        if proposal.issued_date is None and (date := DATE.search(folded)):
            with contextlib.suppress(ValueError):  # an OCR slip such as "ngày 38"
                proposal.issued_date = dt.date(int(date.group(3)), int(date.group(2)), int(date.group(1)))
    head = lines[:number_at] if number_at is not None else lines[:3]
    agency = [
        line for line in head if line and _is_upper(line) and not DATE.search(fold(line)) and not _speck(line)
    ]
    if agency:
        words = _agency_words(" ".join(agency).split())
        proposal.issuer_name = " ".join(_canonical(AGENCY_WORDS.get(w, w) for w in words)) or None
    start = (number_at or 0) + 1
    proposal.doc_type, proposal.subject = _type_and_subject(lines[start:])
    if proposal.doc_type is None and proposal.number_symbol:
        first_group = proposal.number_symbol.split("/", 1)[-1].split("-")[0]
        proposal.doc_type = BY_EXACT_ABBREVIATION.get(first_group) or BY_ABBREVIATION.get(
            fold(first_group), "cong_van"
        )
    proposal.signer = _signer(lines[start:])
    return proposal


# Agency names are drawn from a closed vocabulary: the kinds of agency, the ministries and the
# provinces (modules/org/provinces.py). A run of OCR words equal to one of these once marks are
# folded away ("VAN PHONG", "NGHẸ AN") is written as the vocabulary spells it.
AGENCY_PHRASES = (
    "BỘ",
    "SỞ",
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "TỈNH",
    "THÀNH PHỐ",
    "VĂN PHÒNG",
    "CỤC",
    "XÃ",
    "PHƯỜNG",
    "ĐẶC KHU",
    "VỤ",
    "KHOA HỌC VÀ CÔNG NGHỆ",
    "CHÍNH PHỦ",
    "QUỐC HỘI",
    "NỘI VỤ",
    "TÀI CHÍNH",
    "XÂY DỰNG",
    "TƯ PHÁP",
    "Y TẾ",
    "GIÁO DỤC VÀ ĐÀO TẠO",
    "CÔNG THƯƠNG",
    "NGOẠI GIAO",
    "QUỐC PHÒNG",
    "CÔNG AN",
    "NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "DÂN TỘC VÀ TÔN GIÁO",
    "THANH TRA CHÍNH PHỦ",
    "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
    "VIỆT NAM",
    # the Ministry's own innovation department and the national statistics office (Bộ Tài chính):
    # both OCR models slip on the same marks there ("ĐÓI MỚI SANG TẠO", "THOÔNG KE")
    "ĐỔI MỚI SÁNG TẠO",
    "THỐNG KÊ",
)


@cache
def _phrases() -> dict[tuple[str, ...], list[str]]:
    from modules.org.provinces import _CURRENT, _OLD

    names = [row[1] for row in (*_CURRENT, *_OLD)]
    bare = [n.split(" ", 2)[2] if n.startswith("Thành phố ") else n.removeprefix("Tỉnh ") for n in names]
    # keyed without commas: a comma glued to a word is cut off as a speck (`_agency_words`), and the
    # vocabulary writes it back where the name has one ("VĂN HÓA, THỂ THAO")
    phrases = (*AGENCY_PHRASES, *bare)
    vocabulary = {tuple(fold(p).replace(",", "").split()): p.upper().split() for p in phrases}
    # the lexicon of marked words ("ĐƯƠNG SÁT" → ĐƯỜNG SẮT, `agency_lexicon`); the vocabulary wins a tie
    return {**by_letters(), **vocabulary}


@cache
def _phrases_unspaced() -> dict[str, list[str]]:
    """The vocabulary keyed by its folded letters alone: a word OCR split ("ĐỒN G") still matches."""
    return {"".join(key): spelt for key, spelt in _phrases().items()}


def _canonical(words: Iterable[str]) -> list[str]:
    """The agency's words, each run the vocabulary knows spelt as it spells it (longest first);
    a run is also known when its letters are, whatever spaces OCR put inside a word."""
    words = list(words)
    folded = [fold(w) for w in words]
    known, unspaced = _phrases(), _phrases_unspaced()
    longest = max(len(k) for k in known) + 2  # room for two words split in two
    out: list[str] = []
    at = 0
    while at < len(words):
        for size in range(min(longest, len(words) - at), 0, -1):
            run = folded[at : at + size]
            spelt = known.get(tuple(run))
            if spelt is None and size > 1:
                spelt = unspaced.get("".join(run))
            if spelt is not None:
                out += spelt
                at += size
                break
        else:
            out.append(words[at])
            at += 1
    return out


ROMAN = re.compile(r"[IVX]+")


def _speck(line: str) -> bool:
    """A line that is one token of one or two letters, neither a syllable nor a roman numeral,
    with specks at most beside it ("ND." under "UBND TỈNH ...", "] \\ N"): what a scan's speck or
    a line's underline is read as, no agency's line ("UBND", "HĐND" have more letters)."""
    tokens = [t for t in (t.strip(EDGE_MARKS + TITLE_SPECKS) for t in line.split()) if t]
    if len(tokens) != 1:
        return False
    core = tokens[0]
    return core.isalpha() and len(core) <= 2 and not is_syllable(core) and not ROMAN.fullmatch(core)


def _is_word(token: str) -> bool:
    """A word of an agency's name ("BỘ", "KH&CN", "TỈNH"), not a mark the scan left ("|", "—", "ˆ").
    Letters are cased ones: a lone modifier ("ˆ", U+02C6) is a letter to Python but a speck here."""
    letters = sum(unicodedata.category(c) in ("Lu", "Ll") for c in token)
    return letters >= 1 and letters >= len(token) / 2


DASHES = {"-", "–", "—"}
EDGE_MARKS = ".,;:'`\"|_~^*ˆ-–—“”‘’«»"
TITLE_SPECKS = "[](){}!/\\"  # brackets and strokes a page's edge or a speck is read as, beside a title


def _agency_words(tokens: list[str]) -> list[str]:
    """The agency's words without stray marks; a dash between two words stays, as one "-": it is
    part of names such as "VỤ KẾ HOẠCH - TÀI CHÍNH". Each word goes through `syllables.mend`."""
    words: list[str] = []
    for token, next_token in zip(tokens, [*tokens[1:], ""], strict=True):
        token = token if token in DASHES else token.strip(EDGE_MARKS)  # "CHÍNH." "ỦY," : a speck glued on
        if _is_word(token):
            words += split_glued(mend_syllable(token))
        elif token in DASHES and words and words[-1] != "-" and _is_word(next_token):
            words.append("-")
    return words


def _symbol(line: str, match: re.Match[str]) -> str:
    number, symbol = match.group(1), match.group(2)
    original = ORIGINAL_SYMBOL.search(re.sub(r"\s*-\s*", "-", line))
    if original:
        symbol = original.group(2).split()[0]
    groups = []
    for group in symbol.strip(".,;:").split("-"):
        # specks at a group's edges ("CHQ_:") are cut off; a place name glued on ("Hà") or a group of
        # specks alone ("ˆ", "_") ends the symbol
        group = group.strip(SYMBOL_SPECKS)
        if not group or not _symbol_group(group):
            break
        # a symbol is initials, and no type's, agency's or unit's initial is "I": a bold "T" read so
        # on a rough scan ("TIr", "TIXVN", "SHTI")
        groups.append(group.replace("I", "T"))
    return f"{number}/{REPEATED_D.sub('Đ', '-'.join(groups) or symbol)}"


SYMBOL_SPECKS = ".,;:_~^*ˆ'`\"|"


def _symbol_group(group: str) -> bool:
    """A group of a number and symbol: upper case ("UBND", "QĐ"), or an abbreviation of Phụ lục III's
    mixed case, which begins with a capital and holds two ("TTr", "CTr", "QyĐ", a unit's "TTra");
    a place name glued on has one ("Hà")."""
    if not any(c.isdigit() or unicodedata.category(c) in ("Lu", "Ll") for c in group):
        return False
    if group == group.upper():
        return True
    return group[0].isupper() and sum(c.isupper() for c in group) >= 2


def _type_and_subject(lines: list[str]) -> tuple[str | None, str | None]:
    for index, line in enumerate(lines):
        folded = fold(line)
        if match := V_V.match(folded):
            subject = _paragraph(lines, index)
            end = _original_index(line, match.end())
            return "cong_van", subject and _without_specks("V/v " + subject[end:].lstrip())
        if rough := V_V_ROUGH.match(line):
            subject = _paragraph(lines, index)
            return "cong_van", subject and _without_specks("V/v " + subject[rough.end() :].lstrip())
        if _is_upper(line):
            # "] KẾ HOẠCH": a speck by the title; "GỬỦI": a mark read as a second letter (`syllables`)
            title = fold(" ".join(mend_syllable(word) for word in _title_words(line))).strip(
                EDGE_MARKS + TITLE_SPECKS + " "
            )
            for name, code in TYPE_NAMES:
                if title == name:
                    subject = _paragraph(lines, index + 1)
                    return code, subject and _without_specks(subject)
    return None, None


def _title_words(line: str) -> list[str]:
    """A title line's words without a one-character speck at either end ("l HƯỚNG DẪN", a rough
    scan's edge): one character that is no syllable is no word of a type's name."""
    words = line.split()
    while words and len(words[0]) == 1 and not is_syllable(words[0]):
        words.pop(0)
    while words and len(words[-1]) == 1 and not is_syllable(words[-1]):
        words.pop()
    return words


SUBJECT_SPECKS = set(".,;:'`\"|_~^*ˆ‹›")


DOT_BETWEEN_WORDS = re.compile(r"(?<=[a-zà-ỹđ])\.(?=[a-zà-ỹđ])")


def _without_specks(subject: str) -> str | None:
    """The subject without tokens that are specks alone ("then ..", "_ Về việc", "Nhà ' nước") or
    hold an underscore, which no subject's word has ("ven _.ò_ biển"); a dot between two lower-case
    words is a speck between them ("và.các"); a dash between words ("2027 - 2031") is a word here."""
    subject = DOT_BETWEEN_WORDS.sub(" ", subject)
    return " ".join(t for t in subject.split() if not set(t) <= SUBJECT_SPECKS and "_" not in t) or None


def _paragraph(lines: list[str], start: int) -> str | None:
    """The subject: its line and the lines that continue it, up to the body. A blank line ends
    it unless the next line goes on in lower case (a wrapped subject OCR split apart)."""
    taken: list[str] = []
    blank = False
    for line in lines[start:]:
        folded = fold(line)
        if not line:
            blank = bool(taken)
            continue
        if taken and (folded.startswith(STOP) or _is_upper(line) or (blank and not line[:1].islower())):
            break
        if not taken and folded.startswith(BODY_ONLY):
            break
        taken.append(line)
        blank = False
    return " ".join(taken) or None


def _signer(lines: list[str]) -> str | None:
    """The last line that ends in a name; a speck read beside a word ('Lưu Lâm "Thơ') is cut off
    the word, and a token that is nothing but specks dropped, before the name is looked for."""
    found = None
    for line in lines:
        bare = " ".join(filter(None, (token.strip(EDGE_MARKS) for token in line.split())))
        if match := NAME.search(bare.strip(" .")):
            name = match.group(1)
            if fold(name) not in NOT_NAMES and not fold(line).startswith(("-", "kinh gui")):
                found = mend(name)
    return found
