"""What the national export says about a province's tasks: each signed contract is one task,
its registered results follow it (a draft contract is not a task yet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

EXPORTED = ("stm.Contract", "stm.Expert")  # whose owners are the units that send a package
Rows = Callable[[str], Any]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def task_id(unit_code: str, code: str) -> str:
    return f"{unit_code}:{code}"


def export_tasks(unit: Any, rows: Rows) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tasks, results) of the v1 format, from the contracts and results `rows` gives."""
    contracts = (
        rows("stm.Contract")
        .exclude(state="draft")
        .order_by("id")
        .values(
            "id",
            "number",
            "task_code",
            "title",
            "task_type",
            "science_field",
            "state",
            "owner_unit__code",
            "organisation__name",
            "organisation__tax_code",
            "investigator__full_name",
            "investigator__degree",
            "investigator__email",
            "signed_on",
            "start_on",
            "end_on",
            "state_budget",
            "other_budget",
            "spending_mode",
            "disbursed",
            "rating",
            "accepted_on",
            "backfilled",
        )
    )
    tasks: list[dict[str, Any]] = []
    ids: dict[int, str] = {}
    for c in contracts:
        code = c["task_code"] or c["number"]
        ident = task_id(c["owner_unit__code"], code)
        ids[c["id"]] = ident
        rated = c["state"] in ("completed", "failed") and c["rating"]
        tasks.append(
            {
                "id": ident,
                "code": code,
                "title": c["title"],
                "task_type": c["task_type"],
                "science_field": c["science_field"] or "",
                "status": c["state"],
                "organisation": {
                    "name": c["organisation__name"],
                    "tax_code": c["organisation__tax_code"] or "",
                },
                "investigator": {
                    "full_name": c["investigator__full_name"],
                    "degree": c["investigator__degree"] or "",
                    "email": c["investigator__email"] or "",
                },
                "contract": {
                    "number": c["number"] or "",
                    "signed_on": _iso(c["signed_on"]),
                    "starts_on": _iso(c["start_on"]),
                    "ends_on": _iso(c["end_on"]),
                    "state_budget": int(c["state_budget"] or 0),
                    "other_budget": int(c["other_budget"] or 0),
                    "spending_mode": c["spending_mode"] or "",
                },
                "disbursed": int(c["disbursed"] or 0),
                "acceptance": {"rating": c["rating"], "accepted_on": _iso(c["accepted_on"])}
                if rated
                else None,
                "source": "backfill" if c["backfilled"] else "system",
            }
        )
    results = [
        {
            "task_id": ids[r["contract_id"]],
            "title": r["title"],
            "registration_number": r["registration_no"] or "",
            "registered_on": _iso(r["registered_on"]),
        }
        for r in rows("stm.TaskResult")
        .filter(state="registered")
        .order_by("id")
        .values("contract_id", "title", "registration_no", "registered_on")
        if r["contract_id"] in ids
    ]
    return tasks, results
