"""GraphQL `provinces`: the province codes valid on a day, or every code with its dates.

An old record carrying a code of before the 34-province reform (45, 89) is read with
`provinces(includeOld: true)`: each row says from when to when its code meant that name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import strawberry
from strawberry.types import Info

from . import provinces


@strawberry.type(
    name="ProvinceCode", description="Mã tỉnh và thời gian hiệu lực / A province code and its validity"
)
class ProvinceCode:
    code: str
    name: str
    valid_from: Optional[dt.date] = strawberry.field(description="Hiệu lực từ (trống: từ trước) / Valid from")
    valid_to: Optional[dt.date] = strawberry.field(
        description="Hiệu lực đến (trống: còn hiệu lực) / Valid to"
    )
    merged: str = strawberry.field(description="Các tỉnh hợp nhất vào / Provinces merged into it")


def province_queries() -> dict[str, Any]:
    from schema.context import require_user

    def resolve(info: Info, on: Optional[dt.date] = None, include_old: bool = False) -> list[ProvinceCode]:
        require_user(info)
        from modules.engine import workdays

        day = on or workdays.today()
        rows = provinces.PROVINCES if include_old else provinces.valid_codes(day)
        return [
            ProvinceCode(
                code=p.code, name=p.name, valid_from=p.valid_from, valid_to=p.valid_to, merged=p.merged
            )
            for p in sorted(rows, key=lambda p: (p.code, p.valid_from or dt.date.min))
        ]

    return {
        "provinces": strawberry.field(
            resolver=resolve,
            name="provinces",
            description="Mã tỉnh còn hiệu lực vào một ngày, hoặc mọi mã với thời gian hiệu lực / "
            "Province codes valid on a day, or every code with its dates",
        )
    }
