"""The time rules of the one-stop shop (Decree 61/2018, domain.md §1.3–1.5), as plain functions.

- The promised return date counts the procedure's working days from the receipt day (the
  day itself not counted, Civil Code Art. 147); a dossier received on a day off counts from
  the next working day.
- The 15:00 cut-off governs the transfer to the processing unit, not the receipt day
  (Art. 18(1)): received before 15:00 on a working day, it is passed on that same working
  day; at or after 15:00:00 (or on a day off), early the next working day.
- An incomplete dossier is returned with Mẫu 02 within 3 working days of receipt (Art.
  18(2)(a) as summarised in domain.md §1.3 step 4); a later request is flagged.
- A supplement request (Mẫu 02) stops the clock; when the complete dossier comes back,
  the count restarts from zero.
- A late dossier may be re-scheduled (Mẫu 04) only once, and at least one day before
  its deadline (Art. 19(9)).
- Each hand-over between units is early / on time / late against the step's allowance;
  each dossier is classified as the national index (766/QĐ-TTg) does.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone

from modules.engine import workdays

CUT_OFF = dt.time(15, 0)
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9.]{0,30}-\d{6}-\d{4,7}$")

# The statuses synced with the National Public Service Portal (domain.md §1.4).
PORTAL_STATUSES = (
    ("new", 1, "Mới đăng ký", "Newly submitted"),
    ("accepted", 2, "Được tiếp nhận", "Accepted"),
    ("refused", 3, "Không được tiếp nhận", "Not accepted"),
    ("processing", 4, "Đang xử lý", "Processing"),
    ("supplement", 5, "Yêu cầu bổ sung giấy tờ", "Supplement requested"),
    ("payment", 6, "Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested"),
    ("withdrawn", 7, "Công dân yêu cầu rút hồ sơ", "Withdrawal requested"),
    ("stopped", 8, "Dừng xử lý", "Stopped"),
    ("processed", 9, "Đã xử lý xong", "Processed"),
    ("returned", 10, "Đã trả kết quả", "Result returned"),
)
PORTAL_CODE = {state: code for state, code, _vi, _en in PORTAL_STATUSES}
FINISHED = ("processed", "returned", "stopped", "refused", "withdrawn")

IN_PROGRESS_ON_TIME = "in_progress_on_time"
IN_PROGRESS_OVERDUE = "in_progress_overdue"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
WITHDRAWN = "withdrawn"
WAITING_SUPPLEMENT = "waiting_supplement"
REFUSED = "refused"
CLASSES = (
    (IN_PROGRESS_ON_TIME, "Đang giải quyết trong hạn", "In progress, on time"),
    (IN_PROGRESS_OVERDUE, "Đang giải quyết quá hạn", "In progress, overdue"),
    (DONE_ON_TIME, "Hoàn thành trước hạn, đúng hạn", "Completed early or on time"),
    (DONE_LATE, "Hoàn thành quá hạn", "Completed late"),
    (WITHDRAWN, "Rút hồ sơ", "Withdrawn"),
    (WAITING_SUPPLEMENT, "Chờ bổ sung", "Waiting for a supplement"),
    (REFUSED, "Từ chối tiếp nhận", "Refused at intake"),
)
EARLY, ON_TIME, LATE = "early", "on_time", "late"
VERDICTS = ((EARLY, "Trước hạn", "Early"), (ON_TIME, "Đúng hạn", "On time"), (LATE, "Quá hạn", "Late"))


def agency_code() -> str:
    """The receiving agency's identifier (TT 10/2016 code), e.g. `000.00.00.G09`."""
    return getattr(settings, "ONESTOP_AGENCY_CODE", "000.00.00.G09")


def receipt_day(received_at: dt.datetime) -> dt.date:
    """The day a dossier counts as received: that day, or the next working day if it is off.

    The hour does not matter: 15:00 moves the transfer (`transfer_deadline`), not the
    receipt, so 14:59 and 15:30 on a working day get the same promised date.
    """
    return workdays.next_working_day(timezone.localtime(received_at).date())


def morning_limit() -> dt.time:
    """The time of day meant by "early the next working day" (đầu giờ ngày làm việc tiếp theo).

    The decree names no hour; offices open at 08:00, and the first hour is allowed by
    default (setting ONESTOP_TRANSFER_MORNING, "HH:MM")."""
    return dt.time.fromisoformat(getattr(settings, "ONESTOP_TRANSFER_MORNING", "09:00"))


def transfer_deadline(received_at: dt.datetime) -> dt.datetime:
    """The last moment to pass a dossier to its processing unit (NĐ 61/2018 Art. 18(1)).

    Before 15:00 on a working day: the end of that day. At or after 15:00:00, or on a day
    off: early the next working day (`morning_limit`)."""
    local = timezone.localtime(received_at)
    day = local.date()
    zone = timezone.get_current_timezone()
    if local.time() < CUT_OFF and workdays.is_working_day(day):
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)
    following = workdays.next_working_day(day + dt.timedelta(days=1))
    return dt.datetime.combine(following, morning_limit(), tzinfo=zone)


def transfer_late(deadline: dt.datetime | None, transferred_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Passed on after the deadline, or not passed on yet when the deadline is gone."""
    if deadline is None:
        return False
    return (transferred_at or now) > deadline


def promised_date(received_at: dt.datetime, working_days: int) -> dt.date:
    """The promised return date for a dossier complete at `received_at`."""
    return workdays.add_working_days(receipt_day(received_at), max(0, working_days))


SUPPLEMENT_DAYS = 3  # Mẫu 02 within 3 working days of receipt


def supplement_due(received_at: dt.datetime) -> dt.date:
    """The last day to ask for missing documents (Mẫu 02): 3 working days after the receipt day."""
    return workdays.add_working_days(receipt_day(received_at), SUPPLEMENT_DAYS)


def supplement_late(due: dt.date | None, asked_at: dt.datetime) -> bool:
    return due is not None and timezone.localtime(asked_at).date() > due


def may_reschedule(deadline: dt.date, today: dt.date, already: bool) -> str | None:
    """Why a re-schedule (Mẫu 04) is refused, or None when it is allowed."""
    if already:
        return "Chỉ được hẹn lại một lần. / A dossier may be re-scheduled only once."
    if today > deadline - dt.timedelta(days=1):
        return (
            "Phải xin lỗi, hẹn lại trước hạn ít nhất một ngày. / "
            "The apology must come at least one day before the deadline."
        )
    return None


def step_verdict(allowed_days: int, given: dt.datetime, done: dt.datetime) -> str:
    """Early / on time / late for one hand-over, in working days used against allowed."""
    start = timezone.localtime(given).date()
    end = timezone.localtime(done).date()
    used = workdays.working_days_between(start, end) if end > start else 0
    if used < allowed_days:
        return EARLY
    return ON_TIME if used == allowed_days else LATE


def classify(
    state: str, promised: dt.date | None, finished_on: dt.date | None, supplements: int, today: dt.date
) -> str:
    if state == "withdrawn":
        return WITHDRAWN
    if state == "refused":  # never taken in for processing: neither on time nor late
        return REFUSED
    if state == "supplement":
        return WAITING_SUPPLEMENT
    if state in FINISHED:
        on_time = promised is None or (finished_on or today) <= promised
        return DONE_ON_TIME if on_time and supplements <= 1 else DONE_LATE
    if promised is not None and today > promised:
        return IN_PROGRESS_OVERDUE
    return IN_PROGRESS_ON_TIME
