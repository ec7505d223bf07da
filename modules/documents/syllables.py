"""The shape of a Vietnamese syllable, to mend a word OCR read with a mark turned into a letter.

Tesseract sometimes reads a vowel's mark as a second vowel ("VIIET" for "VIỆT", "THÁAP" for
"THÁP"). Every Vietnamese word is one syllable of a closed shape: an onset, a vowel group, a final
consonant or glide, so a token whose letters (`search.fold`: no marks, đ→d) fit no such shape is an
OCR slip, not a word. If dropping one of two equal letters side by side makes it fit, that letter
was the mark: the unmarked one is dropped, the marked one kept ("THÁAP" → "THÁP"). Only the shape
is used, no list of words: abbreviations ("UBND", "KH&CN") and real words ("HƯU" folds to "huu",
a shape that exists) are left alone.
"""

from __future__ import annotations

import re

from modules.engine.search import fold
from modules.engine.vietnamese_syllables import known

ONSETS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x"
# vowel groups once marks are folded (ươ → uo, iê/yê → ie/ye, uyê → uye, ...), longest first
VOWELS = (
    "uyu|uya|uye|uoi|uou|oai|oao|oay|oeo|uai|uay|ieu|yeu|uao|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|"
    "a|e|i|o|u|y"
)
FINALS = "ch|ng|nh|c|m|n|p|t"
SYLLABLE = re.compile(rf"(?:{ONSETS})?(?:{VOWELS})(?:{FINALS})?")


def is_syllable(word: str) -> bool:
    """Whether `word`'s letters, marks folded away, have the shape of a Vietnamese syllable."""
    return SYLLABLE.fullmatch(fold(word)) is not None


def mend(word: str) -> str:
    """`word`, or when it is no syllable but is one without one of two equal letters side by side,
    that syllable (the unmarked letter of the two dropped)."""
    if not word.isalpha() or is_syllable(word):
        return word
    mended = set()
    for at in range(len(word) - 1):
        if fold(word[at]) == fold(word[at + 1]):
            # drop the one that carries no mark (it is what OCR made of the mark)
            drop = at + 1 if fold(word[at + 1]) == word[at + 1].lower() else at
            candidate = word[:drop] + word[drop + 1 :]
            if is_syllable(candidate):
                mended.add(candidate)
    return mended.pop() if len(mended) == 1 else word


def split_glued(word: str) -> list[str]:
    """`word` as two syllables when OCR ran two together ("SƠNLA" for SƠN LA): it is no syllable of
    the dictionary (`engine/vietnamese_syllables`), and exactly one cut leaves two that are; else
    `[word]`. Abbreviations ("UBND", "HĐND") have no such cut and stay whole."""
    if not word.isalpha() or len(word) < 4 or known(word):
        return [word]
    cuts = [at for at in range(2, len(word) - 1) if known(word[:at]) and known(word[at:])]
    return [word[: cuts[0]], word[cuts[0] :]] if len(cuts) == 1 else [word]
