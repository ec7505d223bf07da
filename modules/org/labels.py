"""Units as a narrow screen names them: the short name when there is one ("Sở KH&CN Hà Nội")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from modules.engine import registry


def short_names(unit_ids: Iterable[Any]) -> dict[Any, str]:
    """Short name, else full name, per unit id (one query)."""
    rows = registry.model_for("org.Unit").objects.filter(pk__in=[i for i in unit_ids if i is not None])
    return {pk: short or name for pk, short, name in rows.values_list("id", "short_name", "name")}
