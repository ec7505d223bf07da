"""The Vietnamese syllables, spelt with their marks, from Debian's `hunspell-vi` dictionary.

Why: Tesseract slips on a tone or vowel mark ("THOÔNG" for THỐNG, "CỤỰC" for CỤC); a syllable
that no Vietnamese word has is such a slip. Vietnamese writes every syllable apart, so
`vi_VN.dic` lists syllables, not words (6,600 of them): read as a plain file, one entry a line
after the count, "/flags" cut off; no hunspell binding is needed. Empty when the package is not
installed: then nothing is known and callers keep what they read.

The dictionary writes the old tone placement ("hoà", "thuỷ", "uỷ"); Vietnamese print today, and
Tesseract reading it, mostly writes the new ("hòa", "thủy", "ủy") on an open "oa", "oe", "uy":
both are the same syllable, so both are known (`_new_placement`).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

DICTIONARY = Path("/usr/share/hunspell/vi_VN.dic")
EDGE_MARKS = ".,;:!?()[]\"'`|_~^*-–—“”‘’«»"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below (combining)


@cache
def syllables() -> frozenset[str]:
    """Every syllable of the dictionary, in lower case with its marks (NFC)."""
    try:
        lines = DICTIONARY.read_text(encoding="utf-8").splitlines()[1:]
    except OSError:
        return frozenset()
    listed = {entry.split("/", 1)[0].strip().lower() for entry in lines if entry.strip()}
    return frozenset({*listed, *filter(None, map(_new_placement, listed))})


def _new_placement(syllable: str) -> str | None:
    """The new placement of an old-style tone on an open "oa", "oe", "uy" ("thuỷ" → "thủy",
    "hoà" → "hòa"), or None when the syllable has no such vowel pair ("quý": u is the onset's)."""
    letters = unicodedata.normalize("NFD", syllable)
    bare = "".join(c for c in letters if c not in TONES)
    tone = "".join(c for c in letters if c in TONES)
    if len(tone) != 1 or bare.startswith(("qu", "gi")) or not bare.endswith(("oa", "oe", "uy")):
        return None
    if not letters.endswith(tone):  # already on the first vowel, or the pair carries another mark
        return None
    return unicodedata.normalize("NFC", bare[:-1] + tone + bare[-1])


def known(token: str) -> bool:
    """Whether `token`, stray punctuation at its edges cut off, is a syllable the dictionary lists."""
    core = token.strip(EDGE_MARKS).lower()
    return bool(core) and core in syllables()
