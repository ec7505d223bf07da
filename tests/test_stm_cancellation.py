"""The automatic cancellation of a selection result (domain.md §7.11): a winner that misses the
20-day revision (§7.7) or the 15-day final dossier (§7.8) is cancelled by the scheduler's job
the day after the step's last day, with the reason, and the notice due within 7 days; the
managing unit's own steps (appraisal, approval) are never cancelled by the job; two schedulers
running at once cancel once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from modules.engine import jobs, services
from modules.stm import cancellation
from tests.stm_helpers import SELECTED_AT, E, attach, fire, select_winner

pytestmark = pytest.mark.django_db


@pytest.fixture
def winner(org, legal_days):
    return select_winner(org)


def at(day: dt.date):
    """The scheduler's tick at 00:05 on `day` (Asia/Ho_Chi_Minh)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(0, 5), tzinfo=SELECTED_AT.tzinfo), tick=False)


def cancellations(dossier) -> int:
    return dossier.history.filter(state="cancelled").count()


def test_a_missed_revision_is_cancelled_the_day_after_its_20th_day(winner):
    _, dossier = winner
    # selected Wednesday 21/04/2027: "resubmit within 20 days" ends Tuesday 11/05/2027
    with at(dt.date(2027, 5, 11)):
        assert jobs.tick()["stm.cancellation"] == "0 cancelled"
    dossier.refresh_from_db()
    assert dossier.state == "selected"
    with at(dt.date(2027, 5, 12)):
        assert jobs.tick()["stm.cancellation"] == "1 cancelled"
    dossier.refresh_from_db()
    assert dossier.state == "cancelled"
    assert dossier.cancelled_on == dt.date(2027, 5, 12)
    assert "B2-8-GTHĐ" in dossier.cancellation_reason and "11/05/2027" in dossier.cancellation_reason
    # "notice within 7 days": 12/05 + 7 = Wednesday 19/05/2027
    assert dossier.cancellation_notice_due == dt.date(2027, 5, 19)
    assert dossier.step_due is None
    last = dossier.history.first()
    assert last.history_user is None and last.history_change_reason.startswith("auto_cancel")


def test_a_missed_final_dossier_is_cancelled_and_its_notice_moves_past_the_weekend(org, winner):
    user, dossier = winner
    with time_machine.travel(SELECTED_AT + dt.timedelta(days=1), tick=False):  # Thursday 22/04/2027
        attach(user, dossier, "revision_file")
        dossier = fire(user, dossier, "SelectionDossier", "submit_revision")
        dossier = services.update_record(
            E("SelectionDossier"), org.officer_a, dossier.pk, {"appraisal_present": 5}, dossier.version
        )
        dossier = fire(org.officer_a, dossier, "SelectionDossier", "appraise")
    # "finalises within 15 days" from 22/04: Friday 07/05/2027
    assert dossier.state == "finalising" and dossier.step_due == dt.date(2027, 5, 7)
    with at(dt.date(2027, 5, 7)):
        cancellation.cancel_missed_steps()
    dossier.refresh_from_db()
    assert dossier.state == "finalising"
    with at(dt.date(2027, 5, 8)):
        cancellation.cancel_missed_steps()
    dossier.refresh_from_db()
    assert dossier.state == "cancelled" and "B3-3" in dossier.cancellation_reason
    # 08/05 + 7 = Saturday 15/05: the notice is due Monday 17/05 (Civil Code Art. 148(5))
    assert dossier.cancellation_notice_due == dt.date(2027, 5, 17)


def test_the_managing_units_own_steps_are_not_cancelled_by_the_job(org, winner):
    user, dossier = winner
    with time_machine.travel(SELECTED_AT + dt.timedelta(days=1), tick=False):
        attach(user, dossier, "revision_file")
        dossier = fire(user, dossier, "SelectionDossier", "submit_revision")
    assert dossier.state == "appraisal"
    with at(dossier.step_due + dt.timedelta(days=30)):
        assert cancellation.cancel_missed_steps() == "0 cancelled"
    dossier.refresh_from_db()
    assert dossier.state == "appraisal"


def test_two_schedulers_at_once_cancel_once(winner):
    _, dossier = winner
    day = dt.date(2027, 5, 12)
    with at(day):
        # both schedulers list the overdue dossier before either writes
        first = list(cancellation.overdue(day).values_list("pk", flat=True))
        second = list(cancellation.overdue(day).values_list("pk", flat=True))
        assert first == second == [dossier.pk]
        assert [cancellation.cancel_if_overdue(pk, day) for pk in first] == [True]
        assert [cancellation.cancel_if_overdue(pk, day) for pk in second] == [False]
        assert cancellation.cancel_missed_steps() == "0 cancelled"
    dossier.refresh_from_db()
    assert dossier.state == "cancelled" and cancellations(dossier) == 1


def test_a_revision_filed_in_time_is_never_cancelled(winner):
    user, dossier = winner
    with time_machine.travel(dt.datetime(2027, 5, 11, 23, 0, tzinfo=SELECTED_AT.tzinfo), tick=False):
        attach(user, dossier, "revision_file")
        fire(user, dossier, "SelectionDossier", "submit_revision")
    with at(dt.date(2027, 5, 12)):
        assert cancellation.cancel_missed_steps() == "0 cancelled"
    dossier.refresh_from_db()
    assert dossier.state == "appraisal"


def test_the_managing_units_cancellation_keeps_its_reason(org, winner):
    _, dossier = winner
    with time_machine.travel(SELECTED_AT + dt.timedelta(days=2), tick=False):  # Friday 23/04/2027
        dossier = fire(org.officer_a, dossier, "SelectionDossier", "cancel", "Trùng lặp kinh phí.")
    assert dossier.cancellation_reason == "Trùng lặp kinh phí."
    assert dossier.cancelled_on == dt.date(2027, 4, 23)
    # 23/04 + 7 = Friday 30/04, a holiday; Saturday 01/05 a holiday; Monday 03/05 its day off
    assert dossier.cancellation_notice_due == dt.date(2027, 5, 4)
