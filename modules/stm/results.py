"""A council's tally from its stored ballots, and the expert cards a proposal is made from.

The counting itself is `scoring` (pure); this module only reads rows: the ballots of the
present members, the dossiers judged valid, each dossier's budget and its host's record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils import timezone

from modules.engine import registry
from modules.engine.access import scoped_queryset
from modules.engine.factory import child_model_name

from . import scoring
from .councils import ExpertCard
from .science_fields import group_of

LOAD_MONTHS = 12  # "recent load": councils sat on in the last twelve months


@dataclass
class Row:
    dossier: Any
    outcome: scoring.Outcome


@dataclass
class Tally:
    present: int
    expected: int
    cast: int
    rows: list[Row]
    winner: Any
    decided_by: str

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.cast >= self.expected


def tally(council: Any) -> Tally:
    model = registry.model_for
    present_ids = set(council.members.filter(present=True).values_list("expert_id", flat=True))
    dossiers = list(
        model("stm.SelectionDossier")
        .objects.filter(notice_id=council.notice_id, state__in=("valid", "selected", "not_selected"))
        .select_related("organisation", "notice")
        .order_by("id")
    )
    ballots: dict[int, list[dict[str, int]]] = {}
    cast = 0
    for dossier_id, expert_id, scores in (
        model("stm.Ballot").objects.filter(council=council).values_list("dossier_id", "expert_id", "scores")
    ):
        if expert_id in present_ids:
            ballots.setdefault(dossier_id, []).append(scores)
            cast += 1
    rows = [
        Row(
            d, scoring.score(d.notice.task_type, ballots.get(d.pk, []), len(present_ids), d.proposed_the_task)
        )
        for d in dossiers
    ]
    expected = len(present_ids) * len(dossiers)
    winner, decided_by = None, "pending"
    if expected and cast >= expected:
        on = timezone.localdate()
        candidates = [
            scoring.Candidate(
                r.dossier.pk,
                r.outcome,
                r.dossier.state_budget,
                r.dossier.organisation.excellent_national_task_on,
            )
            for r in rows
        ]
        ranking = scoring.rank(candidates, on)
        winner, decided_by = ranking.winner, ranking.decided_by
    return Tally(len(present_ids), expected, cast, rows, winner, decided_by)


def _child_model(entity_name: str, field: str) -> Any:
    entity = registry.entity_by_label(f"stm.{entity_name}")
    return registry.classes_for(entity)[child_model_name(entity, entity.field(field))]


def expert_cards(user: Any, field_code: str, today: dt.date) -> list[ExpertCard]:
    """The pool the user may see in the task's field group, with each expert's recent load."""
    since = timezone.now() - relativedelta(months=LOAD_MONTHS)
    member_model = _child_model("Council", "members")
    loads = dict(
        member_model.objects.filter(parent__meeting_at__gte=since)
        .values("expert_id")
        .annotate(n=Count("id"))
        .values_list("expert_id", "n")
    )
    experts = scoped_queryset(user, registry.entity_by_label("stm.Expert")).filter(
        Q(science_field__startswith=group_of(field_code))
    )
    conflicts_model = _child_model("Expert", "conflicts")
    declared: dict[int, list[tuple[str, str]]] = {}
    for parent_id, org, relative in conflicts_model.objects.filter(
        parent__in=experts.values("id")
    ).values_list("parent_id", "organisation", "relative_name"):
        declared.setdefault(parent_id, []).append((org, relative))
    return [
        ExpertCard(
            id=pk,
            name=name,
            field=field,
            organisation=organisation,
            load=loads.get(pk, 0),
            title=title,
            relatives=tuple(r for _, r in declared.get(pk, ()) if r),
            declared=tuple(o for o, _ in declared.get(pk, ()) if o),
        )
        for pk, name, field, organisation, title in experts.values_list(
            "id", "full_name", "science_field", "organisation", "academic_title"
        )
    ]
