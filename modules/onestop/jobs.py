"""The one-stop shop's periodic jobs: a dossier's classification follows the calendar, and
one not passed to its processing unit in time is flagged once its transfer deadline is gone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from modules.engine import registry, workdays
from modules.engine.dated import refresh_dated

from . import rules
from .hooks import classification_of


def refresh_classifications(today: Any = None) -> str:
    """The scheduler's job: a dossier still in progress turns "overdue" the day after its
    promised date, with nobody saving it, so the lists, KPIs and the board count it so."""
    today = today or workdays.today()
    running = (
        registry.model_for("onestop.Dossier")
        .objects.filter(promised_date__lt=today)
        .exclude(state__in=(*rules.FINISHED, "withdrawn", "supplement"))
        .exclude(classification=rules.IN_PROGRESS_OVERDUE)
    )
    return refresh_dated(
        "onestop.Dossier", running, lambda row, day: classification_of(row, day) != row.classification, today
    )


def flag_late_transfers(today: Any = None) -> str:
    """The scheduler's job (every minute): a dossier still waiting at the counter after its
    transfer deadline (NĐ 61/2018 Art. 18(1)) is flagged with nobody saving it."""
    waiting = registry.model_for("onestop.Dossier").objects.filter(
        state="accepted",
        transferred_at__isnull=True,
        transfer_deadline__lt=timezone.now(),
        transfer_late=False,
    )
    stale = lambda row, day: not row.transfer_late  # noqa: E731 - re-read under lock by the engine
    return refresh_dated("onestop.Dossier", waiting, stale, today, "transfer")
