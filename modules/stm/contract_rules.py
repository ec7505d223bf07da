"""What a task contract's dates mean (issue 19): the six-monthly reports, the acceptance dossier
due 30 days after the end, and which of them a change of the contract moves. Pure functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from modules.engine import workdays

from .acceptance_rules import submission_due

REPORT_MONTHS = 6  # "periodic progress reports (every six months)"
TERM_FIELDS = ("end_on", "state_budget", "other_budget", "investigator_id", "objectives")
CHANGE_FIELDS = {  # change kind -> (the change's field, the contract's field)
    "extension": (("new_end_on", "end_on"),),
    "budget": (("new_state_budget", "state_budget"), ("new_other_budget", "other_budget")),
    "investigator": (("new_investigator_id", "investigator_id"),),
    "content": (("new_objectives", "objectives"),),
}


EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # a task's dates, with room for backfills
OUT_OF_RANGE = "Ngày ngoài khoảng 1990-2100. / A date between 1990 and 2100."


def out_of_range(day: dt.date | None) -> bool:
    """A contract date no task can have (the deadlines computed from it would overflow)."""
    return day is not None and not EARLIEST <= day <= LATEST


def report_due(start_on: dt.date, end_on: dt.date, reports_filed: int) -> dt.date | None:
    """The next six-monthly report: six months after the start for the first, then every six
    months; none once the next mark falls after the contract's end (the acceptance takes over).
    A mark on a weekend or holiday moves to the next working day (Civil Code Art. 148(5))."""
    due = start_on + relativedelta(months=REPORT_MONTHS * (reports_filed + 1))
    return workdays.next_working_day(due) if due <= end_on else None


def duration_months(start_on: dt.date, end_on: dt.date) -> int:
    """Whole months from the start to the end, a started month counted."""
    delta = relativedelta(end_on + dt.timedelta(days=1), start_on)
    return delta.years * 12 + delta.months + (1 if delta.days else 0)


def deadlines(start_on: dt.date, end_on: dt.date, reports_filed: int) -> dict[str, dt.date | None]:
    """Every deadline that follows from the contract's dates."""
    return {
        "next_report_due": report_due(start_on, end_on, reports_filed),
        "acceptance_due": submission_due(end_on),
        "end_on": end_on,
    }


def moved(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str | None]]:
    """The deadlines a change moved, as ISO dates {name: [before, after]}."""

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    return {name: [iso(before[name]), iso(after[name])] for name in after if before.get(name) != after[name]}
