"""Browser tests of issue 16, in one chromium session: the room tablet board follows a booking made
elsewhere, live, with no reload; the wall screen shows the day's grid; the published weekly
schedule page shows a change after publishing. Screenshots in docs/screens/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from modules.engine import registry, services
from modules.engine.models import ApiToken
from tests.browser import chromium
from tests.conftest import make_user
from tests.live_server import daphne_server, post_graphql
from tests.test_office_overlap import make_room

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
CREATE = """mutation($input: RoomBookingCreateInput!) {
  createRoomBooking(input: $input) { ok errors { field code message } node { id number } } }"""


def test_room_board_live_and_the_weekly_schedule_page(org):
    room = make_room(org.admin, "P301", capacity=30)
    other = make_room(org.admin, "P302", capacity=10)
    hall = make_room(org.admin, "P303", capacity=40)  # the leaders' item books it (engine/holds.py)
    _, tablet = ApiToken.issue(org.office_clerk, "Máy tính bảng P301", read_only=True)
    _, booker = ApiToken.issue(org.officer_b, "Sở 79")
    # the leaders' week holding today, published, with one item changed after publishing
    chief = make_user("office_chief", org.office, ("unit_head",))
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    weeks = registry.entity_by_label("schedule.WeekSchedule")
    items = registry.entity_by_label("schedule.ScheduleItem")
    week = services.create_record(weeks, org.office_clerk, {"kind": "leaders", "week_start": monday})
    first = timezone.make_aware(dt.datetime.combine(monday, dt.time(8, 0)))
    item = services.create_record(
        items,
        org.office_clerk,
        {
            "week": week.pk,
            "starts_at": first,
            "ends_at": first + dt.timedelta(hours=2),
            "title": "Họp giao ban Bộ",
            "chair": org.leader.pk,
            "participants": [org.specialist.pk],
            "place_room": hall.pk,
        },
    )
    services.create_record(
        items,
        org.office_clerk,
        {
            "week": week.pk,
            "starts_at": first + dt.timedelta(days=2, hours=6),
            "title": "Làm việc với UBND tỉnh",
            "chair": org.leader.pk,
            "place": "UBND tỉnh Bắc Ninh",
        },
    )
    week = services.fire_transition(weeks, chief, week.pk, "publish", week.version)
    item.refresh_from_db()
    services.update_record(
        items,
        org.office_clerk,
        item.pk,
        {
            "starts_at": first + dt.timedelta(hours=1),
            "ends_at": first + dt.timedelta(hours=3),
            "change_reason": "Bộ trưởng dự họp Chính phủ",
        },
        item.version,
    )
    now = timezone.now()
    SCREENS.mkdir(parents=True, exist_ok=True)
    with daphne_server() as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1024, "height": 700}, locale="vi-VN")
        page.goto(f"{base}/board/rooms/{room.pk}/?token={tablet}")
        page.wait_for_selector("#live.on")
        page.wait_for_function("document.getElementById('state').dataset.state === 'free'")
        page.evaluate("window.notReloaded = true")
        # another unit books this room from now on, elsewhere (GraphQL, its own token)
        made = post_graphql(
            base,
            booker,
            CREATE,
            {
                "input": {
                    "room": str(room.pk),
                    "title": "Họp Sở 79",
                    "startsAt": (now - dt.timedelta(minutes=5)).isoformat(),
                    "endsAt": (now + dt.timedelta(minutes=40)).isoformat(),
                }
            },
        )
        assert made["data"]["createRoomBooking"]["ok"], made
        page.wait_for_function("document.getElementById('state').dataset.state === 'busy'", timeout=5000)
        assert "Họp Sở 79" in page.inner_text("#state")  # the Office's tablet sees every unit's purpose
        assert page.evaluate("window.notReloaded") is True
        # a booking of another room leaves this board alone
        later = post_graphql(
            base,
            booker,
            CREATE,
            {
                "input": {
                    "room": str(other.pk),
                    "title": "Phòng khác",
                    "startsAt": (now + dt.timedelta(hours=1)).isoformat(),
                    "endsAt": (now + dt.timedelta(hours=2)).isoformat(),
                }
            },
        )
        assert later["data"]["createRoomBooking"]["ok"], later
        page.screenshot(path=str(SCREENS / "rooms-tablet.png"))
        assert "Phòng khác" not in page.content()

        wall = browser.new_page(viewport={"width": 1600, "height": 900}, locale="vi-VN")
        wall.goto(f"{base}/board/rooms/?token={tablet}")
        wall.wait_for_selector("#live.on")
        wall.wait_for_selector("[data-lane='P301'] .slot")
        assert "Họp Sở 79" in wall.inner_text("[data-lane='P301']")
        wall.screenshot(path=str(SCREENS / "rooms-wall.png"))

        staff = browser.new_context(viewport={"width": 1400, "height": 800}, locale="vi-VN")
        login = staff.new_page()
        login.goto(f"{base}/admin/login/?next=/schedule/")
        login.fill("input[name=username]", "officer_b")
        login.fill("input[name=password]", "pass12345")
        login.click("button[type=submit], input[type=submit]")
        login.wait_for_selector("#schedule")
        text = login.inner_text("#schedule")
        assert "LỊCH CÔNG TÁC CỦA LÃNH ĐẠO BỘ" in login.inner_text("h1")
        assert "Họp giao ban Bộ" in text and "Bộ trưởng dự họp Chính phủ" in text
        assert "09:00 – 11:00" in text and "Làm việc với UBND tỉnh" in text
        assert login.locator("tr.is-changed").count() == 1
        login.screenshot(path=str(SCREENS / "schedule-week.png"), full_page=True)
