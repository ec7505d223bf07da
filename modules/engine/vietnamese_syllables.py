"""The Vietnamese syllables, spelt with their marks, from Debian's `hunspell-vi` dictionary.

Why: Tesseract slips on a tone or vowel mark ("THOÔNG" for THỐNG, "CỤỰC" for CỤC); a syllable
that no Vietnamese word has is such a slip. Vietnamese writes every syllable apart, so
`vi_VN.dic` lists syllables, not words (6,600 of them): read as a plain file, one entry a line
after the count, "/flags" cut off; no hunspell binding is needed. Empty when the package is not
installed: then nothing is known and callers keep what they read.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DICTIONARY = Path("/usr/share/hunspell/vi_VN.dic")
EDGE_MARKS = ".,;:!?()[]\"'`|_~^*-–—"


@cache
def syllables() -> frozenset[str]:
    """Every syllable of the dictionary, in lower case with its marks (NFC)."""
    try:
        lines = DICTIONARY.read_text(encoding="utf-8").splitlines()[1:]
    except OSError:
        return frozenset()
    return frozenset(entry.split("/", 1)[0].strip().lower() for entry in lines if entry.strip())


def known(token: str) -> bool:
    """Whether `token`, stray punctuation at its edges cut off, is a syllable the dictionary lists."""
    core = token.strip(EDGE_MARKS).lower()
    return bool(core) and core in syllables()
