"""What the public page of published acceptance dossiers may show (domain.md §7 "Acceptance",
TT 11/2014/TT-BKHCN: the dossier is published within 5 working days, for 60 days).

A dossier is shown only from its publication until `published_until` (the 60th day, counted
as the Civil Code counts a period: the day of publication is not counted), whatever step it
has reached since. Only the whitelisted facts below leave the database, as plain dicts, so a
template can never reach another field (files, refund, missing items, votes). Secret tasks are
their own entity (`definition_secret.py`) with no acceptance dossier, and are never read here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from modules.engine import registry

from . import acceptance_rules as rules
from .science_fields import FIELDS
from .scoring import TASK_TYPES

# the steps a published dossier may have reached; a draft, a dossier under check or refused
# was never published
PUBLISHED_STATES = (
    "published",
    "revising",
    "awaiting_recognition",
    "recognised",
    "failed",
    "failure_recorded",
)
LIMIT = 100
TYPE_LABELS = {code: vi for code, vi, *_ in TASK_TYPES}
FIELD_LABELS = {code: vi for code, vi, *_ in FIELDS}


def published(today: dt.date, search: str = "") -> list[dict[str, Any]]:
    """The dossiers in their publication window on `today`, newest publication first."""
    rows = (
        registry.model_for("stm.AcceptanceDossier")
        .objects.filter(state__in=PUBLISHED_STATES, published_until__gte=today)
        .filter(published_until__lte=today + dt.timedelta(days=rules.PUBLISHED_DAYS))
        .select_related("contract__organisation", "contract__investigator", "owner_unit")
        .order_by("-published_until", "-id")
    )
    if search.strip():
        words = search.strip()[:100]
        rows = rows.filter(
            Q(contract__title__icontains=words)
            | Q(number__icontains=words)
            | Q(contract__task_code__icontains=words)
            | Q(contract__organisation__name__icontains=words)
        )
    return [_public(d) for d in rows[:LIMIT]]


def _public(dossier: Any) -> dict[str, Any]:
    contract = dossier.contract
    return {
        "number": dossier.number,
        "task_code": contract.task_code,
        "title": contract.title,
        "task_type": TYPE_LABELS.get(contract.task_type, ""),
        "science_field": FIELD_LABELS.get(contract.science_field or "", ""),
        "organisation": contract.organisation.name,
        "investigator": contract.investigator.full_name,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "unit": dossier.owner_unit.name if dossier.owner_unit_id else "",
        "published_on": dossier.published_until - dt.timedelta(days=rules.PUBLISHED_DAYS),
        "published_until": dossier.published_until,
    }
