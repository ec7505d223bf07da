"""Building tasks for tests through the engine's write path (as the platform does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.engine import registry, services, workdays


def today() -> dt.date:
    return workdays.today()


def in_working_days(n: int) -> dt.date:
    return workdays.add_working_days(today(), n)


def make_task(org: Any, user: Any = None, unit: Any = None, **values: Any) -> Any:
    """A task led by `unit` (province A by default), assigned by the ministry leader."""
    entity = registry.entity_by_label("tasks.Task")
    data = {
        "title": "Báo cáo tình hình ứng dụng CNTT",
        "content": "Tổng hợp và báo cáo Bộ trước thời hạn.",
        "assigned_by": org.leader.pk,
        "owner_unit": (unit or org.province_a).pk,
        "assignee": org.officer_a.pk,
        "deadline": in_working_days(10),
    } | values
    return services.create_record(entity, user or org.leader, data)


def fire(user: Any, task: Any, name: str, comment: str = "") -> Any:
    task.refresh_from_db()
    entity = registry.entity_by_label("tasks.Task")
    return services.fire_transition(entity, user, task.pk, name, task.version, comment)
