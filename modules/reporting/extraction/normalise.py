"""Vietnamese label normalisation: one spelling for every way officers write a label.

Reports come typed with and without diacritics, in capitals, with "KH&CN", "KHCN" or
"khoa học và công nghệ", "tỉ" or "tỷ". Matching works on the canonical tokens built
here, never on the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

from .abbreviations import ABBREVIATIONS as _ABBREVIATIONS

_SPACE = re.compile(r"\s+")
# Everything that is not a letter, a digit or whitespace is punctuation here ("_" too).
_PUNCT = re.compile(r"[^\w\s]|_")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case; đ/Đ become d/D (they do not decompose)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=8192)
def normalise_label(text: str) -> str:
    """Lowercase, no diacritics (đ -> d), punctuation removed, spaces collapsed.

    "Số nhiệm vụ KH&CN  cấp Quốc gia" -> "so nhiem vu kh cn cap quoc gia". Punctuation
    becomes a space so that "KH&CN" and "KH-CN" agree; "KHCN" is reconciled later by
    :func:`canonical_tokens`.
    """
    text = strip_diacritics(text).lower()
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


_MAX_ABBREV = max(len(k) for k in _ABBREVIATIONS)

# "tỉ"/"tỷ", "kí"/"ký", "lí"/"lý", "quí"/"quý": the same syllable, both spellings are correct.
_I_Y = re.compile(r"(?:[bcdghklmnpqrstvx]|ch|gh|kh|ng|nh|ph|qu|th|tr)i")

# Words that carry no meaning for telling indicators apart. Without diacritics many short
# words collide ("co": có/cơ sở, "dang": đang/đăng ký, "tai": tại/đề tài, "do": đó/mức độ),
# so only words that collide with nothing that matters are here.
STOPWORDS = frozenset(
    ("va", "cua", "cac", "nhung", "duoc", "da", "trong", "la", "cho", "voi", "tren", "mot", "nay")
) | frozenset(("theo", "hoac", "ve", "den", "se", "bi"))
# Phrases that only say "in this report" and so would make unrelated labels look alike.
_STOP_PHRASES = tuple(
    tuple(p.split())
    for p in (
        "tren dia ban tinh",
        "tren dia ban thanh pho",
        "tren dia ban",
        "trong ky bao cao",
        "ky bao cao",
        "nam bao cao",
        "trong ky",
        "trong nam",
        "trong do",
        "bao gom",
        "tinh den nay",
        "tinh den",
        "hien nay",
        "hien co",
        "toan tinh",
    )
)


def _canon_token(tok: str) -> str:
    return tok[:-1] + "y" if _I_Y.fullmatch(tok) else tok


@lru_cache(maxsize=8192)
def canonical_tokens(text: str, *, keep_stopwords: bool = False) -> tuple[str, ...]:
    """Normalised tokens with abbreviations expanded, i/y unified, digits and stopwords dropped."""
    raw = normalise_label(text).split()
    out: list[str] = []
    i = 0
    while i < len(raw):
        for size in range(min(_MAX_ABBREV, len(raw) - i), 0, -1):
            expansion = _ABBREVIATIONS.get(tuple(raw[i : i + size]))
            if expansion:
                out.extend(expansion)
                i += size
                break
        else:
            out.append(raw[i])
            i += 1
    out = [_canon_token(t) for t in out if not t.isdigit()]
    if keep_stopwords:
        return tuple(out)
    # Drop stop phrases, then stopwords.
    kept: list[str] = []
    i = 0
    while i < len(out):
        for phrase in _STOP_PHRASES:
            if tuple(out[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            kept.append(out[i])
            i += 1
    return tuple(t for t in kept if t not in STOPWORDS)


def features(tokens: tuple[str, ...]) -> frozenset[str]:
    """Unigrams and adjacent bigrams: "cap tinh" tells provinces apart from "dia ban tinh"."""
    bigrams = (f"{a} {b}" for a, b in pairwise(tokens))
    return frozenset((*tokens, *bigrams))


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|2100)(?!\d)")


def years(text: str) -> list[int]:
    """Four-digit years mentioned in a text ("Năm 2024", "TH 6T/2024")."""
    return [int(y) for y in _YEAR.findall(text)]


# Cues that a figure is not the reported one: a plan, a target, an earlier period, a change.
_NEGATIVE_CUES = (
    "ke hoach",
    "chi tieu giao",
    "muc tieu",
    "du kien",
    "nam truoc",
    "cung ky",
    "ky truoc",
    "tang",
    "giam",
    "chenh lech",
    "so sanh",
    "ghi chu",
)
# Cues that a column or row holds the reported figure.
_POSITIVE_CUES = (
    "thuc hien",
    "so lieu",
    "ket qua",
    "gia tri",
    "so luong",
    "bao cao",
    "uoc",
    "dat duoc",
    "thuc te",
)


def _has_phrase(tokens: tuple[str, ...], phrase: str) -> bool:
    words = tuple(phrase.split())
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


def negative_cues(text: str, *, exempt: str = "") -> list[str]:
    """Negative cues present in ``text`` and absent from ``exempt`` (the indicator's own label)."""
    tokens = canonical_tokens(text, keep_stopwords=True)
    own = canonical_tokens(exempt, keep_stopwords=True) if exempt else ()
    return [c for c in _NEGATIVE_CUES if _has_phrase(tokens, c) and not _has_phrase(own, c)]


def positive_cues(text: str) -> list[str]:
    tokens = canonical_tokens(text, keep_stopwords=True)
    return [c for c in _POSITIVE_CUES if _has_phrase(tokens, c)]


_BULLET = re.compile(r"^\s*(?:[-+–—•*·▪○◦]|[a-zđ][).]|\(?[ivx]+\)|\d+(?:\.\d+)+\.?(?=\s))\s*", re.IGNORECASE)
_CHILD_WORDS = re.compile(r"^\s*(?:trong\s+(?:đó|do)|bao\s+gồm|bao\s+gom|gồm|gom)\s*[:,]?\s*", re.IGNORECASE)


def is_child_label(text: str) -> bool:
    """A sub-item ("- Cấp tỉnh", "Trong đó: cấp quốc gia", "a) ..."): its parent gives the context."""
    return bool(_BULLET.match(text) or _CHILD_WORDS.match(text))


def strip_child_marker(text: str) -> str:
    text = _CHILD_WORDS.sub("", text)
    text = _BULLET.sub("", text)
    return _CHILD_WORDS.sub("", text).strip()


_SECTION = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+", re.IGNORECASE)


def section_prefix_length(text: str) -> int:
    """Length of a leading "III. " / "2.1. " / "a) " numbering, which holds no figure."""
    m = _SECTION.match(text)
    return m.end() if m else 0
