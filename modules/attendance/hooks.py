"""Attendance rules plugged into the generated entities."""

from __future__ import annotations

import re
from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_site(site: Any, user: Any) -> dict[str, list[str]]:
    if site.tolerance is not None and not 0.2 <= float(site.tolerance) <= 0.8:
        return {"tolerance": ["Ngưỡng từ 0,2 đến 0,8. / Between 0.2 and 0.8."]}
    return {}


def validate_schedule(schedule: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not HH_MM.match(schedule.start_time or ""):
        problems["start_time"] = ["Giờ dạng HH:MM, ví dụ 07:30. / A time as HH:MM, e.g. 07:30."]
    if schedule.grace_minutes is not None and not 0 <= schedule.grace_minutes <= 120:
        problems["grace_minutes"] = ["Từ 0 đến 120 phút. / From 0 to 120 minutes."]
    return problems


def audit_enrollment_read(enrollment: Any, user: Any, via: str) -> None:
    from .services import audit

    audit(user, enrollment.person, "view", via)


def connect_signals() -> None:
    from modules.engine import registry

    @receiver(post_delete, sender=registry.model_for("attendance.Enrollment"), weak=False)
    def enrollment_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        """A deletion from the admin (or anywhere) is audited and reaches every process's index."""
        from .services import audit, faces_changed

        if getattr(instance, "_audited", False):
            return
        actor = getattr(instance, "_history_user", None)
        audit(actor, instance.person, "delete", "admin")
        faces_changed()
