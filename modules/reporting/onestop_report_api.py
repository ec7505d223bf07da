"""GraphQL `onestopReport`: the TT 01/2018 Art. 11 one-stop report (`onestop_report.build`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import strawberry
from strawberry.types import Info

from . import onestop_report


@strawberry.type(
    name="OnestopReportRow",
    description="Số liệu tiếp nhận, giải quyết hồ sơ của một Bộ phận một cửa / One one-stop unit's figures",
)
class RowView:
    unit_id: Optional[strawberry.ID] = strawberry.field(description="Bộ phận một cửa (trống: tổng) / Unit")
    unit: str
    total: int = strawberry.field(description="Tổng số hồ sơ phải giải quyết / Dossiers to handle")
    carried_over: int = strawberry.field(description="Kỳ trước chuyển qua / Carried over")
    received: int = strawberry.field(description="Mới tiếp nhận trong kỳ / Received in the period")
    received_online: int = strawberry.field(description="Tiếp nhận trực tuyến / Received online")
    received_counter: int = strawberry.field(description="Tiếp nhận trực tiếp / At the counter or kiosk")
    received_postal: int = strawberry.field(description="Qua bưu chính công ích / By public post")
    resolved: int = strawberry.field(description="Đã giải quyết / Resolved")
    resolved_on_time: int = strawberry.field(description="Giải quyết trước hạn, đúng hạn / On time")
    resolved_late: int = strawberry.field(description="Giải quyết quá hạn / Late")
    pending: int = strawberry.field(description="Đang giải quyết / Still open")
    pending_in_time: int = strawberry.field(description="Đang giải quyết trong hạn / Open, in time")
    pending_overdue: int = strawberry.field(description="Đang giải quyết quá hạn / Open, overdue")
    waiting_supplement: int = strawberry.field(description="Chờ bổ sung / Waiting for a supplement")
    refused: int = strawberry.field(description="Từ chối tiếp nhận / Refused at intake")
    withdrawn: int = strawberry.field(description="Rút hồ sơ / Withdrawn")
    on_time_rate: Optional[float] = strawberry.field(description="Tỷ lệ đúng hạn (%) / On-time rate (%)")


@strawberry.type(
    name="OnestopReport",
    description="Báo cáo một cửa (TT 01/2018 Điều 11) từ hồ sơ / The one-stop report from the dossiers",
)
class ReportView:
    date_from: dt.date
    date_to: dt.date
    procedures_published: int = strawberry.field(
        description="Số thủ tục đang áp dụng (danh mục công bố) / Procedures in the published list"
    )
    units: list[RowView]
    total: RowView


def _row(row: onestop_report.Row) -> RowView:
    values = {name: getattr(row, name) for name in onestop_report.COUNTS}
    unit_id = strawberry.ID(str(row.unit_id)) if row.unit_id else None
    return RowView(unit_id=unit_id, unit=row.unit, on_time_rate=row.on_time_rate, **values)


def queries() -> dict[str, Any]:
    from strawberry_django.resolvers import django_resolver

    from schema.context import BadUserInput, require_user

    def onestop_report_field(info: Info, date_from: dt.date, date_to: dt.date) -> ReportView:
        user = require_user(info)
        if date_to < date_from:
            raise BadUserInput("dateTo", "Ngày cuối trước ngày đầu. / The end is before the start.")
        found = onestop_report.build(user, date_from, date_to)
        return ReportView(
            date_from=found.start,
            date_to=found.end,
            procedures_published=found.procedures_published,
            units=[_row(r) for r in found.units],
            total=_row(found.total),
        )

    return {
        "onestop_report": strawberry.field(
            resolver=django_resolver(onestop_report_field),
            name="onestopReport",
            description="Báo cáo một cửa theo TT 01/2018 Điều 11, theo kỳ và Bộ phận một cửa / "
            "The TT 01/2018 Art. 11 one-stop report, per period and one-stop unit",
        )
    }
