"""The tracking register number on the receipt slip (Mẫu 01).

TT 01/2018/TT-VPCP Art. 10 (domain.md §1.2): registers are opened yearly, numbered
continuously from 01 and closed at year end; the slip reads "Vào Sổ theo dõi hồ sơ …
Số thứ tự …". One register per receiving one-stop unit. The number comes from the
engine's `Counter` (a yearly series per unit), not from the code's sequence of the day.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
import time_machine

from modules.engine.definitions import Counter, Entity, Integer
from modules.onestop import pdfs
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.onestop_helpers import applicant, make_procedure, receive_concurrently

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=HCM)


def received(clerk, procedure, when: dt.datetime):
    with time_machine.travel(when, tick=False):
        return receive(clerk, applicant(procedure))


def slip_text(dossier) -> str:
    with pdfplumber.open(io.BytesIO(pdfs.receipt_slip(dossier))) as document:
        return " ".join(" ".join(page.extract_text() or "" for page in document.pages).split())


@pytest.mark.django_db
def test_the_register_number_is_yearly_per_unit_and_continuous_across_days(org, legal_days):
    """TT 01/2018 Art. 10: opened yearly, numbered continuously from 01, one per one-stop unit."""
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    other_desk = make_user("clerk_hn", org.province_a, ("onestop_clerk",))
    procedure = make_procedure(org, days=6)
    first = received(clerk, procedure, at("2026-01-05", 9))
    second = received(clerk, procedure, at("2026-01-05", 10))
    next_day = received(clerk, procedure, at("2026-01-06", 8, 30))
    elsewhere = received(other_desk, procedure, at("2026-01-06", 9))
    next_year = received(clerk, procedure, at("2027-01-04", 9))
    assert [first.register_no, second.register_no, next_day.register_no] == [1, 2, 3]
    assert next_day.number.endswith(
        "-260106-0001"
    )  # the code's sequence restarts daily; the register does not
    assert (elsewhere.desk_id, elsewhere.register_no) == (org.province_a.pk, 1)  # its own register
    assert (first.desk_id, next_year.register_no) == (org.office.pk, 1)  # a new register each year
    assert "Vào Sổ theo dõi hồ sơ năm 2026, số thứ tự 03" in slip_text(next_day)
    assert "Vào Sổ theo dõi hồ sơ năm 2027, số thứ tự 01" in slip_text(next_year)
    assert "số thứ tự 01" in slip_text(first) and "số thứ tự 1 " not in slip_text(first)


@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_distinct_register_numbers(org, legal_days):
    """TT 01/2018 Art. 10: numbered continuously, so no number twice and none skipped."""
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org, days=6)
    numbers = [row.register_no for row in receive_concurrently(clerk, procedure, threads=6, each=3)]
    assert sorted(numbers) == list(range(1, 19))


def test_a_counter_on_a_missing_field_or_transition_is_refused_when_declared():
    """The engine refuses a counter it could not keep (a typo), at declaration time."""
    fields = (Integer("no", "Số", "No"),)
    with pytest.raises(ValueError, match="not an integer field"):
        Entity(name="X", label_vi="X", label_en="X", fields=fields, counters=(Counter(field="nope"),))
    with pytest.raises(ValueError, match="unknown fields"):
        Entity(
            name="X", label_vi="X", label_en="X", fields=fields, counters=(Counter(field="no", per=("u",)),)
        )
    with pytest.raises(ValueError, match="unknown transition"):
        Entity(name="X", label_vi="X", label_en="X", fields=fields, counters=(Counter(field="no", on="go"),))
