"""Acceptance of an S&T task (nghiệm thu), domain.md §7 "Acceptance" (TT 11/2014/TT-BKHCN).

Pure functions of dates and votes, so each rule is tested on its own with the figures of the
text: the dossier within 30 days of the contract's end; the validity check within 3 working
days, 5 more for missing items; publication within 5 working days, for 60 days; the council
formed within 15 working days, of 9 members (6 from the expert database, 3 from the ministry,
the users and the ordering body), meeting within 30 days, quorum two thirds; the rating
("Xuất sắc" with at least three quarters of the members and no "Không đạt" vote, "Không đạt"
with more than a third, otherwise "Đạt"); revisions within 30 working days; the recognition
decision within 10 working days. Working days come from the calendar (`engine.workdays`).
Periods in plain days are counted by the Civil Code 2015 (domain.md §1.6): the first day is not
counted (Art. 147), and a last day that is a weekend or holiday moves to the next working day
(Art. 148(5)); a publication "for 60 days" is a length, not a deadline, so it is not moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from modules.engine import workdays
from modules.engine.ballots import QuorumRule, Seat, quorum_problems

SUBMISSION_DAYS = 30  # calendar days after the contract's end
CHECK_WORKING_DAYS = 3  # validity check
MISSING_WORKING_DAYS = 5  # missing items
PUBLISH_WORKING_DAYS = 5  # publication starts within
PUBLISHED_DAYS = 60  # and lasts
COUNCIL_WORKING_DAYS = 15  # council formed within
MEETING_DAYS = 30  # council meets within, from its formation
REVISION_WORKING_DAYS = 30
DECISION_WORKING_DAYS = 10
COUNCIL_SIZE = 9
FROM_EXPERT_DATABASE = 6
FROM_OTHERS = 3  # the ministry, the users, the ordering body
MEASURING_GROUP = 3
QUORUM = QuorumRule(fraction=Fraction(2, 3))
EXCELLENT_SHARE = Fraction(3, 4)
FAIL_SHARE = Fraction(1, 3)

EXCELLENT, PASS, FAIL = "excellent", "pass", "fail"
RATINGS = (
    (EXCELLENT, "Xuất sắc", "Excellent"),
    (PASS, "Đạt", "Pass"),
    (FAIL, "Không đạt", "Fail"),
)
RATING_LABELS = {code: (vi, en) for code, vi, en in RATINGS}
EXPERT_DATABASE = "expert_db"
MEMBER_GROUPS = (
    (EXPERT_DATABASE, "Cơ sở dữ liệu chuyên gia", "Expert database"),
    ("ministry", "Bộ, cơ quan quản lý", "Ministry"),
    ("user", "Đơn vị sử dụng kết quả", "User of the results"),
    ("ordering_body", "Bên đặt hàng", "Ordering body"),
)


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def days_after(start: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` plain days begun on `start` (Art. 147, 148(5))."""
    return workdays.next_working_day(start + dt.timedelta(days=days))


def submission_due(contract_end: dt.date) -> dt.date:
    """The last day to file the acceptance dossier: 30 days after the contract's end."""
    return days_after(contract_end, SUBMISSION_DAYS)


def check_due(received: dt.date) -> dt.date:
    return workdays.add_working_days(received, CHECK_WORKING_DAYS)


def missing_due(requested: dt.date) -> dt.date:
    return workdays.add_working_days(requested, MISSING_WORKING_DAYS)


def publish_due(valid: dt.date) -> dt.date:
    return workdays.add_working_days(valid, PUBLISH_WORKING_DAYS)


def published_until(published: dt.date) -> dt.date:
    return published + dt.timedelta(days=PUBLISHED_DAYS)


def council_due(valid: dt.date) -> dt.date:
    """The council is formed within 15 working days of the dossier found valid."""
    return workdays.add_working_days(valid, COUNCIL_WORKING_DAYS)


def meeting_due(formed: dt.date) -> dt.date:
    return days_after(formed, MEETING_DAYS)


def revision_due(rated: dt.date) -> dt.date:
    return workdays.add_working_days(rated, REVISION_WORKING_DAYS)


def decision_due(revised: dt.date) -> dt.date:
    return workdays.add_working_days(revised, DECISION_WORKING_DAYS)


@dataclass(frozen=True)
class Tally:
    present: int
    excellent: int
    passed: int
    failed: int
    rating: str

    def as_dict(self) -> dict[str, int | str]:
        return {
            "present": self.present,
            "excellent": self.excellent,
            "pass": self.passed,
            "fail": self.failed,
            "rating": self.rating,
        }


def rate(votes: Sequence[str]) -> Tally:
    """The council's rating from the votes of the members present (one vote each): "members"
    in the rule are the members who sit and vote, the quorum having been checked before (so the
    boundaries move with 9, 8, 7 or 6 present).

    "Không đạt" when more than a third voted it; "Xuất sắc" when at least three quarters voted
    it and nobody voted "Không đạt"; otherwise "Đạt". Exact fractions: 3 of 9 is not more than a
    third, 6 of 8 is three quarters."""
    present = len(votes)
    excellent = sum(1 for v in votes if v == EXCELLENT)
    failed = sum(1 for v in votes if v == FAIL)
    passed = present - excellent - failed
    if present and Fraction(failed, present) > FAIL_SHARE:
        rating = FAIL
    elif present and Fraction(excellent, present) >= EXCELLENT_SHARE and failed == 0:
        rating = EXCELLENT
    else:
        rating = PASS
    return Tally(present, excellent, passed, failed, rating)


@dataclass(frozen=True)
class Member:
    group: str
    from_database: bool  # linked to an expert of the database
    present: bool = False
    role: str = "member"


def composition_problems(members: Sequence[Member]) -> list[str]:
    """9 members: 6 from the expert database, 3 from the ministry, users and ordering body."""
    problems: list[str] = []
    count = len(members)
    experts = sum(1 for m in members if m.group == EXPERT_DATABASE)
    others = count - experts
    if count != COUNCIL_SIZE:
        problems.append(
            f"Hội đồng nghiệm thu có 9 thành viên (đang có {count}). / "
            f"An acceptance council has 9 members ({count})."
        )
    if experts != FROM_EXPERT_DATABASE or others != FROM_OTHERS:
        problems.append(
            f"Cần 6 thành viên từ cơ sở dữ liệu chuyên gia và 3 từ Bộ, đơn vị sử dụng, bên đặt hàng "
            f"(đang có {experts} và {others}). / 6 members from the expert database and 3 from the "
            f"ministry, users and ordering body are needed ({experts} and {others})."
        )
    unlinked = sum(1 for m in members if m.group == EXPERT_DATABASE and not m.from_database)
    if unlinked:
        problems.append(
            f"{unlinked} thành viên thuộc cơ sở dữ liệu chuyên gia chưa chọn chuyên gia. / "
            f"{unlinked} member(s) drawn from the expert database name no expert."
        )
    chairs = sum(1 for m in members if m.role == "chair")
    if count and chairs != 1:
        problems.append(
            f"Cần đúng 1 Chủ tịch hội đồng (đang có {chairs}). / Exactly one chair needed ({chairs})."
        )
    return problems


def quorum(members: Sequence[Member]) -> list[str]:
    """Two thirds of the members present (6 of 9)."""
    return quorum_problems([Seat(m.role, m.present) for m in members], QUORUM)


def late_message(due: dt.date, what_vi: str, what_en: str) -> str:
    return f"Đã quá hạn {what_vi} ({_d(due)}). / Past the deadline to {what_en} ({_d(due)})."
