"""A year of meeting-room bookings, replayed at the times they were made (engine/replay.py):
nine rooms (three need the Office's approval), a few repeating series (the Monday briefing,
the first-Monday review), and single bookings on working days; a booking that would collide
is refused by the real rule and simply not made. Deterministic and idempotent.

Like a person booking, each single booking looks at the day's busy times first (the engine's
availability query) and takes a room that is free at its hour, or another hour when none is;
only then does it go through the real write path, whose overlap rule still decides (a race
with a series or an approval can still refuse it). The bookings still to make are spread
evenly over the window's working days, so the year ends at about the target, not short of it.

Sized down from the issue's 3,200 a year to `TARGET` (about 1,200) so that `make run` stays
quick; `ONEMST_DEMO_BOOKINGS` sets another number, `seed_demo --full` the issue's `FULL`."""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

from django.contrib.auth import get_user_model

from modules.engine import demo as engine_demo
from modules.engine import registry, replay, services, workdays
from modules.engine.errors import InvalidInput
from modules.org.roles import PROVINCIAL_OFFICER, SECRETARY, SPECIALIST, UNIT_HEAD
from modules.rooms import availability

TARGET = int(os.environ.get("ONEMST_DEMO_BOOKINGS", "1200"))
FULL = 3200  # the "about 3,200 room bookings" a year
SMALL = 40  # enough for every status and the refused overlaps (`seed_demo --size small`)
ROOMS = (
    # code, name, location, capacity, projector, video, sound, needs approval
    ("P101", "Phòng họp lớn tầng 1", "Tầng 1, nhà A", 80, True, True, True, True),
    ("P201", "Phòng họp 201", "Tầng 2, nhà A", 20, True, False, True, False),
    ("P202", "Phòng họp 202", "Tầng 2, nhà A", 12, True, False, False, False),
    ("P301", "Phòng họp trực tuyến 301", "Tầng 3, nhà A", 30, True, True, True, False),
    ("P302", "Phòng họp 302", "Tầng 3, nhà A", 10, False, False, False, False),
    ("P401", "Phòng khách quốc tế", "Tầng 4, nhà A", 24, True, True, True, True),
    ("B101", "Phòng họp nhà B", "Tầng 1, nhà B", 16, True, False, True, False),
    ("B201", "Phòng làm việc nhóm B201", "Tầng 2, nhà B", 8, False, False, False, False),
    ("HT", "Hội trường", "Tầng 1, nhà C", 200, True, True, True, True),
)
SUBJECTS = (
    "Họp giao ban đơn vị",
    "Họp thẩm định hồ sơ nhiệm vụ KH&CN",
    "Làm việc với Sở KH&CN",
    "Hội đồng tư vấn xét chọn",
    "Họp trực tuyến với các tỉnh",
    "Họp rà soát thủ tục hành chính",
    "Tập huấn chuyển đổi số",
    "Họp chuẩn bị hội nghị",
    "Tiếp và làm việc với đoàn doanh nghiệp",
    "Họp nhóm soạn thảo văn bản",
)
SERIES = (
    ("P301", "Giao ban Bộ sáng thứ Hai", "FREQ=WEEKLY;BYDAY=MO", dt.time(8, 0), 90, 25),
    ("P201", "Giao ban Văn phòng", "FREQ=WEEKLY;BYDAY=TH", dt.time(14, 0), 60, 15),
    ("P401", "Rà soát tiến độ tháng", "FREQ=MONTHLY;BYDAY=1MO", dt.time(14, 0), 120, 20),
)


def seed(out: Any) -> None:
    bookings = registry.model_for("rooms.RoomBooking").objects
    target = engine_demo.sized(small=SMALL, quick=TARGET, full=FULL)
    if bookings.count() >= target:
        out.write(f"Demo rooms: {bookings.count()} bookings present, nothing added.")
        return
    bookers = _bookers()
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    if not bookers or admin is None:
        out.write("Demo rooms: no people yet (run the organisation's seed first).")
        return
    today = workdays.today()
    start = today - dt.timedelta(days=365)
    rooms = _rooms(admin)
    rng = random.Random(16)
    _series(rooms, bookers, start, today, rng)
    days = [
        start + dt.timedelta(days=n)
        for n in range((today + dt.timedelta(days=14) - start).days + 1)
        if workdays.is_working_day(start + dt.timedelta(days=n))
    ]
    made = refused = 0
    for day, count in zip(days, daily_counts(max(target - bookings.count(), 0), len(days)), strict=True):
        if not count:
            continue
        busy = availability.busy_by_room(
            [room.pk for room in rooms.values()], replay.on(day, 0), replay.on(day + dt.timedelta(days=1), 0)
        )
        for _ in range(count):
            ok = _one(rooms, busy, bookers, day, rng)
            made += ok
            refused += not ok
    out.write(
        f"Demo rooms: {made} bookings made, {refused} refused as overlapping; {bookings.count()} in all."
    )


def daily_counts(remaining: int, days: int) -> list[int]:
    """`remaining` bookings over `days` working days, as even as whole numbers go (they add up
    to `remaining`): the year is filled to its end, neither stopped early nor left short."""
    if days <= 0:
        return []
    return [remaining * (i + 1) // days - remaining * i // days for i in range(days)]


def free_room(
    rooms: list[Any],
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]],
    starts: dt.datetime,
    ends: dt.datetime,
) -> Any:
    """The first of `rooms` with nothing in `busy` meeting [starts, ends), or None."""
    for room in rooms:
        if all(ends <= taken_from or starts >= taken_to for taken_from, taken_to in busy.get(room.pk, ())):
            return room
    return None


def _bookers() -> list[Any]:
    people = registry.model_for("org.Person").objects.filter(
        user__isnull=False, roles__name__in=(SPECIALIST, SECRETARY, UNIT_HEAD, PROVINCIAL_OFFICER)
    )
    return list(get_user_model().objects.filter(pk__in=people.values("user_id")).order_by("id"))


def _rooms(admin: Any) -> dict[str, Any]:
    model = registry.model_for("rooms.Room")
    entity = registry.entity_by_label("rooms.Room")
    found = {room.code: room for room in model.objects.all()}
    for code, name, place, seats, projector, video, sound, approval in ROOMS:
        if code not in found:
            found[code] = services.create_record(
                entity,
                admin,
                {
                    "code": code,
                    "name": name,
                    "location": place,
                    "capacity": seats,
                    "has_projector": projector,
                    "has_video": video,
                    "has_sound": sound,
                    "needs_approval": approval,
                },
            )
    return found


def _series(
    rooms: dict[str, Any], bookers: list[Any], start: dt.date, today: dt.date, rng: random.Random
) -> None:
    entity = registry.entity_by_label("rooms.RepeatingBooking")
    if registry.model_for("rooms.RepeatingBooking").objects.exists():
        return
    first_day = workdays.next_working_day(start + dt.timedelta(days=7 - start.weekday()))
    for code, title, rule, time, minutes, people in SERIES:
        first = replay.on(first_day, time.hour, time.minute)
        user = rng.choice(bookers)
        with replay.at(first - dt.timedelta(days=3)):
            try:
                services.create_record(
                    entity,
                    user,
                    {
                        "room": rooms[code].pk,
                        "title": title,
                        "first_start": first,
                        "first_end": first + dt.timedelta(minutes=minutes),
                        "rrule": rule,
                        "until": today + dt.timedelta(days=60),
                        "attendees": people,
                    },
                )
            except InvalidInput:
                continue


def _one(
    rooms: dict[str, Any],
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]],
    bookers: list[Any],
    day: dt.date,
    rng: random.Random,
) -> bool:
    """One booking on `day` in a room the day's busy times show free (three hours tried), else
    in a room at random, which the overlap rule then refuses."""
    room = None
    for _ in range(3):
        starts = replay.on(day, rng.choice((8, 9, 10, 13, 14, 15)), rng.choice((0, 0, 30)))
        ends = starts + dt.timedelta(minutes=rng.choice((60, 90, 120)))
        order = list(rooms.values())
        rng.shuffle(order)
        room = free_room(order, busy, starts, ends)
        if room is not None:
            break
    room = room or rooms[rng.choice(list(rooms))]
    user = rng.choice(bookers)
    entity = registry.entity_by_label("rooms.RoomBooking")
    made_at = starts - dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6))
    with replay.at(made_at):
        try:
            booking = services.create_record(
                entity,
                user,
                {
                    "room": room.pk,
                    "title": rng.choice(SUBJECTS),
                    "starts_at": starts,
                    "ends_at": ends,
                    "attendees": rng.randint(3, max(room.capacity // 2, 3)),
                    "online_link": "https://meet.most.gov.vn/demo" if room.has_video else "",
                },
            )
        except InvalidInput:
            return False
    busy.setdefault(room.pk, []).append((starts, ends))
    if booking.state == "pending" and starts.date() <= workdays.today() + dt.timedelta(days=3):
        office = _office_approver()
        if office is not None:
            replay.fire_at(
                made_at + dt.timedelta(hours=2), "rooms.RoomBooking", office, booking.pk, "approve"
            )
    return True


def _office_approver() -> Any:
    people = registry.model_for("org.Person").objects.filter(
        user__isnull=False, roles__name=UNIT_HEAD, owner_unit__sees_all_units=True
    )
    return get_user_model().objects.filter(pk__in=people.values("user_id")).order_by("id").first()
