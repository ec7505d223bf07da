"""Officers' abbreviations of indicator names: the declared, reviewable list.

Reports write "Số NV KH&CN cấp QG", "KP đã GN (tr.đ)", "SL DN KH&CN", "Số HĐ chuyển giao
CN", "Số cuộc TT, KT". Matching works on normalised tokens (no diacritics, lower case,
punctuation as spaces: "KH&CN" -> "kh cn", "ĐT" -> "dt"), so both tables are keyed by them.

- ``ABBREVIATIONS``: one meaning wherever they stand; a longer key wins ("kh cn" is "khoa học
  công nghệ", a lone "kh" is "kế hoạch"). Expanded by ``normalise.canonical_tokens``.
- ``AMBIGUOUS``: several meanings ("CN" is "công nghệ", "chứng nhận" or "cá nhân"; "ĐT" is
  "đề tài", "đào tạo" or "đầu tư"). Which one is meant is read off the form being filled:
  the meaning whose words, and whose pairs of words with the neighbours, the form's
  indicators use (:func:`resolve_ambiguous`); none of them, and the token stays as written.

"DA" (dự án) is in neither: without diacritics it is "đã". To add one: put it here, with a
line in ``tests/test_extraction.py``'s abbreviation tests.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import pairwise

ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("kh", "va", "cn"): ("khoa", "hoc", "cong", "nghe"),
    # "HĐ" is also "hoạt động" or "hội đồng": only beside technology transfer is it a contract.
    ("hd", "cgcn"): ("hop", "dong", "chuyen", "giao", "cong", "nghe"),
    ("hd", "chuyen", "giao"): ("hop", "dong", "chuyen", "giao"),
    ("kh", "cn"): ("khoa", "hoc", "cong", "nghe"),
    ("khcn",): ("khoa", "hoc", "cong", "nghe"),
    ("khoa", "hoc", "va", "cong", "nghe"): ("khoa", "hoc", "cong", "nghe"),
    ("dm", "st"): ("doi", "moi", "sang", "tao"),
    ("dmst",): ("doi", "moi", "sang", "tao"),
    ("qg",): ("quoc", "gia"),
    ("nv",): ("nhiem", "vu"),
    ("dn",): ("doanh", "nghiep"),
    ("shtt",): ("so", "huu", "tri", "tue"),
    ("cgcn",): ("chuyen", "giao", "cong", "nghe"),
    ("nsnn",): ("ngan", "sach", "nha", "nuoc"),
    ("kp",): ("kinh", "phi"),
    ("tl",): ("ty", "le"),
    ("sl",): ("so", "luong"),
    ("dvt",): ("don", "vi", "tinh"),
    ("ptn",): ("phong", "thi", "nghiem"),
    ("nckh",): ("nghien", "cuu", "khoa", "hoc"),
    ("r", "d"): ("nghien", "cuu", "phat", "trien"),
    ("ubnd",): ("uy", "ban", "nhan", "dan"),
    ("nc", "va", "pt"): ("nghien", "cuu", "phat", "trien"),
    ("nc", "pt"): ("nghien", "cuu", "phat", "trien"),
    ("ncpt",): ("nghien", "cuu", "phat", "trien"),
    ("nc",): ("nghien", "cuu"),
    ("ns",): ("ngan", "sach"),
    ("sc",): ("sang", "che"),
    ("vphc",): ("vi", "pham", "hanh", "chinh"),
    ("tt", "kt"): ("thanh", "tra", "kiem", "tra"),
    ("ttkt",): ("thanh", "tra", "kiem", "tra"),
    ("gphi",): ("giai", "phap", "huu", "ich"),
    # What is left of "KH" and "TH" after the above are plan and performed ("KH 2024", "TH 2024").
    ("kh",): ("ke", "hoach"),
    ("th",): ("thuc", "hien"),
    ("tr", "d"): ("trieu", "dong"),
    ("trd",): ("trieu", "dong"),
    # Added for issue 14: abbreviations officers use for indicator names.
    ("sn",): ("su", "nghiep"),  # "KP SN KH&CN": kinh phí sự nghiệp
    ("gn",): ("giai", "ngan"),
    ("xp",): ("xu", "phat"),
    ("xlvp",): ("xu", "ly", "vi", "pham"),
    ("gcn",): ("giay", "chung", "nhan"),
    ("qd",): ("quyet", "dinh"),
    ("dk",): ("dang", "ky"),
    ("cb",): ("can", "bo"),
    ("cg",): ("chuyen", "giao"),
    ("dp",): ("dia", "phuong"),
    ("shcn",): ("so", "huu", "cong", "nghiep"),
    ("tdc",): ("tieu", "chuan", "do", "luong", "chat", "luong"),
}


AMBIGUOUS: dict[str, tuple[tuple[str, ...], ...]] = {
    "cn": (("cong", "nghe"), ("chung", "nhan"), ("ca", "nhan"), ("cong", "nhan")),
    "dt": (("de", "tai"), ("dao", "tao"), ("dau", "tu")),
    "tb": (("trung", "binh"), ("thiet", "bi"), ("thong", "bao")),
    "nt": (("nghiem", "thu"), ("nhu", "tren")),
    "hd": (("hop", "dong"), ("hoat", "dong"), ("hoi", "dong")),
    "tt": (("thanh", "tra"), ("thong", "tin"), ("tiep", "tuc")),
    "kt": (("kiem", "tra"), ("ky", "thuat"), ("kinh", "te")),
    "tc": (("to", "chuc"), ("tieu", "chuan"), ("tai", "chinh")),
    "ud": (("ung", "dung"),),
    "sp": (("san", "pham"),),
    "ql": (("quan", "ly"),),
    "cs": (("co", "so"), ("chinh", "sach")),
}


def resolve_ambiguous(tokens: tuple[str, ...], vocabulary: Collection[str]) -> tuple[str, ...]:
    """Expand each ambiguous abbreviation into the meaning the form's ``vocabulary`` (its
    indicators' words and word pairs) supports best: a pair with a neighbour counts double
    ("chuyển giao CN" -> "giao cong"); no support, or a token the form itself uses, stays."""
    if not any(t in AMBIGUOUS for t in tokens):
        return tokens
    out: list[str] = []
    for i, tok in enumerate(tokens):
        meanings = AMBIGUOUS.get(tok)
        if not meanings or tok in vocabulary:
            out.append(tok)
            continue
        prev = out[-1] if out else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        best, best_score = None, 0
        for words in meanings:
            score = sum(1 for w in words if w in vocabulary)
            score += sum(2 for a, b in pairwise(words) if f"{a} {b}" in vocabulary)
            score += 2 if prev and f"{prev} {words[0]}" in vocabulary else 0
            score += 2 if nxt and f"{words[-1]} {nxt}" in vocabulary else 0
            if score > best_score:
                best, best_score = words, score
        out.extend(best or (tok,))
    return tuple(out)
