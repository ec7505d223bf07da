"""Cancelling a selection result (domain.md §7.11, TT 20/2023).

§7.11 cancels the result for fraud, ineligibility or duplicate funding (the managing unit
judges those: the `cancel` transition, with its reason), or for "missing the 20/15-day
resubmissions": the winner's revised dossier (B2-8-GTHĐ, 20 days, §7.7) or its final dossier
after the appraisal (B3-3, 15 days, §7.8). Nobody has to judge the last two: once the step's
last day (`step_due`, `rules.step_due`) has ended with the dossier still in that step, the
scheduler's job cancels it, the day after that last day. Either way the organisation is to be
told within 7 days (§7.11), so the dossier keeps when, why, and the notice's due day.

The job is safe to run twice at once (two schedulers, two workers): each dossier is re-read
under lock and cancelled only while it is still overdue in that step, through the write path's
version check, so it is cancelled once and its history holds one cancellation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from modules.engine import registry, services, workdays

from . import rules

NOTICE_DAYS = 7  # §7.11: the cancellation is notified within 7 days
# the applicant's steps whose missed deadline cancels the result by itself (§7.11)
MISSED = {
    "selected": (
        "Không nộp hồ sơ hoàn thiện (B2-8-GTHĐ) trong 20 ngày",
        "The revised dossier (B2-8-GTHĐ) was not filed within 20 days",
    ),
    "finalising": (
        "Không nộp hồ sơ sau thẩm định (B3-3) trong 15 ngày",
        "The final dossier (B3-3) was not filed within 15 days",
    ),
}
REASON = "auto_cancel"  # the history's change reason of a cancellation by the scheduler


def _model() -> Any:
    return registry.model_for("stm.SelectionDossier")


def mark_cancelled(dossier: Any, day: dt.date, reason: str) -> None:
    dossier.cancelled_on = day
    dossier.cancellation_reason = reason
    dossier.cancellation_notice_due = rules.step_due(day, NOTICE_DAYS)


def on_cancelled(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """The managing unit's cancellation: its comment is the reason."""
    mark_cancelled(dossier, workdays.today(), payload.get("comment", "").strip())


def notice_not_sent(dossier: Any, user: Any) -> str | None:
    """The organisation is told once (§7.11): a second record of the notice is refused."""
    if dossier.cancellation_notified_on:
        day = dossier.cancellation_notified_on.strftime("%d/%m/%Y")
        return f"Đã thông báo huỷ kết quả ngày {day}. / The cancellation was notified on {day}."
    return None


def on_notified(dossier: Any, user: Any, transition: Any, payload: dict) -> None:
    """The managing unit records that it told the organisation: the reminders stop (`notice_reminders`)."""
    dossier.cancellation_notified_on = workdays.today()


def overdue(today: dt.date) -> Any:
    """Dossiers whose revision or final dossier was due before `today` and never came."""
    return _model().objects.filter(state__in=tuple(MISSED), step_due__lt=today)


def cancel_if_overdue(pk: int, today: dt.date) -> bool:
    """Cancel one dossier if, re-read under lock, it is still overdue; True if this call did."""
    entity = registry.entity_by_label("stm.SelectionDossier")
    with transaction.atomic():
        dossier = _model().objects.select_for_update().filter(pk=pk).first()
        if (
            dossier is None
            or dossier.state not in MISSED
            or not dossier.step_due
            or dossier.step_due >= today
        ):
            return False
        vi, en = MISSED[dossier.state]
        due = dossier.step_due.strftime("%d/%m/%Y")
        reason = f"{vi} (hạn {due}): tự động huỷ kết quả. / {en} (due {due}): cancelled automatically."
        dossier.state = "cancelled"
        mark_cancelled(dossier, today, reason)
        services.save_record(
            entity,
            None,
            dossier,
            created=False,
            expected_version=dossier.version,
            reason=REASON,  # the history's reason is short (100 characters); the why is on the dossier
            by_transition=True,
        )
    return True


def cancel_missed_steps(today: dt.date | None = None) -> str:
    """The scheduler's job (every minute, `engine.jobs`): cancel every overdue winner's step."""
    today = today or workdays.today()
    candidates = list(overdue(today).order_by("pk").values_list("pk", flat=True))
    done = sum(cancel_if_overdue(pk, today) for pk in candidates)
    return f"{done} cancelled"
