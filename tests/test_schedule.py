"""The leaders' weekly schedule (issue 16): publishing, a change after publishing told to exactly
the people it affects, once each, and the A4 landscape PDF read back as text."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pdfplumber
import pytest

from modules.engine import registry, services
from modules.engine.errors import InvalidInput
from tests.conftest import make_user

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2026, 12, 7)
REASON = "Bộ trưởng dự họp Chính phủ"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def week(org: Any) -> tuple[Any, Any, Any]:
    """The leaders' week of 07/12/2026, drafted by the Office, with one meeting."""
    chief = make_user("office_chief", org.office, ("unit_head",))
    week = services.create_record(
        registry.entity_by_label("schedule.WeekSchedule"),
        org.office_clerk,
        {"kind": "leaders", "week_start": MONDAY},
    )
    item = services.create_record(
        registry.entity_by_label("schedule.ScheduleItem"),
        org.office_clerk,
        {
            "week": week.pk,
            "starts_at": at(8, 8),
            "ends_at": at(8, 10),
            "title": "Họp giao ban Bộ",
            "chair": org.leader.pk,
            "participants": [org.specialist.pk, org.officer_a.pk],
            "participant_units": [org.department.pk],
            "preparing_unit": org.office.pk,
            "place": "Phòng họp tầng 3",
        },
    )
    return week, item, chief


def inbox(user: Any) -> list[Any]:
    return list(registry.model_for("reminders.Reminder").objects.filter(recipient=user))


def test_publishing_is_the_offices_and_shares_the_week(org: Any, week: tuple[Any, Any, Any]) -> None:
    schedule, item, chief = week
    entity = registry.entity_by_label("schedule.WeekSchedule")
    items = registry.entity_by_label("schedule.ScheduleItem")
    from modules.engine.access import scoped_queryset
    from modules.engine.errors import EngineError

    assert not scoped_queryset(org.officer_b, items, "view").filter(pk=item.pk).exists()  # a draft
    with pytest.raises(EngineError):  # a province's head does not publish the leaders' week
        services.fire_transition(entity, org.head_a, schedule.pk, "publish", schedule.version)
    published = services.fire_transition(entity, chief, schedule.pk, "publish", schedule.version)
    assert published.state == "published" and published.title == "Tuần 50/2026 (07/12 – 13/12/2026)"
    assert scoped_queryset(org.officer_b, items, "view").filter(pk=item.pk).exists()
    assert inbox(org.specialist) == []  # publishing is not a change


def test_a_change_after_publishing_tells_exactly_the_affected_people_once(
    org: Any, week: tuple[Any, Any, Any], django_capture_on_commit_callbacks: Any
) -> None:
    schedule, item, chief = week
    items = registry.entity_by_label("schedule.ScheduleItem")
    # a change before publishing tells nobody
    item = services.update_record(items, org.office_clerk, item.pk, {"ends_at": at(8, 10, 30)}, item.version)
    assert not registry.model_for("reminders.Reminder").objects.exists()
    services.fire_transition(
        registry.entity_by_label("schedule.WeekSchedule"), chief, schedule.pk, "publish", schedule.version
    )
    item.refresh_from_db()

    change = {
        "starts_at": at(8, 14),
        "ends_at": at(8, 16),
        "participants": [org.specialist.pk, org.head_a.pk],
    }
    with pytest.raises(InvalidInput) as refused:  # published: the change needs its reason
        services.update_record(items, org.office_clerk, item.pk, change, item.version)
    assert {(p.field, p.code) for p in refused.value.problems} == {("change_reason", "INVALID")}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = services.update_record(
            items, org.office_clerk, item.pk, change | {"change_reason": REASON}, item.version
        )
    assert item.is_changed
    # before: the leader (chair), the specialist, officer A; after: the leader, the specialist, head A
    told = {org.leader, org.specialist, org.officer_a, org.head_a}
    for user in told:
        (notice,) = inbox(user)
        assert "Họp giao ban Bộ" in notice.title and REASON in notice.body
        assert "14:00–16:00 08/12/2026" in notice.body
    for user in (org.office_clerk, org.officer_b, chief, org.admin):
        assert inbox(user) == []
    assert len(callbacks) >= 4  # each notice is delivered (live event, email) after the commit
    assert registry.model_for("reminders.Reminder").objects.count() == 4

    # the same change told again (a retried delivery) makes nothing new; a second change does
    from modules.schedule import notices

    last = item.history.order_by("-history_id").first().history_id
    assert notices.notify_change(item, last, notices.people_of(item) | {org.officer_a.pk}) == 0
    services.update_record(items, org.office_clerk, item.pk, {"place": "Hội trường A"}, item.version)
    assert {len(inbox(u)) for u in (org.leader, org.specialist, org.head_a)} == {2}
    assert len(inbox(org.officer_a)) == 1  # no longer on the item: not told of the second change


def test_the_week_prints_as_an_a4_landscape_pdf(org: Any, week: tuple[Any, Any, Any]) -> None:
    from django.test import Client

    schedule, item, chief = week
    services.fire_transition(
        registry.entity_by_label("schedule.WeekSchedule"), chief, schedule.pk, "publish", schedule.version
    )
    items = registry.entity_by_label("schedule.ScheduleItem")
    item.refresh_from_db()
    services.update_record(
        items, org.office_clerk, item.pk, {"starts_at": at(8, 9), "change_reason": REASON}, item.version
    )
    client = Client()
    client.force_login(org.officer_b)  # published: every unit's staff may read it
    response = client.get(f"/schedule/week/{schedule.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        page = document.pages[0]
        assert page.width > page.height  # landscape
        assert round(page.width) == 842 and round(page.height) == 595  # A4 in points
        text = " ".join(" ".join(p.extract_text() or "" for p in document.pages).split())
    assert "LỊCH CÔNG TÁC CỦA LÃNH ĐẠO BỘ" in text
    assert "Tuần 50 (từ ngày 07/12/2026 đến ngày 13/12/2026)" in text
    assert "Thứ Ba, 08/12/2026" in text
    assert "09:00–10:00" in text and "Họp giao ban Bộ" in text
    assert f"(Thay đổi: {REASON})" in text
    assert "Leader" in text  # the chair, by full name (make_user names people by their login)

    client.force_login(org.officer_b)
    hidden = services.create_record(
        registry.entity_by_label("schedule.WeekSchedule"), org.head_a, {"kind": "unit", "week_start": MONDAY}
    )
    assert client.get(f"/schedule/week/{hidden.pk}/pdf").status_code == 404  # another unit's draft
