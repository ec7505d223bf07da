"""Participants hear of a meeting before it (issue 16): room bookings are a reminder source, and a
rule of the reminders module ("one working day before") tells each participant and the booker
once, however often the scheduler runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from modules.engine import registry, workdays
from modules.reminders.scheduler import run_reminders
from tests.test_office_overlap import book, make_room


def test_a_meeting_reminder_goes_to_its_people_once(org: Any, legal_days: Any) -> None:
    rules = registry.model_for("reminders.ReminderRule").objects
    rules.update(active=False)  # only this rule speaks in this test
    rules.create(
        name="Nhắc lịch họp trước 1 ngày làm việc",
        source="rooms.RoomBooking",
        trigger="before",
        days=1,
        recipient="responsible",
        send_email=False,
        active=True,
        version=1,
    )
    room = make_room(org.admin)
    day = workdays.add_working_days(timezone.localdate(), 3)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    booking = book(org.officer_a, room, start, start + dt.timedelta(hours=1), title="Họp rà soát")
    booking.participants.set([org.specialist, org.head_a])
    eve = workdays.subtract_working_days(day, 1)

    inbox = registry.model_for("reminders.Reminder").objects
    first = run_reminders(eve)
    again = run_reminders(eve)
    assert (first.created, again.created) == (3, 0)
    told = set(
        inbox.filter(source="rooms.RoomBooking", object_id=booking.pk).values_list("recipient_id", flat=True)
    )
    assert told == {org.officer_a.pk, org.specialist.pk, org.head_a.pk}  # the booker and the participants
    assert all("Họp rà soát" in r.title for r in inbox.all())
