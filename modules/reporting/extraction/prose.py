"""Candidates from running text: "Tổng kinh phí đã giải ngân là 1,2 tỷ đồng, đạt 85,5% kế hoạch."

A sentence is cut into clauses (commas, semicolons, parentheses, "và", "trong đó"). A figure
is scored against the indicators with its own clause first, then with the clauses before
it in the sentence, then with the paragraph it is a bullet of ("Trong đó:"), each wider
context counting less. Words right around the figure ("kế hoạch giao", "năm 2023", "tăng")
mark plans, earlier periods and changes, which are not the reported figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .closing import cut_closing, is_closing
from .kinds import is_unit_text, numeric_value, resolve_choice, unit_in_text
from .matcher import MIN_LABEL_SCORE, LabelIndex
from .model import NUMERIC_KINDS, TEXT_KINDS, Candidate, IndicatorSpec
from .normalise import is_child_label, normalise_label, section_prefix_length, strip_child_marker
from .numbers import Mention, find_quantities, money_scale
from .readers import Passage

PROSE_SOURCE = 0.85  # a figure in a sentence is read less surely than one in a labelled cell
WIDER_CONTEXT = 0.85
ASIDE = 0.7  # a figure in parentheses is often a comparison ("năm 2023: 18"), a rate less so
PART = 0.8  # a figure after "trong đó" is a part of the one before it, rarely the indicator itself

# Not ":": "Số doanh nghiệp KH&CN: 37" is one label and its figure.
_CLAUSE_BREAK = re.compile(r"[,;()]|\s(?:và|trong đó|bao gồm|đồng thời|nhưng|còn|riêng)\s", re.IGNORECASE)
_SUB = re.compile(r"\s(?:trong đó|bao gồm)\s", re.IGNORECASE)
# "và" inside a name is not a break: "khoa học và công nghệ", "nghiên cứu và phát triển".
_FIXED = ("hoc va cong", "cuu va phat", "luong va chat", "moi va sang", "chuc va ca", "kh va cn")
_SENTENCE_END = re.compile(r"[.!?;]\s+|\n+")
_WINDOW = 6  # words either side of a figure that may say "plan", "last year", "increase"


def _sentences(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if any(x.start <= m.start() < x.end for x in mentions):
            continue
        nxt = text[m.end() : m.end() + 1]
        if m.group().startswith((";", "\n")) or not nxt or nxt.isupper() or not nxt.isalpha():
            spans.append((start, m.end()))
            start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    aside: bool  # inside parentheses
    sub: bool  # after "trong đó" / "bao gồm": a part of the figure before it


def _clauses(text: str, start: int, end: int, mentions: Sequence[Mention]) -> list[_Clause]:
    """The pieces of one sentence."""
    out: list[_Clause] = []
    pos, depth, sub = start, 0, False
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if any(x.start <= m.start() < x.end for x in mentions):
            continue
        if m.group().strip().lower() == "và":
            around = normalise_label(text[max(start, m.start() - 12) : m.end() + 12])
            if any(f in around for f in _FIXED):
                continue
        if m.start() > pos:
            out.append(_Clause(pos, m.start(), depth > 0, sub))
        pos = m.end()
        sub = bool(_SUB.fullmatch(m.group()))
        if m.group() == "(":
            depth += 1
        elif m.group() == ")":
            depth = max(0, depth - 1)
    if pos < end:
        out.append(_Clause(pos, end, depth > 0, sub))
    return out


def _lead_label(text: str, start: int, before: int, mentions: Sequence[Mention]) -> str:
    """The "Label:" opening a sentence, when no figure stands between it and ``before``."""
    head, colon, _ = text[start:before].partition(":")
    if not colon or len(head.split()) > 12:
        return ""
    if any(start <= m.start < before for m in mentions):
        return ""  # the lead belongs to the first figure after it
    return head


def _without(text: str, start: int, end: int, mentions: Sequence[Mention]) -> str:
    """A clause with its figures blanked, so numbers do not count as words."""
    chars = list(text[start:end])
    for m in mentions:
        for i in range(max(m.start, start), min(m.end, end)):
            chars[i - start] = " "
    return "".join(chars)


class ProseReader:
    def __init__(self, index: LabelIndex, doc_year: int | None) -> None:
        self.index = index
        self.doc_year = doc_year
        self.candidates: list[Candidate] = []

    def read(self, passages: Sequence[Passage]) -> None:
        parent = ""
        for k, passage in enumerate(passages):
            text = passage.text
            child = is_child_label(text)
            context = parent if child else ""
            self._numbers(passage, context)
            self._answers(passages, k)
            if not child:
                parent = (
                    text if text.rstrip().endswith(":") or re.search(r"trong\s+đó\s*:?\s*$", text) else ""
                )

    # -- figures -----------------------------------------------------------------------

    def _numbers(self, passage: Passage, parent: str) -> None:
        text = passage.text
        skip = section_prefix_length(text)
        mentions = [m for m in find_quantities(text) if m.start >= skip]
        if not mentions:
            return
        for s_start, s_end in _sentences(text, mentions):
            inside = [m for m in mentions if s_start <= m.start < s_end]
            if not inside:
                continue
            clauses = _clauses(text, s_start, s_end, inside)
            for mention in inside:
                self._mention(passage, mention, clauses, inside, parent)

    def _mention(
        self, passage: Passage, mention: Mention, clauses: list[_Clause], mentions: list[Mention], parent: str
    ) -> None:
        text = passage.text
        idx = next((i for i, c in enumerate(clauses) if c.start <= mention.start < c.end), None)
        if idx is None:
            return
        clause = clauses[idx]
        own = _without(text, clause.start, clause.end, mentions)
        qty = mention.quantity
        # A "%" reads as a rate, an amount of money as funds: "đạt 64%", "đã giải ngân 9.120 triệu đồng".
        rate = " tỷ lệ" if qty.percent else " kinh phí" if qty.scale is not None else ""
        earlier = [c for c in clauses[:idx] if not c.aside]
        before = " ".join(_without(text, c.start, c.end, mentions) for c in earlier)
        contexts: list[tuple[str, float, float]] = []
        if clause.sub and any(m.end <= clause.start for m in mentions):
            # "nghiệm thu 6 nhiệm vụ, trong đó có 2 nhiệm vụ cấp quốc gia": 2 is of the 6, read together.
            contexts.append((f"{before} {own}{rate}", PART, 3.0))
        else:
            contexts.append((own + rate, 1.0, 3.0))
            if before.strip():
                contexts.append((f"{before} {own}{rate}", WIDER_CONTEXT, 3.0))
            nxt = clauses[idx + 1] if idx + 1 < len(clauses) else None
            if nxt and not nxt.aside and not any(nxt.start <= m.start < nxt.end for m in mentions):
                # "5 cuộc thanh tra, kiểm tra": the label goes on after the comma.
                contexts.append((f"{own} {text[nxt.start : nxt.end]}{rate}", WIDER_CONTEXT, 3.0))
        lead = _lead_label(text, clauses[0].start, clause.start, mentions)
        if lead:
            # "Về nhiệm vụ cấp tỉnh: Sở đang quản lý 41 nhiệm vụ, ...": the lead names what follows.
            contexts.append((f"{lead} {own}{rate}", 0.95, 3.0))
        if parent:
            contexts.append((f"{strip_child_marker(parent)} {own}{rate}", WIDER_CONTEXT, 3.0))
        scores: dict[str, tuple[float, IndicatorSpec, str]] = {}
        for ctx, weight, beta in contexts:
            for m in self.index.score(ctx, beta=beta):
                if m.spec.kind in NUMERIC_KINDS and m.score >= MIN_LABEL_SCORE:
                    s = m.score * weight
                    if m.spec.code not in scores or s > scores[m.spec.code][0]:
                        scores[m.spec.code] = (s, m.spec, ctx)
        if not scores:
            return
        window = self._window(text, mention, clause.start, clause.end)
        after = normalise_label(text[mention.end : mention.end + 30])
        words = after.split()
        # "3 quyết định xử phạt", "5 cuộc": a count of things, never an amount of money.
        counted = qty.scale is None and any(is_unit_text(" ".join(words[:n])) for n in (1, 2)[: len(words)])
        for s, spec, ctx in scores.values():
            if spec.kind == "money" and counted and money_scale(after) is None:
                continue
            units = [qty.unit, unit_in_text(text[clause.start : clause.end])]
            got = numeric_value(spec, qty, units)
            if got is None:
                continue
            value, quality = got
            penalty = self.index.penalty(window, spec, self.doc_year, percent=qty.percent)
            unit_fit = 1.0
            wanted = normalise_label(spec.unit)
            if spec.kind == "number" and wanted and not after.startswith(wanted):
                unit_fit = 0.93
            aside = (1 + ASIDE) / 2 if qty.percent else ASIDE  # "(đạt 47,5%)" is the rate itself
            conf = s * penalty * quality * unit_fit * PROSE_SOURCE * (aside if clause.aside else 1.0)
            self.candidates.append(
                Candidate(
                    code=spec.code,
                    value=value,
                    raw=mention.raw.strip(),
                    location=passage.location_at(mention.start),
                    matched_label=" ".join(ctx.split())[:160],
                    confidence=conf,
                    value_key=("text", passage.order, mention.start),
                    label_key=("text", passage.order, mention.start),
                    order=passage.order * 100_000 + mention.start,
                )
            )

    def _window(self, text: str, mention: Mention, c_start: int, c_end: int) -> str:
        before = text[c_start : mention.start].split()[-_WINDOW:]
        after = text[mention.end : c_end].split()[:_WINDOW]
        return " ".join([*before, *after])

    # -- text and choice answers ---------------------------------------------------------

    def _answers(self, passages: Sequence[Passage], k: int) -> None:
        """ "Kiến nghị, đề xuất: ..." inline, or as a heading followed by its paragraphs."""
        passage = passages[k]
        text = passage.text
        body_start = section_prefix_length(text)
        label, sep, rest = text[body_start:].partition(":")
        inline = bool(sep) and len(label) <= 120
        if not inline:
            if len(text.split()) > 15:
                return
            label, rest = text[body_start:], ""
        matches = [
            m for m in self.index.score(label) if m.spec.kind in TEXT_KINDS and m.score >= MIN_LABEL_SCORE
        ]
        if not matches:
            return
        if rest.strip():
            answer = cut_closing(rest.strip())
            loc = passage.location_at(body_start + len(label) + 1)
            order = passage.order
        else:
            body: list[Passage] = []
            for nxt in passages[k + 1 :]:
                head, colon, _ = nxt.text.partition(":")
                if is_closing(nxt.text):
                    break  # "Trân trọng báo cáo./.", "Nơi nhận:", "KT. GIÁM ĐỐC": the letter ends
                if _is_heading(nxt.text) or (
                    colon
                    and len(head) <= 120
                    and any(m.score >= MIN_LABEL_SCORE for m in self.index.score(head))
                ):
                    break  # the next section, or the next "Label: value" line
                body.append(nxt)
            if not body:
                return
            answer = cut_closing("\n".join(p.text for p in body))
            loc = body[0].location_at(0)
            order = body[0].order
        if not answer:
            return
        for m in matches:
            if m.spec.kind == "choice":
                got = resolve_choice(answer, m.spec.choices)
                if got is None:
                    continue
                value, quality = got
            else:
                value, quality = answer, 1.0
            self.candidates.append(
                Candidate(
                    code=m.spec.code,
                    value=value,
                    raw=answer[:500],
                    location=loc,
                    matched_label=label.strip(),
                    confidence=m.score * quality * PROSE_SOURCE,
                    value_key=("answer", order, m.spec.code),
                    label_key=("answer", passage.order),
                    order=passage.order * 100_000,
                )
            )


_HEADING = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[A-ZĐ]\.)\s")


def _is_heading(text: str) -> bool:
    """A section title: numbered ("III. ...", "2.1. ..."), all capitals, or a short line ending in ":"."""
    letters = [ch for ch in text if ch.isalpha()]
    capitals = bool(letters) and all(ch.isupper() for ch in letters)
    if capitals and len(text.split()) <= 15:
        return True
    if _HEADING.match(text):
        # "2.1. Tài chính" is a heading; "1. Đề nghị Bộ ... ngân sách nhà nước." is an item of a list.
        return len(text.split()) <= 12 and not text.rstrip().endswith((".", ";"))
    return text.rstrip().endswith(":") and len(text.split()) <= 12
