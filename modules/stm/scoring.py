"""Scoring a selection council's ballots and naming the winner (domain.md §7.5-7.6, TT 20/2023).

- Grid of 100 points per task type (§7.6 table).
- A ballot more than 20 % from the mean of all ballots is invalid (§7.5); the mean is then
  taken over the valid ballots.
- The organisation that proposed the task gets +10 % where its mean is at least 70.
- Winner: the highest mean, at least 70, and no criterion scored zero by more than a quarter
  of the members present (counted on the valid ballots: an invalid ballot counts for nothing).
- Ties on the (bonus-included) mean break on the lower state budget, then an "Xuất sắc"
  national task in the last five years, then the higher content score (content and
  methods, with the approach for social-science topics and đề án).
Exact fractions throughout: a tie is a tie, 70 is 70.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from modules.engine.ballots import deviating, mean

PASS_MEAN = 70  # §7.6: winner at least 70, and the proposer's bonus from 70
PROPOSER_BONUS = Fraction(1, 10)  # §7.6: +10 %
ZERO_SHARE = Fraction(1, 4)  # §7.6: no criterion zero-scored by more than 1/4 of members present
EXCELLENT_YEARS = 5  # §7.6 tie-break: an "Xuất sắc" national task in the last five years

TASK_TYPES = (
    ("tech", "Đề tài khoa học kỹ thuật và công nghệ", "Technology topic"),
    ("social", "Đề tài khoa học xã hội và nhân văn", "Social-science topic"),
    ("scheme", "Đề án khoa học", "Science scheme"),
    ("project", "Dự án sản xuất thử nghiệm", "Pilot production project"),
)

# (code, label_vi, label_en, max points), §7.6's table
_TECH = (
    ("overview", "Tổng quan tình hình nghiên cứu", "Overview", 12),
    ("content", "Nội dung và phương pháp", "Content and methods", 24),
    ("products", "Sản phẩm", "Products", 16),
    ("applicability", "Khả năng ứng dụng", "Applicability", 16),
    ("plan", "Kế hoạch và kinh phí khả thi", "Plan and budget feasibility", 16),
    ("capacity", "Năng lực tổ chức, cá nhân", "Capacity", 16),
)
_SOCIAL = (
    ("overview", "Tổng quan tình hình nghiên cứu", "Overview", 12),
    ("content", "Nội dung nghiên cứu", "Content", 12),
    ("approach", "Cách tiếp cận, phương pháp", "Approach and methods", 12),
    ("products", "Sản phẩm, lợi ích, chuyển giao", "Products, benefits, transfer", 24),
    ("plan", "Kế hoạch và kinh phí khả thi", "Plan and budget feasibility", 20),
    ("capacity", "Năng lực tổ chức, cá nhân", "Capacity", 20),
)
_PROJECT = (
    ("overview", "Tổng quan công nghệ và thị trường", "Technology and market overview", 8),
    ("content", "Nội dung và phương pháp", "Content and methods", 20),
    ("products", "Sản phẩm", "Products", 16),
    ("novelty", "Tính mới, khả thi của công nghệ", "Novelty and feasibility of the technology", 12),
    ("effect", "Hiệu quả kinh tế - xã hội", "Socio-economic effect", 12),
    ("plan", "Phương án tài chính", "Financial plan", 16),
    ("capacity", "Năng lực tổ chức, cá nhân", "Capacity", 16),
)
GRIDS: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    "tech": _TECH,
    "social": _SOCIAL,
    "scheme": _SOCIAL,
    "project": _PROJECT,
}
CONTENT_CRITERIA = ("content", "approach")  # the tie-break's "content score"


def ballot_problems(task_type: str, scores: Mapping[str, int]) -> dict[str, str]:
    """Criterion -> what is wrong with its score; empty for a complete, in-range ballot."""
    grid = GRIDS[task_type]
    problems: dict[str, str] = {}
    codes = {code for code, *_ in grid}
    for code in set(scores) - codes:
        problems[code] = "Tiêu chí không thuộc phiếu. / Not a criterion of this grid."
    for code, label_vi, label_en, top in grid:
        value = scores.get(code)
        if value is None:
            problems[code] = f"Chưa chấm «{label_vi}». / “{label_en}” not scored."
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            problems[code] = f"Điểm từ 0 đến {top}. / A whole number from 0 to {top}."
    return problems


@dataclass
class Outcome:
    """One dossier's scores: which ballots counted, the mean, the bonus, and why it cannot win."""

    totals: list[int]
    invalid: set[int]
    mean: Fraction | None
    final: Fraction | None
    bonus: bool
    content: Fraction | None
    zero_criteria: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def qualifies(self) -> bool:
        return not self.reasons


def score(task_type: str, ballots: Sequence[Mapping[str, int]], present: int, proposer: bool) -> Outcome:
    """Count one dossier's ballots from a council with `present` members present."""
    grid = GRIDS[task_type]
    totals = [sum(b[code] for code, *_ in grid) for b in ballots]
    invalid = deviating(totals)
    valid = [b for i, b in enumerate(ballots) if i not in invalid]
    average = mean(totals[i] for i in range(len(totals)) if i not in invalid)
    reasons: list[str] = []
    zero_criteria = [
        code
        for code, *_ in grid
        if present and Fraction(sum(1 for b in valid if b[code] == 0), present) > ZERO_SHARE
    ]
    if average is None:
        reasons.append("Không có phiếu hợp lệ. / No valid ballot.")
        return Outcome(totals, invalid, None, None, False, None, zero_criteria, reasons)
    bonus = proposer and average >= PASS_MEAN
    final = average * (1 + PROPOSER_BONUS) if bonus else average
    content = mean(sum(b.get(code, 0) for code in CONTENT_CRITERIA) for b in valid)
    if average < PASS_MEAN:
        reasons.append(f"Điểm trung bình {_fmt(average)} dưới 70. / Mean {_fmt(average, en=True)} below 70.")
    labels = {code: (vi, en) for code, vi, en, _ in grid}
    for code in zero_criteria:
        vi, en = labels[code]
        reasons.append(
            f"Quá 1/4 thành viên có mặt cho «{vi}» 0 điểm. / "
            f"More than a quarter of the members present scored “{en}” zero."
        )
    return Outcome(totals, invalid, average, final, bonus, content, zero_criteria, reasons)


def _fmt(value: Fraction, en: bool = False) -> str:
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text if en else text.replace(".", ",")


@dataclass(frozen=True)
class Candidate:
    key: object  # the dossier (or its id)
    outcome: Outcome
    state_budget: int  # đồng
    excellent_on: dt.date | None = None  # the host's last "Xuất sắc" national task


@dataclass
class Ranking:
    winner: object | None
    order: list[object]  # qualifying candidates, best first
    decided_by: str  # "mean", "budget", "excellent", "content", "tie" or "none"


def tie_keys(on: dt.date) -> list[tuple[str, Callable[[Candidate], object]]]:
    """The rule's order, each key with its name: the (bonus-included) mean, highest first; then
    the lower state budget; then an "Xuất sắc" national task within five years of `on`; then the
    higher content score. Smaller sorts first."""

    def excellent(c: Candidate) -> bool:
        return c.excellent_on is not None and c.excellent_on + relativedelta(years=EXCELLENT_YEARS) >= on

    return [
        ("mean", lambda c: -c.outcome.final),
        ("budget", lambda c: c.state_budget),
        ("excellent", lambda c: not excellent(c)),
        ("content", lambda c: -(c.outcome.content or 0)),
    ]


def rank(candidates: Sequence[Candidate], on: dt.date) -> Ranking:
    """The winner among qualifying candidates, with the tie-break that decided it."""
    eligible = [c for c in candidates if c.outcome.qualifies]
    if not eligible:
        return Ranking(None, [], "none")
    keys = tie_keys(on)
    order = sorted(eligible, key=lambda c: tuple(k(c) for _, k in keys))
    if len(order) == 1:
        return Ranking(order[0].key, [order[0].key], "mean")
    first, second = order[0], order[1]
    for name, key in keys:
        if key(first) != key(second):
            return Ranking(first.key, [c.key for c in order], name)
    return Ranking(None, [c.key for c in order], "tie")
