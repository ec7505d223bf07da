"""The cancellation notice as a reminder source (domain.md §7.11, TT 20/2023).

§7.11: once a selection result is cancelled (by the managing unit, or by the scheduler for a
missed 20/15-day resubmission, `cancellation.py`), the organisation is told within 7 days
(`cancellation_notice_due`). The managing unit owes that notice, so its heads are reminded,
by the rules set in the admin like every other reminder; the organisation's accounts are not
reminded of a notice they are waiting for. Recording the notice (`notify_cancellation`) ends
the reminders. Each reminder is sent once per rule, day and person (the scheduler's key).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.engine import registry
from modules.reminders.sources import Message, ReminderSource, deadline_phrase

from .reminder_source import _heads


def notices_owed() -> Any:
    """Cancelled dossiers whose notice is due and not yet recorded as sent."""
    return (
        registry.model_for("stm.SelectionDossier")
        .objects.filter(
            state="cancelled",
            cancellation_notice_due__isnull=False,
            cancellation_notified_on__isnull=True,
        )
        .select_related("organisation")
        .order_by("id")
    )


def recipients(dossier: Any, kind: str) -> list[Any]:
    """The managing unit sends the notice: its heads, whichever of the two kinds a rule names."""
    return _heads(dossier.owner_unit_id) if kind in ("responsible", "unit_head") else []


def message(dossier: Any, trigger: str, today: dt.date) -> Message:
    when_vi, when_en = deadline_phrase(today, dossier.cancellation_notice_due)
    name = dossier.organisation.name
    return Message(
        title=(
            f"{dossier.number}: thông báo huỷ kết quả cho {name} / "
            f"notify {name} of the cancellation — {when_vi}"
        ),
        body=f"{dossier.title}\n{dossier.cancellation_reason}\n{when_vi} / {when_en}.",
        url=f"/admin/stm/selectiondossier/{dossier.pk}/change/",
    )


CANCELLATION_NOTICE = ReminderSource(
    key="stm.SelectionDossier.cancellation",
    label_vi="Thông báo huỷ kết quả tuyển chọn (7 ngày)",
    label_en="Selection cancellation notices (7 days)",
    open_items=notices_owed,
    deadline_of=lambda dossier: dossier.cancellation_notice_due,
    priority_of=lambda dossier: "high",
    is_key=lambda dossier: False,
    recipients=recipients,
    message=message,
)
