"""The one-stop shop's periodic job: a dossier's classification follows the calendar."""

from __future__ import annotations

from typing import Any

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
