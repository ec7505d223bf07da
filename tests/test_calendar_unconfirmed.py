"""24/11 (Ngày Văn hóa Việt Nam) is reported, not confirmed (domain.md §1.6, §8): it ships
switched off, an administrator may switch it on, and the admin says so, Vietnamese first.

Dates: 23/11/2026 is a Monday, 24/11 a Tuesday, 25/11 a Wednesday.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from modules.engine import registry, services, workdays
from modules.engine.errors import EngineError

D = dt.date.fromisoformat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_days")]


def culture_day(year: int = 2026):
    return registry.model_for("calendar.CalendarDay").objects.get(day=dt.date(year, 11, 24))


def test_the_unconfirmed_day_ships_switched_off_and_is_worked():
    row = culture_day()
    assert row.in_force is False and culture_day(2027).in_force is False
    assert row.note.startswith("Mới có tin báo chí, chưa có văn bản chính thức")
    assert workdays.is_working_day(D("2026-11-24"))
    assert workdays.add_working_days(D("2026-11-23"), 1) == D("2026-11-24")


def test_the_confirmed_days_are_still_in_force():
    assert not workdays.is_working_day(D("2026-09-02"))  # Quốc khánh, Labour Code Art. 112
    assert registry.model_for("calendar.CalendarDay").objects.get(day=D("2026-09-02")).in_force is True


def test_an_administrator_switches_it_on_and_it_applies_at_once(org):
    entity = registry.entity_by_label("calendar.CalendarDay")
    row = culture_day()
    services.update_record(entity, org.admin, row.pk, {"in_force": True}, row.version)
    assert not workdays.is_working_day(D("2026-11-24"))
    assert workdays.add_working_days(D("2026-11-23"), 1) == D("2026-11-25")


def test_nobody_else_switches_it_on(org):
    entity = registry.entity_by_label("calendar.CalendarDay")
    row = culture_day()
    with pytest.raises(EngineError):
        services.update_record(entity, org.officer_a, row.pk, {"in_force": True}, row.version)
    assert workdays.is_working_day(D("2026-11-24"))


def test_the_admin_says_why_it_is_off_vietnamese_first(org):
    client = Client()
    client.force_login(org.admin)
    page = client.get(f"/admin/calendar/calendarday/{culture_day().pk}/change/").content.decode()
    assert "Mới có tin báo chí, chưa có văn bản chính thức" in page  # the row's note
    help_vi = page.find("chưa có văn bản chính thức: được giao ở trạng thái tắt")
    help_en = page.find("not confirmed by a published text")
    assert help_vi != -1 and (help_en == -1 or help_vi < help_en)
    listing = client.get("/admin/calendar/calendarday/?in_force__exact=0").content.decode()
    assert "Ngày Văn hóa Việt Nam" in listing
