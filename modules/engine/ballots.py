"""Council votes any module can count: the quorum and ballots far from the mean.

An S&T selection council (domain.md §7.5: quorum of two thirds with the chair or vice-chair
and both reviewers; a ballot more than 20 % from the mean is invalid) and an acceptance
council (§7 "Acceptance": quorum 2/3) count the same way, so the counting lives here and the
modules say their fractions and required seats. Exact fractions: "at least two thirds" and
"more than 20 %" are judged without rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


@dataclass(frozen=True)
class Seat:
    """One member of a council: their role on it and whether they are present."""

    role: str
    present: bool


@dataclass(frozen=True)
class QuorumRule:
    """At least `fraction` of the members present; every seat group of `all_of` fully present
    (e.g. both reviewers); at least one seat of each group in `one_of` (chair or vice-chair)."""

    fraction: Fraction = Fraction(2, 3)
    all_of: tuple[tuple[str, str, str], ...] = ()  # (role, label_vi, label_en)
    one_of: tuple[tuple[tuple[str, ...], str, str], ...] = ()  # (roles, label_vi, label_en)


def quorum_problems(seats: Sequence[Seat], rule: QuorumRule) -> list[str]:
    """What keeps the meeting from scoring ("Vietnamese. / English." each); empty: quorum met."""
    problems: list[str] = []
    members = len(seats)
    present = sum(1 for s in seats if s.present)
    if members == 0 or Fraction(present, members) < rule.fraction:
        problems.append(
            f"Chưa đủ số thành viên: có mặt {present}/{members}, cần ít nhất "
            f"{rule.fraction.numerator}/{rule.fraction.denominator}. / "
            f"No quorum: {present} of {members} present, at least "
            f"{rule.fraction.numerator}/{rule.fraction.denominator} needed."
        )
    for role, label_vi, label_en in rule.all_of:
        holders = [s for s in seats if s.role == role]
        if not holders or not all(s.present for s in holders):
            problems.append(f"Vắng {label_vi}. / {label_en} absent.")
    for roles, label_vi, label_en in rule.one_of:
        if not any(s.present and s.role in roles for s in seats):
            problems.append(f"Vắng {label_vi}. / {label_en} absent.")
    return problems


def mean(values: Iterable[Number]) -> Fraction | None:
    """The exact mean (None for no value)."""
    items = [Fraction(v) for v in values]
    return sum(items, Fraction(0)) / len(items) if items else None


def deviating(totals: Sequence[Number], tolerance: Fraction = Fraction(1, 5)) -> set[int]:
    """Indexes of ballots whose total is more than `tolerance` of the mean away from the mean
    of all ballots (exactly 20 % away is still valid)."""
    average = mean(totals)
    if average is None:
        return set()
    limit = tolerance * average
    return {i for i, total in enumerate(totals) if abs(Fraction(total) - average) > limit}
