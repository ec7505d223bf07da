"""Bulk rows of the sample module for query-count tests (many rows, fast, no engine writes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from modules.engine import registry


def fill_projects_up_to(org: Any, total: int) -> None:
    """Top the officer's province up to `total` projects, each with a milestone and a partner unit."""
    model = registry.model_for("sample.SampleProject")
    child = registry.classes_for(registry.entity_by_label("sample.SampleProject"))["SampleProjectMilestones"]
    existing = model.objects.count()
    rows = model.objects.bulk_create(
        [
            model(
                title=f"R{i}",
                priority="normal",
                owner_unit=org.province_a,
                lead_unit=org.department if i % 2 else None,
                created_by=org.officer_a,
                number=f"X-{i}",
                budget=Decimal(i) if i % 3 else None,
            )
            for i in range(existing, total)
        ]
    )
    child.objects.bulk_create([child(parent=row, name=f"m{row.pk}") for row in rows])
    for row in rows:
        row.partner_units.set([org.province_b])
