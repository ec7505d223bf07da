"""Checks on reminder rules."""

from __future__ import annotations

from typing import Any

from . import sources


def validate_rule(rule: Any, user: Any) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if sources.get(rule.source) is None:
        known = ", ".join(s.key for s in sources.all_sources()) or "—"
        problems["source"] = [f"Mô-đun không nhắc việc được. / Not a reminder source. ({known})"]
    if rule.days is not None and rule.days < 0:
        problems["days"] = ["Số ngày không được âm. / Days cannot be negative."]
    if rule.trigger in ("before", "after") and not rule.days:
        problems["days"] = ["Cần số ngày làm việc. / Give the number of working days."]
    return problems
