"""iCalendar feeds (issue 16): written with `icalendar`, read back with `icalendar` and the RRULE
expanded with dateutil. A room's feed shows another unit's bookings as busy only; a series is
one event with its rule and the Tết Tuesday as an EXDATE; times are Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.test import Client

from modules.engine import registry, services
from tests.test_office_overlap import book, make_room

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def january() -> Any:
    with time_machine.travel(dt.datetime(2026, 1, 20, 9, 0, tzinfo=HCM), tick=False):
        yield


def token_for(user: Any) -> str:
    from modules.engine.models import ApiToken

    _, raw = ApiToken.issue(user, "Lịch Outlook", read_only=True)
    return raw


def read(client: Client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> list[Any]:
    return list(calendar.walk("VEVENT"))


def test_a_room_feed_read_back(org: Any, legal_days: Any, january: Any) -> None:
    room = make_room(org.admin, "P301")
    services.create_record(
        registry.entity_by_label("rooms.RepeatingBooking"),
        org.officer_a,
        {
            "room": room.pk,
            "title": "Giao ban Sở 01",
            "first_start": dt.datetime(2026, 2, 3, 8, 0, tzinfo=HCM),
            "first_end": dt.datetime(2026, 2, 3, 9, 30, tzinfo=HCM),
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "until": dt.date(2026, 2, 24),
        },
    )
    theirs = book(
        org.officer_b,
        room,
        dt.datetime(2026, 2, 5, 14, tzinfo=HCM),
        dt.datetime(2026, 2, 5, 15, tzinfo=HCM),
        "Họp Sở 79",
    )
    client = Client()  # a calendar client: no session, the token is in the address

    mine = read(client, f"/ical/{token_for(org.officer_a)}/room/{room.pk}.ics")
    assert str(mine["X-WR-CALNAME"]) == "Phòng họp Phòng P301"
    assert any(tz["TZID"] == "Asia/Ho_Chi_Minh" for tz in mine.walk("VTIMEZONE"))
    (series,) = [e for e in events(mine) if "RRULE" in e]
    assert str(series["SUMMARY"]) == "Giao ban Sở 01"
    start = series.decoded("DTSTART")
    assert (
        start == dt.datetime(2026, 2, 3, 8, 0, tzinfo=HCM)
        and series["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    )
    assert series.decoded("DTEND") - start == dt.timedelta(minutes=90)
    excluded = {moment.dt for exdate in _list(series.get("EXDATE")) for moment in exdate.dts}
    rule = rrulestr(series["RRULE"].to_ical().decode(), dtstart=start)
    held = [moment for moment in rule if moment not in excluded]
    # Tuesdays 3, 10, 17, 24 February 2026 at 08:00; the 17th is Mùng 1 Tết
    assert held == [dt.datetime(2026, 2, d, 8, 0, tzinfo=HCM) for d in (3, 10, 24)]
    (other,) = [e for e in events(mine) if "RRULE" not in e]
    assert str(other["SUMMARY"]) == "Bận / Busy"  # officer B's booking: busy, nothing more
    assert other.decoded("DTSTART") == dt.datetime(2026, 2, 5, 14, 0, tzinfo=HCM)
    assert b"H\xe1\xbb\x8dp S\xe1\xbb\x9f 79" not in mine.to_ical()  # "Họp Sở 79" nowhere

    # officer B sees the series as three busy hours and their own booking by name
    seen = read(client, f"/ical/{token_for(org.officer_b)}/room/{room.pk}.ics")
    summaries = sorted(str(e["SUMMARY"]) for e in events(seen))
    assert summaries == sorted(["Bận / Busy"] * 3 + [f"{theirs.number} Họp Sở 79"])
    assert b"Giao ban" not in seen.to_ical()


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_a_bad_or_revoked_token_or_unknown_feed_is_not_found(org: Any) -> None:
    from modules.engine.models import ApiToken

    room = make_room(org.admin, "P301")
    client = Client()
    raw = token_for(org.officer_a)
    assert client.get(f"/ical/{raw}/room/{room.pk}.ics").status_code == 200
    assert client.get(f"/ical/{raw}/nothing.ics").status_code == 404
    assert client.get(f"/ical/{raw}/room/999999.ics").status_code == 404
    assert client.get(f"/ical/omst_wrong/room/{room.pk}.ics").status_code == 404
    from django.utils import timezone

    ApiToken.objects.filter(user=org.officer_a).update(revoked_at=timezone.now())
    assert client.get(f"/ical/{raw}/room/{room.pk}.ics").status_code == 404


def test_the_leaders_schedule_feed_has_published_items_only(org: Any) -> None:
    from tests.conftest import make_user

    chief = make_user("office_chief", org.office, ("unit_head",))
    weeks = registry.entity_by_label("schedule.WeekSchedule")
    week = services.create_record(
        weeks, org.office_clerk, {"kind": "leaders", "week_start": dt.date(2026, 12, 14)}
    )
    services.create_record(
        registry.entity_by_label("schedule.ScheduleItem"),
        org.office_clerk,
        {
            "week": week.pk,
            "starts_at": dt.datetime(2026, 12, 15, 14, tzinfo=HCM),
            "title": "Làm việc với tỉnh",
        },
    )
    client = Client()
    raw = token_for(org.officer_b)
    assert events(read(client, f"/ical/{raw}/leaders.ics")) == []  # a draft is nobody's business
    services.fire_transition(weeks, chief, week.pk, "publish", week.version)
    (event,) = events(read(client, f"/ical/{raw}/leaders.ics"))
    assert str(event["SUMMARY"]) == "Làm việc với tỉnh"
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 15, 14, tzinfo=HCM)
    assert event.decoded("DTEND") == dt.datetime(2026, 12, 15, 15, tzinfo=HCM)  # no end: an hour
