"""GraphQL `stmKpis`: the S&T KPIs per unit and year (`kpis.compute`), scoped to the reader."""

from __future__ import annotations

from typing import Any, Optional

import strawberry
from strawberry.types import Info

from modules.engine.errors import FieldProblem, InvalidInput

from . import kpis


@strawberry.type(
    name="StmKpiRow", description="Chỉ số nhiệm vụ KH&CN của một đơn vị trong một năm / S&T KPIs"
)
class KpiRowType:
    unit_id: strawberry.ID
    unit: str
    year: int
    tasks: int = strawberry.field(description="Nhiệm vụ bắt đầu trong năm / Tasks started in the year")
    active: int
    in_acceptance: int
    completed: int
    failed: int
    terminated: int
    acceptance_due: int = strawberry.field(
        description="Hồ sơ nghiệm thu đã đến hạn hoặc đã nộp / Dossiers due or filed"
    )
    acceptance_on_time: int
    acceptance_unknown: int = strawberry.field(
        description="Nhiệm vụ hồi tố: không rõ ngày nộp / Backfilled: date unknown"
    )
    on_time_rate: Optional[float]
    excellent: int
    passed: int
    not_passed: int
    state_budget: float = strawberry.field(description="Đồng / VND")
    other_budget: float
    disbursed: float


def _row(r: kpis.KpiRow) -> KpiRowType:
    data = {name: getattr(r, name) for name in kpis.KpiRow.__dataclass_fields__}
    data["unit_id"] = strawberry.ID(str(r.unit_id))
    return KpiRowType(on_time_rate=r.on_time_rate, **data)


def kpi_queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import require_user

    def stm_kpis(
        info: Info, year: Optional[int] = None, unit: Optional[strawberry.ID] = None
    ) -> list[KpiRowType]:
        user = require_user(info)
        if unit is not None and not str(unit).isdigit():
            raise InvalidInput(
                [FieldProblem("unit", "INVALID", "Mã đơn vị không hợp lệ. / Invalid unit id.")]
            )
        return [_row(r) for r in kpis.compute(user, year=year, unit_id=unit)]

    return {
        "stm_kpis": strawberry.field(
            resolver=django_resolver(stm_kpis),
            name="stmKpis",
            description="Chỉ số nhiệm vụ KH&CN theo đơn vị và năm / S&T task KPIs per unit and year",
        )
    }
