"""The request-approval steps several modules share: the Office approves or refuses a request
(refusing needs its reason), and whoever asked may cancel it while it is not yet final.

A module declares its own states and any further steps (a dispatcher assigning a vehicle) and
takes these three from here, so a room booking and a vehicle request say "approve", "refuse"
and "cancel" the same way: one label, one guard, one comment rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from .definitions import Guard, State, Transition
from .guards import only_units_seeing_all

REFUSED = State(code="refused", label_vi="Không duyệt", label_en="Refused", final=True)
CANCELLED = State(code="cancelled", label_vi="Đã huỷ", label_en="Cancelled", final=True)


@dataclass(frozen=True)
class ApprovalSteps:
    approve: Transition
    refuse: Transition
    cancel: Transition


def approval_steps(
    *,
    pending: str,
    approved: str,
    approvers: tuple[str, ...],
    cancellers: tuple[str, ...],
    cancel_from: tuple[str, ...],
    cancel_label_vi: str = "Huỷ",
    guards: tuple[Guard, ...] = (only_units_seeing_all,),
) -> ApprovalSteps:
    """`pending` → `approved` ("Duyệt") or → `refused` ("Không duyệt", with a reason) by the
    `approvers` under `guards` (the Office by default); `cancel_from` → `cancelled` by the
    `cancellers`. The module puts them (and `REFUSED`, `CANCELLED`) in its `Workflow`."""
    return ApprovalSteps(
        approve=Transition(
            name="approve",
            label_vi="Duyệt",
            label_en="Approve",
            source=(pending,),
            target=approved,
            roles=approvers,
            guards=guards,
        ),
        refuse=Transition(
            name="refuse",
            label_vi="Không duyệt",
            label_en="Refuse",
            source=(pending,),
            target=REFUSED.code,
            roles=approvers,
            guards=guards,
            needs_comment=True,
        ),
        cancel=Transition(
            name="cancel",
            label_vi=cancel_label_vi,
            label_en="Cancel",
            source=cancel_from,
            target=CANCELLED.code,
            roles=cancellers,
        ),
    )
