"""GraphQL: the advisory council's ranking of a call's proposals (`proposal_ranking`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from . import proposal_ranking

if TYPE_CHECKING:
    from schema.common import FieldError


@strawberry.type(name="StmRankedProposal", description="Một đề xuất đã xếp hạng / A ranked proposal")
class RankedProposal:
    proposal_id: strawberry.ID
    title: str
    rank: Optional[int] = strawberry.field(description="Trống: không đủ điều kiện / Null: not ranked")
    ballots: int
    invalid_ballots: int
    mean: Optional[float]
    reasons: list[str]


@strawberry.type(name="StmProposalRanking", description="Xếp hạng đề xuất / A call's ranking")
class ProposalRanking:
    ok: bool
    errors: list[Annotated[FieldError, strawberry.lazy("schema.common")]]
    proposals: Optional[list[RankedProposal]] = None


def _rows(placed: list[proposal_ranking.Placed]) -> dict[str, Any]:
    return {
        "proposals": [
            RankedProposal(
                proposal_id=strawberry.ID(str(row.key.pk)),
                title=row.key.title,
                rank=row.rank,
                ballots=len(row.outcome.totals),
                invalid_ballots=len(row.outcome.invalid),
                mean=float(row.outcome.mean) if row.outcome.mean is not None else None,
                reasons=row.outcome.reasons,
            )
            for row in placed
        ]
    }


def mutations() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.common import write_outcome
    from schema.context import require_user

    def rank_proposals(info: Info, call: strawberry.ID) -> ProposalRanking:
        user = require_user(info)
        return write_outcome(ProposalRanking, lambda: proposal_ranking.rank_call(user, call), _rows)

    return {
        "stm_rank_proposals": strawberry.mutation(
            resolver=django_resolver(rank_proposals),
            name="stmRankProposals",
            description="Xếp hạng các đề xuất của đợt kêu gọi theo phiếu của hội đồng tư vấn / "
            "Rank a call's proposals from the advisory council's ballots",
        )
    }
