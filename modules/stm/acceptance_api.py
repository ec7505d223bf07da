"""GraphQL addition of part 2: the six experts proposed for an acceptance council.

The council's other three members come from the ministry, the users and the ordering body
(domain.md §7 "Acceptance"), so only six seats are drawn from the expert database: the same
pool, field matching, load balancing and conflict exclusion as a selection council (part 1's
`councils.propose`), judged against the contract's host, investigator, team and partners. Reads
through `scoped_queryset`: a dossier the caller may not change is "not found".
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from modules.engine import registry, workdays
from modules.engine.access import scoped_queryset
from modules.engine.errors import NotFound

from . import councils, results
from .acceptance_hooks import parties_of
from .acceptance_rules import FROM_EXPERT_DATABASE
from .api import ExcludedExpert, ProposedSeat, proposal_rows


@strawberry.type(
    name="StmAcceptanceProposal",
    description="Đề xuất 6 chuyên gia cho hội đồng nghiệm thu / "
    "Six experts proposed for an acceptance council",
)
class AcceptanceProposal:
    seats: list[ProposedSeat]
    excluded: list[ExcludedExpert]
    short_by: int = strawberry.field(description="Còn thiếu để đủ 6 / Experts missing to reach 6")


def propose(user: Any, dossier_id: Any) -> AcceptanceProposal:
    if not str(dossier_id).isdigit():
        raise NotFound("Không tìm thấy hồ sơ nghiệm thu. / Acceptance dossier not found.")
    dossier = (
        scoped_queryset(user, registry.entity_by_label("stm.AcceptanceDossier"), "change")
        .filter(pk=dossier_id)
        .select_related("contract")
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ nghiệm thu. / Acceptance dossier not found.")
    field = dossier.contract.science_field or ""
    if field:
        cards = results.expert_cards(user, field, workdays.today())
        proposal = councils.propose(cards, field, parties_of(dossier))
    else:  # a backfilled task with no field: nothing to match on
        cards, proposal = [], councils.Proposal(seats=[])
    chosen = proposal.seats[:FROM_EXPERT_DATABASE]
    seats, excluded = proposal_rows(chosen, proposal.excluded, cards)
    return AcceptanceProposal(
        seats=seats,
        excluded=excluded,
        short_by=max(0, FROM_EXPERT_DATABASE - len(chosen)),
    )


def queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def acceptance_proposal(info: Info, dossier: strawberry.ID) -> AcceptanceProposal:
        return propose(require_user(info), dossier)

    return {
        "stm_acceptance_proposal": strawberry.field(
            resolver=django_resolver(acceptance_proposal),
            name="stmAcceptanceProposal",
            description="Đề xuất 6 thành viên từ cơ sở dữ liệu chuyên gia, loại xung đột lợi ích / "
            "Six members proposed from the expert database, conflicts excluded",
        )
    }
