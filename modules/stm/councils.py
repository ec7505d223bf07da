"""Forming a selection council (domain.md §7.5): 7-9 members from the expert database, matched
to the task's field, balanced by recent load, with chair, vice-chair, scientific secretary and
two reviewers, and nobody with a conflict of interest (applicants, staff of the host and
partner organisations, declared relatives). Pure functions over plain cards, so a proposal
from 10,000 experts is one pass (bench/councils.py) and every conflict is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from modules.engine.ballots import QuorumRule
from modules.engine.search import fold

from .science_fields import group_of

MIN_MEMBERS, MAX_MEMBERS = 7, 9  # §7.5
ROLES = (
    ("chair", "Chủ tịch", "Chair"),
    ("vice_chair", "Phó Chủ tịch", "Vice-chair"),
    ("secretary", "Thư ký khoa học", "Scientific secretary"),
    ("reviewer", "Ủy viên phản biện", "Reviewer"),
    ("member", "Ủy viên", "Member"),
)
# §7.5: at least two thirds present, with the chair or the vice-chair and both reviewers
SELECTION_QUORUM = QuorumRule(
    fraction=Fraction(2, 3),
    all_of=(("reviewer", "ủy viên phản biện", "A reviewer"),),
    one_of=((("chair", "vice_chair"), "Chủ tịch và Phó Chủ tịch", "Chair and vice-chair"),),
)
TITLE_RANK = {"GS": 3, "PGS": 2}  # professor, associate professor; seniority for the chair


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Names and organisations compared folded (case, diacritics, đ, spaces).

    Cached: a proposal checks every expert of the field's group (about 3,300 in the bench), and
    the pool barely changes between proposals, so folding was most of a proposal's own time."""
    return " ".join(fold(text or "").split())


@dataclass(slots=True)  # not frozen: a frozen card cost ~3x to build, and a proposal builds ~3,300
class ExpertCard:
    id: int
    name: str
    field: str  # science field code
    organisation: str
    load: int = 0  # councils sat on recently
    title: str = ""  # GS, PGS or ""
    relatives: tuple[str, ...] = ()  # declared relatives (names)
    declared: tuple[str, ...] = ()  # organisations declared as conflicts


@dataclass(frozen=True)
class Parties:
    """Who the council judges: the applicants (investigators, team members) and the host and
    partner organisations of every dossier on the task."""

    people: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()

    @classmethod
    def of(cls, people: Iterable[str], organisations: Iterable[str]) -> Parties:
        return cls(frozenset(key(p) for p in people if p), frozenset(key(o) for o in organisations if o))


def conflicts(expert: ExpertCard, parties: Parties) -> list[str]:
    """Why `expert` may not sit ("Vietnamese. / English." each); empty: no conflict."""
    reasons: list[str] = []
    if key(expert.name) in parties.people:
        reasons.append("Là người đăng ký hoặc thành viên thực hiện. / Is an applicant or a team member.")
    if key(expert.organisation) in parties.organisations:
        reasons.append(
            f"Làm việc tại tổ chức chủ trì hoặc phối hợp ({expert.organisation}). / "
            f"Works for a host or partner organisation ({expert.organisation})."
        )
    if expert.declared and not parties.organisations.isdisjoint(key(o) for o in expert.declared):
        reasons.append(
            "Đã khai báo xung đột lợi ích với tổ chức đăng ký. / Declared a conflict with an applicant."
        )
    if expert.relatives and not parties.people.isdisjoint(key(r) for r in expert.relatives):
        reasons.append("Có người thân là người đăng ký. / A declared relative is an applicant.")
    return reasons


@dataclass
class Proposal:
    seats: list[tuple[str, ExpertCard]]  # (role, expert), chair first
    excluded: dict[int, list[str]] = field(default_factory=dict)  # expert id -> conflict reasons
    short_by: int = 0  # members missing to reach the minimum


def propose(
    experts: Sequence[ExpertCard], field_code: str, parties: Parties, size: int = MAX_MEMBERS
) -> Proposal:
    """The least-loaded experts of the task's field (then of its group), conflicts left out.

    Chair and vice-chair: the most senior by title among those chosen (then the least loaded);
    the two reviewers and the secretary: the next, field matches first; the rest members.
    """
    size = max(MIN_MEMBERS, min(MAX_MEMBERS, size))
    group = group_of(field_code)
    exact: list[ExpertCard] = []
    near: list[ExpertCard] = []
    excluded: dict[int, list[str]] = {}
    for expert in experts:
        if expert.field != field_code and group_of(expert.field) != group:
            continue
        reasons = conflicts(expert, parties)
        if reasons:
            excluded[expert.id] = reasons
            continue
        (exact if expert.field == field_code else near).append(expert)
    by_load = sorted(exact, key=lambda e: (e.load, e.id)) + sorted(near, key=lambda e: (e.load, e.id))
    chosen = by_load[:size]
    seniority = sorted(chosen, key=lambda e: (-TITLE_RANK.get(e.title, 0), e.load, e.id))
    chair_and_vice = seniority[:2]
    rest = [e for e in chosen if e not in chair_and_vice]
    rest.sort(key=lambda e: (e.field != field_code, e.load, e.id))
    roles = ["chair", "vice_chair"][: len(chair_and_vice)]
    seats = list(zip(roles, chair_and_vice, strict=True))
    for index, expert in enumerate(rest):
        role = "reviewer" if index < 2 else "secretary" if index == 2 else "member"
        seats.append((role, expert))
    return Proposal(seats, excluded, max(0, MIN_MEMBERS - len(seats)))
