"""The weekly schedule's rules: one week per unit and kind, items inside their week, and a
change after publishing that is marked, reasoned and told to the people it affects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from modules.engine.guards import only_units_seeing_all

from . import events, notices

REASON_REQUIRED = (
    "Lịch đã công bố: nêu lý do thay đổi. / The schedule is published: give the reason for the change."
)


def validate_week(week: Any, user: Any) -> dict[str, list[str]]:
    if week.week_start and week.week_start.weekday() != 0:
        return {"week_start": ["Tuần bắt đầu từ thứ Hai. / A week starts on a Monday."]}
    return {}


def week_title(week: Any, user: Any, created: bool) -> None:
    """ "Tuần 49/2026 (30/11 – 06/12/2026)": ISO week, as ministries head their schedules."""
    if week.week_start:
        year, number, _ = week.week_start.isocalendar()
        end = week.week_start + dt.timedelta(days=6)
        week.title = f"Tuần {number}/{year} ({week.week_start:%d/%m} – {end:%d/%m/%Y})"


def only_leaders_schedule_by_office(week: Any, user: Any) -> str | None:
    """The leaders' schedule is published by the Office; a unit publishes its own."""
    if week.kind == "leaders":
        return only_units_seeing_all(week, user)
    return None


def on_publish(week: Any, user: Any, transition: Any, payload: dict) -> None:
    """Items of a published week are seen by every unit (the week is shared by its state)."""
    from modules.engine import registry

    items = registry.model_for("schedule.ScheduleItem").objects.filter(week=week)
    items.update(is_shared=True)
    week.published_at = timezone.now()


def validate_item(item: Any, user: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    week = item.week if item.week_id else None
    if week is None or item.starts_at is None:
        return errors
    first = week.week_start
    day = timezone.localtime(item.starts_at).date()
    if not first <= day <= first + dt.timedelta(days=6):
        errors["starts_at"] = ["Ngày không thuộc tuần của lịch. / The date is outside the schedule's week."]
    if item.ends_at and item.ends_at <= item.starts_at:
        errors["ends_at"] = ["Giờ kết thúc phải sau giờ bắt đầu. / The end must be after the start."]
    if week.state == "published" and not (item.change_reason or "").strip():
        errors["change_reason"] = [REASON_REQUIRED]
    return errors


def before_item_save(item: Any, user: Any, created: bool) -> None:
    """An item belongs to its week's unit and is seen as its week is; a change after publishing
    is marked, and the people on the item before the change are kept to be told."""
    week = item.week
    item.owner_unit_id = week.owner_unit_id
    item.is_shared = week.state == "published"
    if week.state == "published":
        item.is_changed = True
        item._people_before = set() if created else notices.people_of(type(item).objects.get(pk=item.pk))
    else:
        item.is_changed = False
        item.change_reason = ""


def after_item_save(item: Any, user: Any, created: bool) -> None:
    """Push the item to its week's subscribers; after publishing, tell everyone on the item
    before or after the change, once; both after the commit."""
    events.announce(item, created)
    before = getattr(item, "_people_before", None)
    if before is None:
        return
    change = item.history.order_by("-history_id").values_list("history_id", flat=True).first()
    notices.notify_change(item, change, before | notices.people_of(item))
    del item._people_before
