"""Repeating bookings (`modules/engine/recurrence.py`, issue 16): RFC 5545 rules expanded by
dateutil, the days off of the working-day calendar skipped, a swapped working day kept.

Expected dates are read off the calendar and the rule's words, not off the function: Tết
Bính Ngọ 2026 is 16–20/02/2026 (the shipped table, domain.md §6), 27/04/2026 is the day off
compensating Giỗ Tổ, and the test declares Saturday 21/02/2026 a swapped working day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from modules.engine import recurrence, registry, services
from modules.engine.errors import InvalidInput

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def days(found: list[dt.datetime]) -> list[dt.date]:
    return [moment.astimezone(HCM).date() for moment in found]


@pytest.fixture
def swapped_saturday(legal_days: Any, org: Any) -> dt.date:
    from modules.calendar.holidays import forget

    day = dt.date(2026, 2, 21)
    services.create_record(
        registry.entity_by_label("calendar.CalendarDay"),
        org.admin,
        {"day": day, "kind": "working", "name": "Làm bù (ví dụ kiểm thử)"},
    )
    forget()
    return day


@pytest.mark.django_db
def test_weekly_skips_the_tuesday_of_tet(legal_days: Any) -> None:
    found = recurrence.occurrences(
        "FREQ=WEEKLY;BYDAY=TU", dt.datetime(2026, 2, 3, 8, 0, tzinfo=HCM), dt.date(2026, 2, 24)
    )
    # Tuesdays 3, 10, 17, 24 February; the 17th is Mùng 1 Tết
    assert days(found) == [dt.date(2026, 2, 3), dt.date(2026, 2, 10), dt.date(2026, 2, 24)]
    assert {moment.astimezone(HCM).time() for moment in found} == {dt.time(8, 0)}  # local wall clock


@pytest.mark.django_db
def test_every_working_day_stops_over_tet_and_works_the_swapped_saturday(swapped_saturday: dt.date) -> None:
    found = recurrence.occurrences(
        recurrence.EVERY_WORKING_DAY,
        dt.datetime(2026, 2, 13, 14, 0, tzinfo=HCM),
        dt.date(2026, 2, 23),
    )
    # Fri 13; 14-15 the weekend; 16-20 Tết; Sat 21 worked (swapped); Sun 22 off; Mon 23
    assert days(found) == [dt.date(2026, 2, 13), swapped_saturday, dt.date(2026, 2, 23)]


@pytest.mark.django_db
def test_last_monday_of_the_month_skips_a_compensating_day_off(legal_days: Any) -> None:
    found = recurrence.occurrences(
        "RRULE:FREQ=MONTHLY;BYDAY=-1MO", dt.datetime(2026, 4, 1, 9, 0, tzinfo=HCM), dt.date(2026, 6, 30)
    )
    # last Mondays: 27/04 (nghỉ bù Giỗ Tổ, skipped), 25/05, 29/06
    assert days(found) == [dt.date(2026, 5, 25), dt.date(2026, 6, 29)]


@pytest.mark.django_db
def test_first_monday_of_the_month(legal_days: Any) -> None:
    found = recurrence.occurrences(
        "FREQ=MONTHLY;BYDAY=1MO", dt.datetime(2026, 3, 1, 9, 0, tzinfo=HCM), dt.date(2026, 5, 31)
    )
    assert days(found) == [dt.date(2026, 3, 2), dt.date(2026, 4, 6), dt.date(2026, 5, 4)]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", ["FREQ=FORTNIGHTLY", "", "FREQ=HOURLY", "FREQ=WEEKLY\nBYDAY=MO", "BYDAY=XX"])
def test_a_rule_dateutil_cannot_read_or_too_fine_is_a_field_error(legal_days: Any, rule: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        recurrence.occurrences(rule, dt.datetime(2026, 3, 2, 9, tzinfo=HCM), dt.date(2026, 4, 1))
    assert {(p.field, p.code) for p in refused.value.problems} == {("rrule", "INVALID_RULE")}


@pytest.mark.django_db
def test_a_series_longer_than_two_years_is_refused(legal_days: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        recurrence.occurrences("FREQ=DAILY", dt.datetime(2026, 3, 2, 9, tzinfo=HCM), dt.date(2029, 1, 1))
    assert {p.code for p in refused.value.problems} == {"TOO_MANY"}


@pytest.mark.django_db
def test_a_booking_series_books_each_working_occurrence_or_none(legal_days: Any, org: Any) -> None:
    from tests.test_office_overlap import book, make_room

    room = make_room(org.admin)
    series = registry.entity_by_label("rooms.RepeatingBooking")
    values = {
        "room": room.pk,
        "title": "Giao ban tuần",
        "first_start": dt.datetime(2026, 2, 3, 8, 0, tzinfo=HCM),
        "first_end": dt.datetime(2026, 2, 3, 9, 30, tzinfo=HCM),
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "until": dt.date(2026, 3, 3),
        "attendees": 10,
    }
    bookings = registry.model_for("rooms.RoomBooking").objects
    # someone holds Tuesday 24/02 at 09:00: the whole series is refused, naming that day
    other = book(
        org.officer_b, room, dt.datetime(2026, 2, 24, 9, tzinfo=HCM), dt.datetime(2026, 2, 24, 10, tzinfo=HCM)
    )
    with pytest.raises(InvalidInput) as refused:
        services.create_record(series, org.officer_a, values)
    (problem,) = refused.value.problems
    assert (problem.field, problem.code) == ("rrule", "OVERLAP")
    assert problem.message.startswith("08:00–09:30 24/02/2026") and other.number in problem.message
    assert bookings.count() == 1  # nothing of the series was written
    assert not registry.model_for("rooms.RepeatingBooking").objects.exists()

    services.fire_transition(
        registry.entity_by_label("rooms.RoomBooking"), org.officer_b, other.pk, "cancel", 1
    )
    made = services.create_record(series, org.officer_a, values)
    mine = bookings.filter(series=made).order_by("starts_at")
    # Tuesdays 3, 10, 17 (Tết: skipped), 24 February and 3 March
    assert [b.starts_at.astimezone(HCM).date() for b in mine] == [
        dt.date(2026, 2, 3),
        dt.date(2026, 2, 10),
        dt.date(2026, 2, 24),
        dt.date(2026, 3, 3),
    ]
    assert {(b.ends_at - b.starts_at) for b in mine} == {dt.timedelta(minutes=90)}
    assert {b.owner_unit_id for b in mine} == {org.province_a.pk}
