"""The 7-day cancellation notice (domain.md §7.11: "Notice within 7 days") as a reminder: the
managing unit owes it, so its heads are reminded by the admin's rules, once per rule, day and
person, until the notice is recorded; the organisation's accounts and another province are
not; only the managing unit records the notice, once. Expected days are counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from modules.engine import jobs, registry, services
from modules.engine.errors import NotFound, PermissionDenied, TransitionRefused
from modules.reminders.scheduler import run_reminders
from tests.stm_helpers import SELECTED_AT, fire, select_winner

pytestmark = pytest.mark.django_db

CANCELLED_ON = dt.date(2027, 5, 12)  # the day after the revision's 20th day (Tuesday 11/05/2027)
NOTICE_DUE = dt.date(2027, 5, 19)  # "within 7 days": 12/05 + 7 = Wednesday 19/05/2027


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(0, 5), tzinfo=SELECTED_AT.tzinfo), tick=False)


def rule(org, name: str, trigger: str, days: int, recipient: str = "responsible") -> None:
    services.create_record(
        registry.entity_by_label("reminders.ReminderRule"),
        org.admin,
        {
            "name": name,
            "source": "stm.SelectionDossier.cancellation",
            "trigger": trigger,
            "days": days,
            "recipient": recipient,
        },
    )


def sent(user) -> list[tuple[str, dt.date]]:
    return list(
        registry.model_for("reminders.Reminder")
        .objects.filter(recipient=user, source="stm.SelectionDossier.cancellation")
        .order_by("occurrence", "rule__name")
        .values_list("rule__name", "occurrence")
    )


@pytest.fixture
def cancelled(org, legal_days):
    """A winner that missed its 20-day revision, cancelled by the scheduler on 12/05/2027."""
    registry.model_for("reminders.ReminderRule").objects.all().delete()
    rule(org, "Trước 2 ngày", "before", 2)
    rule(org, "Quá hạn", "overdue_daily", 0)
    rule(org, "Lãnh đạo", "on_day", 0, "unit_head")
    user, dossier = select_winner(org)
    with at(CANCELLED_ON):
        assert jobs.tick()["stm.cancellation"] == "1 cancelled"
    dossier.refresh_from_db()
    assert dossier.state == "cancelled" and dossier.cancellation_notice_due == NOTICE_DUE
    return user, dossier


def test_the_heads_are_reminded_once_per_day_until_the_notice_is_recorded(org, cancelled):
    user, dossier = cancelled
    for day in (14, 17, 17, 18, 19, 20):  # 17/05 twice: a second scheduler run sends nothing new
        with at(dt.date(2027, 5, day)):
            run_reminders()
    assert sent(org.head_a) == [
        ("Trước 2 ngày", dt.date(2027, 5, 17)),  # 2 working days before Wednesday 19/05
        ("Lãnh đạo", NOTICE_DUE),  # the due day itself
        ("Quá hạn", dt.date(2027, 5, 20)),  # the day after, while still owed
    ]
    with at(dt.date(2027, 5, 20)):
        dossier = fire(org.officer_a, dossier, "SelectionDossier", "notify_cancellation")
    assert dossier.state == "cancelled" and dossier.cancellation_notified_on == dt.date(2027, 5, 20)
    with at(dt.date(2027, 5, 21)):
        assert run_reminders().created == 0
    assert len(sent(org.head_a)) == 3
    # the organisation waits for the notice, it is not reminded of it; nor is another province
    assert sent(user) == [] and sent(org.officer_b) == []
    reminder = registry.model_for("reminders.Reminder").objects.filter(recipient=org.head_a).first()
    assert "Viện Công nghệ thông tin" in reminder.title and "19/05/2027" in reminder.title
    assert "B2-8-GTHĐ" in reminder.body


def test_only_the_managing_unit_records_the_notice_and_only_once(org, cancelled):
    user, dossier = cancelled
    with at(dt.date(2027, 5, 13)):
        with pytest.raises((PermissionDenied, TransitionRefused)):
            fire(user, dossier, "SelectionDossier", "notify_cancellation")
        with pytest.raises(NotFound):  # another province does not even see the dossier
            fire(org.officer_b, dossier, "SelectionDossier", "notify_cancellation")
        dossier.refresh_from_db()
        assert dossier.cancellation_notified_on is None
        fire(org.officer_a, dossier, "SelectionDossier", "notify_cancellation")
        with pytest.raises(TransitionRefused) as again:
            fire(org.officer_a, dossier, "SelectionDossier", "notify_cancellation")
    assert "13/05/2027" in str(again.value.args or again.value)
    dossier.refresh_from_db()
    assert dossier.cancellation_notified_on == dt.date(2027, 5, 13)
    # nothing is owed any more: no reminder on the due day
    with at(NOTICE_DUE):
        assert run_reminders().created == 0
