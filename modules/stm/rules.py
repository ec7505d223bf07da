"""Calendar rules of selection and direct assignment (domain.md §7.1, §7.3, §7.4), as pure functions.

- A notice is published for at least 30 days before its deadline (§7.1).
- A second notice within 6 months, only if the first had no dossiers, all were invalid, or its
  results were cancelled (§7.1).
- Dossiers are submitted, withdrawn or replaced before the deadline only, by the system's
  timestamp (§7.3); a receipt at the deadline's very minute is on time.
- The dossiers are opened within 7 working days after the deadline (§7.4, B2-1-BBHS).
- The winner's later steps (§7.7-7.9: revision 20 days, appraisal 10, final dossier 15,
  approval 15) count plain days, as domain.md's legal text (TT 20/2023, a primary source) says,
  although issue 18 calls them working-day deadlines: where the two differ we follow the cited
  text. Counted by the Civil Code 2015 (domain.md §1.6): the first day is not counted
  (Art. 147) and a last day that is a weekend or holiday moves to the next working day
  (Art. 148(5)).
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from modules.engine import workdays

NOTICE_DAYS = 30  # §7.1
SECOND_NOTICE_MONTHS = 6  # §7.1
OPENING_WORKING_DAYS = 7  # §7.4

SECOND_REASONS = (
    ("no_dossiers", "Không có hồ sơ đăng ký", "No dossier was filed"),
    ("all_invalid", "Tất cả hồ sơ không hợp lệ", "Every dossier was invalid"),
    ("results_cancelled", "Kết quả tuyển chọn bị huỷ", "The results were cancelled"),
)


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def publication_problem(published_at: dt.datetime, deadline: dt.datetime) -> str | None:
    """A notice must stay open 30 days: the deadline at least 30 days after publication."""
    earliest = published_at + dt.timedelta(days=NOTICE_DAYS)
    if deadline < earliest:
        return (
            f"Thông báo phải đăng ít nhất 30 ngày: hạn nộp sớm nhất là {_local(earliest)}. / "
            f"A notice is published for at least 30 days: the earliest deadline is {_local(earliest)}."
        )
    return None


def second_notice_problem(
    published_at: dt.datetime, first_deadline: dt.datetime, reason: str, facts: dict[str, bool]
) -> str | None:
    """A second notice: within 6 months of the first's deadline, and for an allowed reason that
    holds (`facts`: no_dossiers, all_invalid, results_cancelled, read from the first notice)."""
    last = first_deadline + relativedelta(months=SECOND_NOTICE_MONTHS)
    if published_at > last:
        return (
            f"Thông báo lần hai chỉ trong 6 tháng sau hạn của lần đầu (đến {_local(last)}). / "
            f"A second notice comes within 6 months of the first's deadline (until {_local(last)})."
        )
    labels = {code: (vi, en) for code, vi, en in SECOND_REASONS}
    if reason not in labels:
        return "Chọn lý do thông báo lần hai. / Choose why the notice is repeated."
    if not facts.get(reason):
        vi, en = labels[reason]
        return f"Lý do «{vi}» không đúng với thông báo lần đầu. / “{en}” does not hold for the first notice."
    return None


def before_deadline(now: dt.datetime, deadline: dt.datetime) -> bool:
    """Whether a receipt, withdrawal or replacement at `now` is in time (the minute itself is)."""
    return now <= deadline


def late_message(deadline: dt.datetime) -> str:
    return (
        f"Đã quá hạn nộp hồ sơ ({_local(deadline)}): không nộp, rút hay thay hồ sơ được nữa. / "
        f"The deadline ({_local(deadline)}) has passed: dossiers can no longer be submitted, "
        f"withdrawn or replaced."
    )


def opening_due(deadline: dt.datetime) -> dt.date:
    """The last day to open the dossiers: 7 working days after the deadline's day."""
    return workdays.add_working_days(timezone.localtime(deadline).date(), OPENING_WORKING_DAYS)


def step_due(start: dt.date, days: int) -> dt.date:
    """The last day of a step of `days` plain days begun on `start` (Civil Code Art. 147, 148(5))."""
    return workdays.next_working_day(start + dt.timedelta(days=days))
