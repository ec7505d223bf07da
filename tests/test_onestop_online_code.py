"""An online dossier's code carries the day it was received (accepted), the day its clock starts.

NĐ 61/2018 Art. 26 and TT 01/2018 Art. 19 (domain.md §1.1): the code is the receiving
agency's identifier + the receipt date (YYMMDD) + the sequence within that day. An online
submission is received when the one-stop unit accepts it, and that day starts its clock
(§1.3 step 2). Expected dates are written by hand from the 2026 calendar (no holiday in
November before the 24th).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from modules.engine import registry, services
from modules.onestop import rules
from modules.onestop.api import receive
from tests.conftest import make_user
from tests.onestop_helpers import applicant, fire, make_procedure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=HCM)


def submitted_online(clerk, procedure, when: dt.datetime, name: str = "Nguyễn Văn An"):
    with time_machine.travel(when, tick=False):
        return services.create_record(
            registry.entity_by_label("onestop.Dossier"),
            clerk,
            applicant(procedure, channel="online", applicant_name=name),
        )


def accepted(clerk, dossier, when: dt.datetime):
    with time_machine.travel(when, tick=False):
        return fire(clerk, dossier, "accept")


@pytest.mark.django_db
def test_submitted_on_saturday_accepted_on_monday_carries_mondays_date(org, legal_days):
    """Submitted Sat 7/11/2026, accepted Mon 9/11 10:00: code …-261109-0001, clock from Monday:
    6 working days → Tue 17/11 (10, 11, 12, 13, 16, 17); Mẫu 02 due Thu 12/11."""
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org, days=6)
    online = submitted_online(clerk, procedure, at("2026-11-07", 21, 30))
    assert online.number == "" and online.receipt_date is None  # no code before it is received
    done = accepted(clerk, online, at("2026-11-09", 10))
    assert done.number == f"{rules.agency_code()}-261109-0001"
    assert done.receipt_date == dt.date(2026, 11, 9) and done.seq == 1
    assert done.promised_date == dt.date(2026, 11, 17)
    assert done.supplement_due == dt.date(2026, 11, 12)
    assert rules.CODE_PATTERN.match(done.number)


@pytest.mark.django_db
def test_codes_follow_the_order_of_receipt_not_of_submission(org, legal_days):
    """Two submitted Friday and Saturday, one received at the counter Monday 8:00, then both
    accepted Monday: the sequence of Monday's day is the order of receipt (0001, 0002, 0003)."""
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org, days=6)
    friday = submitted_online(clerk, procedure, at("2026-11-06", 16), "Trần Thị Bình")
    saturday = submitted_online(clerk, procedure, at("2026-11-07", 9), "Lê Văn Cường")
    with time_machine.travel(at("2026-11-09", 8), tick=False):
        counter = receive(clerk, applicant(procedure))
    later = accepted(clerk, saturday, at("2026-11-09", 9))
    last = accepted(clerk, friday, at("2026-11-09", 14))
    assert [counter.number[-11:], later.number[-11:], last.number[-11:]] == [
        "261109-0001",
        "261109-0002",
        "261109-0003",
    ]
    # the Friday submission is received on Monday: its code, receipt date and clock say so
    assert last.receipt_date == dt.date(2026, 11, 9) and last.promised_date == dt.date(2026, 11, 17)


@pytest.mark.django_db
def test_online_submissions_waiting_have_no_code_and_do_not_collide(org, legal_days):
    """Several unaccepted submissions at once: none holds a code (unique only once given)."""
    clerk = make_user("clerk", org.office, ("onestop_clerk",))
    procedure = make_procedure(org, days=6)
    waiting = [
        submitted_online(clerk, procedure, at("2026-11-07", 9 + i), f"Người nộp {i}") for i in range(3)
    ]
    assert [w.number for w in waiting] == ["", "", ""]
    model = registry.model_for("onestop.Dossier")
    assert model.objects.filter(number="").count() == 3
    # nothing was sent to the national portal for a dossier the portal cannot know by a code
    assert not registry.model_for("onestop.PortalEvent").objects.exists()


def test_numbering_on_an_unknown_transition_is_refused_when_declared():
    """The engine refuses `numbering_on` it could not keep (a typo, or no numbering), at declaration."""
    from modules.engine.definitions import Entity, Text

    fields = (Text("name", "Tên", "Name"),)
    with pytest.raises(ValueError, match="numbering_on"):
        Entity(name="X", label_vi="X", label_en="X", fields=fields, numbering="X-{seq}", numbering_on="nope")
    with pytest.raises(ValueError, match="numbering_on"):
        Entity(name="X", label_vi="X", label_en="X", fields=fields, numbering_on="accept")
