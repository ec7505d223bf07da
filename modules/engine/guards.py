"""Workflow guards several modules share (a `Transition.guards` entry: (instance, user) -> refusal)."""

from __future__ import annotations

from typing import Any

from .access import directory

ONLY_OFFICE = (
    "Chỉ đơn vị xem được mọi đơn vị (Văn phòng Bộ) mới thực hiện được bước này. / "
    "Only a unit that sees every unit (the Ministry Office) may do this."
)


def only_units_seeing_all(instance: Any, user: Any) -> str | None:
    """Approvals and dispatching belong to the Office: a unit flagged `sees_all_units` (or an
    administrator), not to the unit that asked."""
    if user.is_superuser or directory().visible_unit_ids(user) is None:
        return None
    return ONLY_OFFICE
