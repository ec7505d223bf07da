"""The winner's steps as a reminder source (§7.7-7.9): revision, appraisal, final dossier,
approval, each chased by its deadline (`step_due`, in days: `rules.step_due`). The applicant's steps go to
the organisation's accounts, the managing unit's to its heads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from modules.engine import registry
from modules.org.roles import UNIT_HEAD
from modules.reminders.sources import Message, ReminderSource, deadline_phrase

from .hooks import STEP_DAYS, organisation_group

APPLICANT_STEPS = ("selected", "finalising")
STEP_LABELS = {
    "selected": "nộp hồ sơ hoàn thiện / submit the revision",
    "appraisal": "họp tổ thẩm định / the appraisal group meets",
    "finalising": "nộp hồ sơ sau thẩm định / submit the final dossier",
    "awaiting_approval": "phê duyệt / approval",
}


def open_steps() -> Any:
    model = registry.model_for("stm.SelectionDossier")
    return model.objects.filter(state__in=tuple(STEP_DAYS), step_due__isnull=False).order_by("id")


def _heads(unit_id: int) -> list[Any]:
    people = registry.model_for("org.Person").objects.filter(owner_unit_id=unit_id, roles__name=UNIT_HEAD)
    return list(get_user_model().objects.filter(pk__in=people.values("user_id"), is_active=True))


def recipients(dossier: Any, kind: str) -> list[Any]:
    if kind == "responsible" and dossier.state in APPLICANT_STEPS:
        return list(organisation_group(dossier.organisation_id).user_set.filter(is_active=True))
    if kind in ("responsible", "unit_head"):
        return _heads(dossier.owner_unit_id)
    return []


def message(dossier: Any, trigger: str, today: dt.date) -> Message:
    when_vi, when_en = deadline_phrase(today, dossier.step_due)
    return Message(
        title=f"{dossier.number}: {STEP_LABELS[dossier.state]} — {when_vi}",
        body=f"{dossier.title}\n{when_vi} / {when_en}.",
        url=f"/admin/stm/selectiondossier/{dossier.pk}/change/",
    )


DOSSIER_STEPS = ReminderSource(
    key="stm.SelectionDossier",
    label_vi="Hồ sơ trúng tuyển nhiệm vụ KH&CN",
    label_en="Selected S&T dossiers",
    open_items=lambda: open_steps().select_related("organisation"),
    deadline_of=lambda dossier: dossier.step_due,
    priority_of=lambda dossier: "high",
    is_key=lambda dossier: False,
    recipients=recipients,
    message=message,
)
