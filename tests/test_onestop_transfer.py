"""The 15:00 cut-off governs the transfer to the processing unit, not the receipt day.

NĐ 61/2018/NĐ-CP Art. 18(1) (domain.md §1.3 step 3): a paper dossier received before 15:00
is passed to the processing unit the same working day; one received after 15:00 (15:00:00
itself counts as after), early the next working day. The promised date counts the
procedure's working days from the receipt day (Civil Code 2015 Art. 147: that day is not
counted). Every expected date below is written by hand from the 2026 calendar of
`modules/calendar/legal_days.py` (Tết Mon 16 – Fri 20/2; 30/4 and 1/5 are Thu and Fri).
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
import time_machine

from modules.engine import jobs
from modules.onestop import kpis, pdfs, rules
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.onestop_helpers import applicant, fire, make_procedure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hh: int, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, second=ss, tzinfo=HCM)


def text_of(pdf: bytes) -> str:
    """The PDF's text with line breaks as spaces (a long line wraps on A5)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join(page.extract_text() or "" for page in document.pages).split())


def end_of(day: str) -> dt.datetime:
    return at(day, 23, 59, 59)


@pytest.fixture
def clerk(org):
    return make_user("clerk", org.office, ("onestop_clerk",))


@pytest.fixture
def procedure(org, legal_days):
    return make_procedure(org, days=6)  # steps: 1 + 3 working days


def received(clerk, procedure, when: dt.datetime, name: str = "Công ty CP Công nghệ Sao Mai"):
    with time_machine.travel(when, tick=False):
        return receive(clerk, applicant(procedure, applicant_name=name))


def transferred(clerk, dossier, when: dt.datetime):
    with time_machine.travel(when, tick=False):
        return fire(clerk, dossier, "start")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_at", "deadline"),
    [
        # Thu 12/2/2026: before 15:00 the same day; at 15:00:00, early Fri 13/2
        (at("2026-02-12", 14, 59, 59), end_of("2026-02-12")),
        (at("2026-02-12", 15, 0, 0), at("2026-02-13", 9)),
        # a Friday afternoon: Fri 6/11/2026 → Mon 9/11
        (at("2026-11-06", 14, 59, 59), end_of("2026-11-06")),
        (at("2026-11-06", 15, 0, 0), at("2026-11-09", 9)),
        # the day before a holiday: Wed 29/4/2026 → 30/4 and 1/5 off, Sat 2, Sun 3 → Mon 4/5
        (at("2026-04-29", 14, 59, 59), end_of("2026-04-29")),
        (at("2026-04-29", 15, 0, 0), at("2026-05-04", 9)),
        # the Friday before Tết: Fri 13/2/2026 15:00 → Mon 23/2 (Tết Mon 16 – Fri 20)
        (at("2026-02-13", 15, 0, 0), at("2026-02-23", 9)),
        # a Saturday (kiosk): no same working day, so early the next one
        (at("2026-11-07", 10), at("2026-11-09", 9)),
    ],
)
def test_the_transfer_deadline_follows_the_15h_cut_off(legal_days, received_at, deadline):
    """NĐ 61/2018 Art. 18(1): same working day before 15:00, early the next working day from 15:00:00."""
    assert rules.transfer_deadline(received_at) == deadline


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_at", "days", "promised"),
    [
        # Fri 6/11/2026, 3 days: Mon 9 (1), Tue 10 (2), Wed 11 (3), whatever the hour
        (at("2026-11-06", 14, 59, 59), 3, dt.date(2026, 11, 11)),
        (at("2026-11-06", 15, 0, 0), 3, dt.date(2026, 11, 11)),
        # Wed 29/4/2026, 5 days: Mon 4/5 (1), 5 (2), 6 (3), 7 (4), Fri 8/5 (5)
        (at("2026-04-29", 14, 59, 59), 5, dt.date(2026, 5, 8)),
        (at("2026-04-29", 15, 0, 0), 5, dt.date(2026, 5, 8)),
    ],
)
def test_the_promised_date_counts_from_the_receipt_day_whatever_the_hour(
    legal_days, received_at, days, promised
):
    """NĐ 61/2018 Art. 18(1) moves the transfer, not the receipt; Civil Code Art. 147 skips the first day."""
    assert rules.promised_date(received_at, days) == promised


@pytest.mark.django_db
def test_receipt_records_the_transfer_deadline_and_the_transfer_flags_late_ones(org, clerk, procedure):
    """NĐ 61/2018 Art. 18(1): a dossier passed on after its deadline is flagged on the dossier,
    the tracking sheet (Mẫu 05, TT 01/2018 Art. 9) and the KPIs."""
    # received Fri 6/11/2026 at 14:59:59: due the same day; passed on Mon 9/11 at 08:30 → late
    early = received(clerk, procedure, at("2026-11-06", 14, 59, 59), "Người nộp trước 15 giờ")
    # received at 15:00:00: due Mon 9/11 at 09:00; passed on at 08:30 → in time
    late_hour = received(clerk, procedure, at("2026-11-06", 15, 0, 0), "Người nộp lúc 15 giờ")
    assert early.promised_date == late_hour.promised_date == dt.date(2026, 11, 16)  # 6 days: 9..13, 16
    assert early.transfer_deadline == end_of("2026-11-06")
    assert late_hour.transfer_deadline == at("2026-11-09", 9)
    early = transferred(clerk, early, at("2026-11-09", 8, 30))
    late_hour = transferred(clerk, late_hour, at("2026-11-09", 8, 30))
    assert early.transferred_at == at("2026-11-09", 8, 30)
    assert (early.transfer_late, late_hour.transfer_late) == (True, False)
    assert "quá hạn chuyển xử lý" in early.timeline.order_by("-position").first().note
    # passed on three days after receipt (Mon 9/11 → Thu 12/11): late
    slow = received(clerk, procedure, at("2026-11-09", 10), "Người nộp chuyển chậm")
    slow = transferred(clerk, slow, at("2026-11-12", 10))
    assert slow.transfer_late is True
    sheet = text_of(pdfs.tracking_sheet(slow))
    assert "Hạn chuyển xử lý: 23:59 09/11/2026" in sheet and "Đã chuyển lúc 10:00 12/11/2026" in sheet
    assert "QUÁ HẠN CHUYỂN XỬ LÝ" in sheet
    on_time_sheet = text_of(pdfs.tracking_sheet(late_hour))
    assert "Hạn chuyển xử lý: 09:00 09/11/2026" in on_time_sheet and "QUÁ HẠN" not in on_time_sheet
    with time_machine.travel(at("2026-11-30", 18), tick=False):
        (row,) = kpis.compute(org.admin, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        board = kpis.counter_board(org.admin, dt.date(2026, 11, 30))
    assert (row.received, row.transfer_late) == (3, 2)
    assert board.transfer_late == 2  # both still in progress
    assert "transfer_late__exact=1" in board.urls["transfer_late"]


@pytest.mark.django_db
def test_a_dossier_left_at_the_counter_is_flagged_when_its_deadline_passes_with_no_save(
    org, clerk, procedure
):
    """NĐ 61/2018 Art. 18(1): received Wed 29/4/2026 at 15:00:00, due early Mon 4/5 (09:00)."""
    waiting = received(clerk, procedure, at("2026-04-29", 15, 0, 0))
    assert waiting.transfer_deadline == at("2026-05-04", 9) and waiting.transfer_late is False
    with time_machine.travel(at("2026-05-04", 9, 0, 0), tick=False):
        assert jobs.tick()["onestop.transfer"] == "0 changed"  # 09:00 itself is still in time
    with time_machine.travel(at("2026-05-04", 9, 0, 1), tick=False):
        assert jobs.tick()["onestop.transfer"] == "1 changed"
        assert jobs.tick()["onestop.transfer"] == "0 changed"  # once
        board = kpis.counter_board(org.admin, dt.date(2026, 5, 4))
    waiting.refresh_from_db()
    assert waiting.transfer_late is True and waiting.history.first().history_change_reason == "transfer"
    assert board.transfer_late == 1
    # passed on later: it stays flagged
    waiting = transferred(clerk, waiting, at("2026-05-04", 10))
    assert waiting.transfer_late is True


@pytest.mark.django_db
def test_a_supplement_request_after_three_working_days_is_flagged(org, clerk, procedure):
    """NĐ 61/2018 Art. 18 (domain.md §1.3 step 4): an insufficient dossier is returned with
    Mẫu 02 within 3 working days of receipt. Received Wed 29/4/2026 (30/4, 1/5 off): the
    3 days are Mon 4/5, Tue 5/5, Wed 6/5, so Wed 6/5 is the last day; Thu 7/5 is late."""
    in_time = transferred(
        clerk, received(clerk, procedure, at("2026-04-29", 16), "Đúng hạn"), at("2026-05-04", 8)
    )
    late = transferred(
        clerk, received(clerk, procedure, at("2026-04-29", 10), "Quá hạn"), at("2026-04-29", 11)
    )
    assert in_time.supplement_due == late.supplement_due == dt.date(2026, 5, 6)
    with time_machine.travel(at("2026-05-06", 16, 59), tick=False):
        in_time = fire(org.admin, in_time, "request_supplement", "Thiếu bản thuyết minh.")
    with time_machine.travel(at("2026-05-07", 8), tick=False):
        late = fire(org.admin, late, "request_supplement", "Thiếu bản thuyết minh.")
    assert (in_time.supplement_late, late.supplement_late) == (False, True)
    assert "quá hạn 3 ngày làm việc" in late.timeline.order_by("-position").first().note
    assert "QUÁ HẠN 3 NGÀY LÀM VIỆC" in text_of(pdfs.tracking_sheet(late))
    assert "QUÁ HẠN 3 NGÀY" not in text_of(pdfs.tracking_sheet(in_time))
