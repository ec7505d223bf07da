"""The advisory council's ranking of task proposals (issue 18: "An advisory council ranks them;
the approved ones become the list of tasks ordered").

TT 06/2023, which governs task identification, was not extracted (domain.md §7, §8), so the
council ranks proposals by the one scoring rule the issue and §7.5-7.6 give:

- each member scores a proposal on the 100-point grid of its task type (§7.6's table), one
  ballot per member (`TaskProposal.assessments`); a ballot more than 20 % from the mean of the
  proposal's ballots is invalid and the mean is taken over the valid ones;
- a proposal is ranked only with a mean of at least 70 and no criterion scored zero by more
  than a quarter of the members who scored it; the others get no rank, with their reasons;
- ranked proposals go by mean, highest first; ties break on the lower estimated budget, then
  an "Xuất sắc" national task of the proposing organisation in the last five years, then the
  higher content score (`scoring.tie_keys`); proposals equal on every key share a rank
  (1, 1, 3), since the rule gives nothing further to part them;
- no +10 % bonus: it rewards the organisation that proposed a task when it competes for it in
  the selection (§7.6); here every candidate is its own proposer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from modules.engine import registry, services, workdays
from modules.engine.access import has_role_permission, scoped_queryset
from modules.engine.errors import NotFound

from . import scoring

RANKED_STATES = ("submitted", "approved", "rejected")  # proposals received by the call


def validate_assessments(
    proposal: Any, user: Any, field: str, rows: list[dict[str, Any]]
) -> dict[str, list[str]]:
    """One ballot per member, each complete on the grid of the proposal's task type."""
    if field != "assessments" or not rows:
        return {}
    if not has_role_permission(user, registry.entity_by_label("stm.TaskProposal"), "change"):
        return {
            "assessments": [
                "Chỉ cơ quan quản lý ghi phiếu của hội đồng. / Only the managing unit records ballots."
            ]
        }
    if proposal.state != "submitted":
        return {"assessments": ["Chỉ chấm đề xuất đã gửi. / Only a submitted proposal is scored."]}
    problems: dict[str, list[str]] = {}
    seen: set[int] = set()
    grid = proposal.task_type in scoring.GRIDS
    for index, row in enumerate(rows):
        expert = row.get("expert")
        if expert is not None and expert.pk in seen:
            problems[f"assessments.{index}.expert"] = ["Thành viên đã chấm đề xuất này. / Already scored."]
        if expert is not None:
            seen.add(expert.pk)
        scores = row.get("scores")
        if not isinstance(scores, dict):
            problems[f"assessments.{index}.scores"] = [
                "Điểm theo tiêu chí là một bảng tiêu chí: điểm. / Scores are a criterion: points table."
            ]
        elif grid:
            found = scoring.ballot_problems(proposal.task_type, scores)
            if found:
                problems[f"assessments.{index}.scores"] = [f"{code}: {text}" for code, text in found.items()]
    return problems


@dataclass(frozen=True)
class Placed:
    key: Any  # the proposal (or its id)
    rank: int | None  # None: not ranked (see outcome.reasons)
    outcome: scoring.Outcome


def place(candidates: Sequence[scoring.Candidate], on: dt.date) -> list[Placed]:
    """Every candidate with its rank: the qualifying ones in the rule's order, equal ones sharing
    a rank; then the others, unranked, in the order given."""
    keys = scoring.tie_keys(on)

    def key(candidate: scoring.Candidate) -> tuple:
        return tuple(k(candidate) for _, k in keys)

    ranked = sorted((c for c in candidates if c.outcome.qualifies), key=key)
    placed: list[Placed] = []
    for position, candidate in enumerate(ranked, start=1):
        tied = bool(placed) and key(candidate) == key(ranked[position - 2])
        rank = placed[-1].rank if tied else position
        placed.append(Placed(candidate.key, rank, candidate.outcome))
    placed += [Placed(c.key, None, c.outcome) for c in candidates if not c.outcome.qualifies]
    return placed


def candidate(proposal: Any, on: dt.date | None = None) -> scoring.Candidate:
    """A proposal's ballots counted: the members who scored it are the members present."""
    ballots = [row.scores for row in proposal.assessments.all()]
    outcome = scoring.score(proposal.task_type, ballots, len(ballots), proposer=False)
    return scoring.Candidate(
        proposal,
        outcome,
        int(proposal.estimated_budget or 0),
        proposal.organisation.excellent_national_task_on,
    )


def rank_call(user: Any, call_id: Any) -> list[Placed]:
    """Rank the call's proposals and store each one's rank (None when it does not qualify),
    through the write path (version, history "ranking", live event)."""
    call_entity = registry.entity_by_label("stm.ProposalCall")
    entity = registry.entity_by_label("stm.TaskProposal")
    if (
        not str(call_id).isdigit()
        or not scoped_queryset(user, call_entity, "change").filter(pk=call_id).exists()
    ):
        raise NotFound("Không tìm thấy đợt kêu gọi. / Call not found.")
    on = workdays.today()
    with transaction.atomic():
        proposals = list(
            scoped_queryset(user, entity, "change")
            .select_for_update()
            .filter(call_id=call_id, state__in=RANKED_STATES)
            .order_by("id")
        )
        placed = place([candidate(p, on) for p in proposals], on)
        for row in placed:
            proposal = row.key
            if proposal.rank != row.rank:
                proposal.rank = row.rank
                services.save_record(
                    entity, user, proposal, created=False, expected_version=proposal.version, reason="ranking"
                )
    return placed
