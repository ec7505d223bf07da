"""The closing block of an administrative letter, where a free-text answer must stop.

A Vietnamese letter (Decree 30/2020/NĐ-CP layout) ends with a closing formula ("Trân trọng
báo cáo./.", "Trên đây là báo cáo ..."), the list of recipients ("Nơi nhận: - Như trên; -
Lưu: VT.") and the signature block ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký)", a name). In
a PDF the recipients and the signature, set side by side in a borderless table, run into
the same text lines. None of it belongs to the answer above it.
"""

from __future__ import annotations

import re

# Each at the start of a paragraph, a line or a sentence. Signature titles only in capitals.
_CLOSING = re.compile(
    r"(?:^|(?<=\n)|(?<=[.;:!?]\s)|(?<=\./\.\s))\s*(?:"
    r"(?i:(?:xin\s+)?trân\s+trọng|trên\s+đây\s+là|nơi\s+nhận\s*:|kính\s+báo\s+cáo\s*[./]|\((?:đã\s+)?ký"
    r"|[-–+]\s*(?:như\s+trên|lưu\s*:?\s*vt))"
    r"|(?:KT|TM|TL|TUQ|Q)\.\s*[A-ZĐ]|(?:PHÓ\s+)?GIÁM\s+ĐỐC\b|(?:PHÓ\s+)?CHỦ\s+TỊCH\b|CHÁNH\s+VĂN\s+PHÒNG\b"
    r"|NGƯỜI\s+LẬP\b|THỦ\s+TRƯỞNG\b"
    r")"
)


# A sentence with "trân trọng" closes the letter: "Sở KH&CN tỉnh X trân trọng báo cáo./."
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?/]+|\n|$)")
_COURTESY = re.compile(r"\btrân\s+trọng\b", re.IGNORECASE)


def closing_start(text: str) -> int | None:
    """Where the closing block starts in ``text``, or None."""
    m = _CLOSING.search(text)
    at = m.start() if m else None
    for s in _SENTENCE.finditer(text):
        if at is not None and s.start() >= at:
            break
        if _COURTESY.search(s.group()):
            return s.start() + len(s.group()) - len(s.group().lstrip())
    return at


def is_closing(text: str) -> bool:
    """A paragraph that opens the closing block."""
    return closing_start(text) == 0


def cut_closing(text: str) -> str:
    """The text before its closing block, if it has one."""
    at = closing_start(text)
    return text if at is None else text[:at].rstrip()
