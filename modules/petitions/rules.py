"""The vocabulary and time rules of Decree 20/2008 (domain.md §4)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from modules.engine import workdays

FORWARD_WORKING_DAYS = 5  # Art. 9: matters outside our competence are forwarded within 5 working days

CONTENT_TYPES = (  # Art. 5
    (
        "slow_application",
        "Vướng mắc do chậm hoặc không đúng việc thực hiện quy định",
        "Slow or wrongful application",
    ),
    ("unsuited", "Quy định không phù hợp với thực tế", "Rule unsuited to reality"),
    ("inconsistent", "Quy định không thống nhất, không đồng bộ", "Rules inconsistent with each other"),
    ("unlawful", "Quy định không hợp pháp", "Unlawful rule"),
    ("against_treaty", "Quy định trái điều ước quốc tế", "Rule contrary to treaties"),
    ("other", "Vấn đề khác liên quan đến quy định hành chính", "Other"),
    ("proposed_fix", "Phương án xử lý, đề xuất", "Proposed fix"),
    ("initiative", "Sáng kiến ban hành quy định mới", "Initiative for a new rule"),
)
CHANNELS = (  # Art. 6–7
    ("in_person", "Văn bản nộp trực tiếp", "In person, in writing"),
    ("post", "Qua đường bưu chính", "By post"),
    ("online", "Trực tuyến", "Online"),
    ("hotline", "Điện thoại (đường dây nóng)", "Hotline"),
    ("survey", "Phiếu lấy ý kiến", "Opinion survey form"),
)
CRITERIA = (  # Art. 14: the six criteria a rule is tested on
    ("crit_necessity", "Tiêu chí: sự cần thiết", "Criterion: necessity"),
    ("crit_legality", "Tiêu chí: hợp lý, hợp pháp", "Criterion: reasonable and lawful"),
    ("crit_simplicity", "Tiêu chí: đơn giản", "Criterion: simplicity"),
    ("crit_feasibility", "Tiêu chí: khả thi", "Criterion: feasibility"),
    ("crit_consistency", "Tiêu chí: thống nhất, đồng bộ", "Criterion: consistency"),
    ("crit_treaty", "Tiêu chí: phù hợp điều ước quốc tế", "Criterion: treaty conformity"),
)
SATISFACTION = (
    ("very_satisfied", "Rất hài lòng", "Very satisfied"),
    ("satisfied", "Hài lòng", "Satisfied"),
    ("unsatisfied", "Chưa hài lòng", "Not satisfied"),
)
SATISFIED = ("very_satisfied", "satisfied")


def forward_deadline(received: dt.date) -> dt.date:
    return workdays.add_working_days(received, FORWARD_WORKING_DAYS)


# --- what is in scope, and in which language (Arts. 1 and 7) -----------------------------

PETITION, COMPLAINT, DENUNCIATION = "petition", "complaint", "denunciation"
KINDS = (
    (PETITION, "Phản ánh, kiến nghị về quy định hành chính", "Petition on an administrative rule"),
    (COMPLAINT, "Khiếu nại", "Complaint"),
    (DENUNCIATION, "Tố cáo", "Denunciation"),
)
NOT_VIETNAMESE = "not_vietnamese"
REFUSAL_REASONS = (
    (NOT_VIETNAMESE, "Không viết bằng tiếng Việt (Điều 7)", "Not written in Vietnamese (Art. 7)"),
    (COMPLAINT, "Khiếu nại: ngoài phạm vi (Điều 1)", "A complaint: out of scope (Art. 1)"),
    (DENUNCIATION, "Tố cáo: ngoài phạm vi (Điều 1)", "A denunciation: out of scope (Art. 1)"),
)
# What the petitioner is told, Vietnamese first, and what the record keeps.
NOTICES = {
    NOT_VIETNAMESE: (
        "Không tiếp nhận: phản ánh, kiến nghị phải sử dụng tiếng Việt (Nghị định 20/2008/NĐ-CP, "
        "Điều 7). Xin gửi lại bằng tiếng Việt. / Not accepted: petitions must be written in "
        "Vietnamese (Decree 20/2008/NĐ-CP, Art. 7). Please file it again in Vietnamese."
    ),
    COMPLAINT: (
        "Ngoài phạm vi: Nghị định 20/2008/NĐ-CP không quy định về khiếu nại (Điều 1). Khiếu nại được "
        "giải quyết theo Luật Khiếu nại 2011: xin gửi đến cơ quan, người có thẩm quyền giải quyết khiếu "
        "nại. / Out of scope: Decree 20/2008/NĐ-CP does not govern complaints (Art. 1). Complaints are "
        "handled under the Law on Complaints 2011: please send it to the body competent to settle it."
    ),
    DENUNCIATION: (
        "Ngoài phạm vi: Nghị định 20/2008/NĐ-CP không quy định về tố cáo (Điều 1). Tố cáo được giải "
        "quyết theo Luật Tố cáo 2018: xin gửi đến cơ quan, người có thẩm quyền giải quyết tố cáo. / "
        "Out of scope: Decree 20/2008/NĐ-CP does not govern denunciations (Art. 1). Denunciations are "
        "handled under the Law on Denunciations 2018: please send it to the body competent to settle it."
    ),
}

# The Vietnamese-syllable rule (a rule, no language model): Vietnamese is written in
# syllables of one shape, (onset)(vowels)(final), with only c, ch, m, n, ng, nh, p, t as
# final consonants. A text is taken as Vietnamese when at least 60 % of its words are
# spelled as Vietnamese syllables, with or without tone marks ("khong dau" text passes).
# English or French text has most words of other shapes ("the" passes, "requests",
# "of", "permis" do not) and other scripts none. Words in capitals (UBND, TNHH, PDF) and
# numbers are left out. Texts of fewer than 4 words are not judged; a text mostly in
# another script than Latin letters is not Vietnamese.
_VOWELS = "aăâeêioôơuưy"
_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
SYLLABLE = re.compile(rf"^(?:{_ONSETS})?[{_VOWELS}]{{1,3}}(?:ch|ng|nh|c|m|n|p|t)?$")
WORD = re.compile(r"[^\W\d_]+")
VIETNAMESE_SHARE = 0.6
MIN_WORDS = 4
MIN_LETTERS = 8


def _base_letters(word: str) -> str:
    """The word without tone marks: 'quyết' → 'quyêt', keeping ă â ê ô ơ ư đ (letters of their own)."""
    out = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(char) and char not in "\u0306\u0302\u031b":  # breve, circumflex, horn
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def vietnamese_share(text: str) -> float | None:
    """The share of words spelled as Vietnamese syllables (None: too few words to judge).

    A text mostly in another script (Chinese, Cyrillic, Thai…) counts 0: Vietnamese is
    written in Latin letters."""
    letters = [c for c in (text or "") if c.isalpha()]
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if len(letters) >= MIN_LETTERS and latin < len(letters) / 2:
        return 0.0
    words = [w for w in WORD.findall(text or "") if not (len(w) > 1 and w.isupper())]
    if len(words) < MIN_WORDS:
        return None
    return sum(1 for w in words if SYLLABLE.match(_base_letters(w))) / len(words)


def is_vietnamese(text: str) -> bool:
    share = vietnamese_share(text)
    return share is None or share >= VIETNAMESE_SHARE


def intake_refusal(kind: str, text: str) -> str | None:
    """Why a new petition is not taken in (a REFUSAL_REASONS code), or None.

    Complaints and denunciations are out of the decree's scope (Art. 1); a petition not
    written in Vietnamese does not meet Art. 7 and is classified "not accepted" (Art. 9)."""
    if kind in (COMPLAINT, DENUNCIATION):
        return kind
    if not is_vietnamese(text):
        return NOT_VIETNAMESE
    return None
