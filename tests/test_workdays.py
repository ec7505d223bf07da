"""The working-day calendar: Civil Code counting over the shipped holiday table."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.engine import registry, services, workdays
from modules.engine.workdays import WorkCalendar

D = dt.date.fromisoformat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_days")]


def test_the_first_day_is_not_counted():
    assert workdays.add_working_days(D("2026-11-02"), 3) == D("2026-11-05")  # Mon + 3 = Thu
    assert workdays.working_days_between(D("2026-11-02"), D("2026-11-05")) == 3


def test_weekends_are_skipped():
    assert workdays.add_working_days(D("2026-11-06"), 1) == D("2026-11-09")  # Fri + 1 = Mon
    assert workdays.working_days_between(D("2026-11-06"), D("2026-11-09")) == 1


def test_tet_holidays_are_skipped():
    # Tết Bính Ngọ 2026: 16-20/2 off, bracketed by weekends: Fri 13/2 + 1 working day = Mon 23/2.
    assert workdays.add_working_days(D("2026-02-13"), 1) == D("2026-02-23")
    assert workdays.working_days_between(D("2026-02-13"), D("2026-02-27")) == 5
    assert not workdays.is_working_day(D("2026-02-17"))


def test_a_swapped_saturday_is_worked_and_its_friday_is_not():
    # 2025: Saturday 26/4 worked in exchange for Friday 2/5.
    assert workdays.is_working_day(D("2025-04-26"))
    assert not workdays.is_working_day(D("2025-05-02"))
    assert workdays.add_working_days(D("2025-04-25"), 1) == D("2025-04-26")
    # 26/4 Sat, 28/4, 29/4 worked; 30/4, 1/5 holidays; 2/5 off; 5/5 worked.
    assert workdays.working_days_between(D("2025-04-25"), D("2025-05-05")) == 4
    assert workdays.add_working_days(D("2025-04-29"), 1) == D("2025-05-05")


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day():
    assert workdays.next_working_day(D("2026-02-17")) == D("2026-02-23")  # Tết
    assert workdays.next_working_day(D("2026-11-21")) == D("2026-11-23")  # Saturday
    assert workdays.next_working_day(D("2026-11-23")) == D("2026-11-23")  # already a working day
    assert workdays.add_working_days(D("2026-02-15"), 0) == D("2026-02-23")


def test_counting_backwards_is_negative():
    assert workdays.working_days_between(D("2026-11-09"), D("2026-11-06")) == -1


def test_a_holiday_added_in_the_admin_applies_at_once(org):
    assert workdays.is_working_day(D("2026-12-31"))
    entity = registry.entity_by_label("calendar.CalendarDay")
    services.create_record(entity, org.admin, {"day": "2026-12-31", "kind": "day_off", "name": "Nghỉ thử"})
    assert not workdays.is_working_day(D("2026-12-31"))
    assert workdays.add_working_days(D("2026-12-30"), 1) == D("2027-01-04")  # 31/12 off, 1/1 holiday, weekend


def test_only_administrators_edit_the_calendar(org):
    from modules.engine.errors import EngineError

    entity = registry.entity_by_label("calendar.CalendarDay")
    with pytest.raises(EngineError):
        services.create_record(entity, org.officer_a, {"day": "2026-12-30", "kind": "holiday", "name": "X"})
    assert workdays.is_working_day(D("2026-12-30"))


def test_the_pure_calendar_needs_no_database():
    calendar = WorkCalendar(days_off=frozenset({D("2026-11-24")}))
    assert calendar.add_working_days(D("2026-11-23"), 1) == D("2026-11-25")
    with pytest.raises(ValueError):
        calendar.add_working_days(D("2026-11-23"), -1)
