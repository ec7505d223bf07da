"""52 published weeks of the leaders' schedule, replayed at their own times: drafted by the
Office on Wednesday, published by its chief on Friday for the next week, and now and then
changed after publishing (with a reason, told to the people on the item). An item in a meeting
room books it by the rooms' rule. Deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import random
from contextlib import suppress
from typing import Any

from django.contrib.auth import get_user_model

from modules.engine import demo as engine_demo
from modules.engine import registry, replay, services, workdays
from modules.engine.errors import InvalidInput
from modules.org.roles import MINISTRY_LEADER, SPECIALIST, UNIT_HEAD

WEEKS = 52
SMALL_WEEKS = 3  # `seed_demo --size small`: last week, this week and next
ITEMS = (
    ("Họp giao ban Lãnh đạo Bộ", "P301"),
    ("Làm việc với Ủy ban nhân dân tỉnh", ""),
    ("Tiếp đoàn công tác quốc tế", "P401"),
    ("Dự họp Chính phủ thường kỳ", ""),
    ("Nghe báo cáo tiến độ chuyển đổi số", "P201"),
    ("Họp Hội đồng khoa học", "P101"),
    ("Kiểm tra tình hình thực hiện nhiệm vụ KH&CN", ""),
    ("Làm việc với Vụ Kế hoạch - Tài chính", "P202"),
)
PLACES = ("Trụ sở Chính phủ", "UBND tỉnh Bắc Ninh", "Quốc hội", "Khu Công nghệ cao Hòa Lạc")
TAKEN = "Hội trường Văn phòng Bộ (phòng họp đã kín lịch)"
REASONS = ("Lãnh đạo Bộ dự họp đột xuất", "Đổi giờ theo đề nghị của đơn vị", "Đổi phòng họp")


def seed(out: Any) -> None:
    weeks = registry.model_for("schedule.WeekSchedule").objects
    wanted = engine_demo.sized(small=SMALL_WEEKS, quick=WEEKS, full=WEEKS)
    if weeks.filter(kind="leaders").count() >= wanted:
        out.write("Demo schedule: the leaders' weeks are present, nothing added.")
        return
    users = get_user_model().objects.order_by("id")
    persons = registry.model_for("org.Person").objects.filter(user__isnull=False)
    office = persons.filter(owner_unit__sees_all_units=True)
    leaders = list(users.filter(pk__in=persons.filter(roles__name=MINISTRY_LEADER).values("user_id")))
    heads = list(users.filter(pk__in=persons.filter(roles__name=UNIT_HEAD).values("user_id"))[:12])
    chief = users.filter(pk__in=office.filter(roles__name=UNIT_HEAD).values("user_id")).first()
    clerk = users.filter(pk__in=office.filter(roles__name=SPECIALIST).values("user_id")).first()
    if not leaders or chief is None or clerk is None:
        out.write("Demo schedule: no people yet (run the organisation's seed first).")
        return
    rooms = {r.code: r for r in registry.model_for("rooms.Room").objects.all()}
    rng = random.Random(18)
    today = workdays.today()
    this_monday = today - dt.timedelta(days=today.weekday())
    changed = 0
    for back in range(wanted - 1, -2, -1):  # up to next week, published last Friday
        monday = this_monday - dt.timedelta(weeks=back)
        if weeks.filter(kind="leaders", week_start=monday).exists():
            continue
        changed += _week(rng, monday, leaders, heads, chief, clerk, rooms)
    out.write(
        f"Demo schedule: {weeks.filter(kind='leaders').count()} leaders' weeks, "
        f"{changed} changed after publishing."
    )


def _week(
    rng: random.Random, monday: dt.date, leaders: list, heads: list, chief: Any, clerk: Any, rooms: dict
) -> bool:
    week_entity = registry.entity_by_label("schedule.WeekSchedule")
    item_entity = registry.entity_by_label("schedule.ScheduleItem")
    drafted = replay.on(monday - dt.timedelta(days=5), 9)
    with replay.at(drafted):
        week = services.create_record(week_entity, clerk, {"kind": "leaders", "week_start": monday})
        items = []
        for offset in range(5):
            day = monday + dt.timedelta(days=offset)
            if not workdays.is_working_day(day):
                continue
            for hour in rng.sample((8, 9, 14, 15), rng.randint(1, 2)):
                title, code = rng.choice(ITEMS)
                room = rooms.get(code)
                start = replay.on(day, hour, rng.choice((0, 30)))
                values = {
                    "week": week.pk,
                    "starts_at": start,
                    "ends_at": start + dt.timedelta(hours=rng.choice((1, 2))),
                    "title": title,
                    "chair": rng.choice(leaders).pk,
                    "participants": [h.pk for h in rng.sample(heads, min(len(heads), 3))],
                    "place_room": room.pk if room else None,
                    "place": "" if room else rng.choice(PLACES),
                }
                items.append(_add(item_entity, clerk, values))
    replay.fire_at(
        replay.on(monday - dt.timedelta(days=3), 16), "schedule.WeekSchedule", chief, week.pk, "publish"
    )
    if not items or rng.random() > 0.15:
        return False
    item = rng.choice(items)
    with replay.at(replay.on(monday, 7, 30)), suppress(InvalidInput):  # its room taken by then: kept
        fresh = registry.model_for(item_entity).objects.get(pk=item.pk)
        services.update_record(
            item_entity,
            clerk,
            item.pk,
            {
                "starts_at": fresh.starts_at + dt.timedelta(hours=1),
                "ends_at": (fresh.ends_at or fresh.starts_at) + dt.timedelta(hours=1),
                "change_reason": rng.choice(REASONS),
            },
            fresh.version,
        )
    return True


def _add(entity: Any, clerk: Any, values: dict[str, Any]) -> Any:
    """An item books its room by the rooms' rule (engine/holds.py); a room already taken that
    hour (a unit's booking) sends the meeting to the Office's other hall, as the Office would."""
    try:
        return services.create_record(entity, clerk, values)
    except InvalidInput:
        if not values["place_room"]:
            raise
        return services.create_record(entity, clerk, values | {"place_room": None, "place": TAKEN})
