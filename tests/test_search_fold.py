"""`search.fold`, folded character by character through a table, gives what its rule gives for
the whole text: decomposed (NFD), combining marks dropped, case-folded, đ→d, single spaces.
The reference below is that rule written out plainly, applied to the text whole."""

from __future__ import annotations

import random
import unicodedata

from modules.engine.search import fold


def by_the_rule(text: object) -> str:
    decomposed = unicodedata.normalize("NFD", str(text or "").translate(str.maketrans("đĐð", "ddd")))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def test_vietnamese_names_fold_to_their_bare_letters():
    assert fold("Nguyễn Đức Thắng") == "nguyen duc thang"
    assert fold("  TRƯỜNG ĐẠI HỌC\tBÁCH KHOA ") == "truong dai hoc bach khoa"
    assert fold("Nguye\u0303\u0302n") == "nguyen"  # typed decomposed: the marks are dropped too
    assert fold(None) == "" and fold(12) == "12"


def test_any_text_folds_as_the_rule_says_for_the_whole_text():
    rng = random.Random(12)
    ranges = ((32, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x3000, 0x10FFFF))
    for _ in range(3000):
        text = "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(0, 24)))
        assert fold(text) == by_the_rule(text), ascii(text)
