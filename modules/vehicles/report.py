"""The monthly vehicle-use report: per vehicle and per unit, trips, km and hours of the closed
trips that left in the month (local time), as an XLSX workbook (openpyxl).

Km are the odometer readings' difference; hours the planned time range (leave to return).
Read through the user's scope: the Office sees every unit's trips, a unit its own.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from modules.engine import registry
from modules.engine.access import scoped_queryset


@dataclass
class UseRow:
    label: str
    trips: int = 0
    km: int = 0
    hours: float = 0.0


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (
        timezone.make_aware(dt.datetime.combine(first, dt.time())),
        timezone.make_aware(dt.datetime.combine(after, dt.time())),
    )


def compute(user: Any, year: int, month: int) -> tuple[list[UseRow], list[UseRow]]:
    """(per vehicle, per unit), each sorted by label; one query."""
    start, end = month_bounds(year, month)
    entity = registry.entity_by_label("vehicles.VehicleRequest")
    rows = (
        scoped_queryset(user, entity, "view")
        .filter(state="closed", starts_at__gte=start, starts_at__lt=end)
        .values_list(
            "vehicle__plate", "owner_unit__name", "starts_at", "ends_at", "odometer_start", "odometer_end"
        )
    )
    vehicles: dict[str, UseRow] = defaultdict(lambda: UseRow(""))
    units: dict[str, UseRow] = defaultdict(lambda: UseRow(""))
    for plate, unit, starts_at, ends_at, km_start, km_end in rows:
        km = max((km_end or 0) - (km_start or 0), 0)
        hours = (ends_at - starts_at).total_seconds() / 3600
        for table, key in ((vehicles, plate or "—"), (units, unit)):
            row = table[key]
            row.label, row.trips, row.km, row.hours = key, row.trips + 1, row.km + km, row.hours + hours
    return sorted(vehicles.values(), key=lambda r: r.label), sorted(units.values(), key=lambda r: r.label)


def workbook(user: Any, year: int, month: int) -> bytes:
    per_vehicle, per_unit = compute(user, year, month)
    book = Workbook()
    bold = Font(bold=True)
    for index, (title, first, rows) in enumerate(
        (("Theo xe", "Xe / Vehicle", per_vehicle), ("Theo đơn vị", "Đơn vị / Unit", per_unit))
    ):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([f"Báo cáo sử dụng xe tháng {month:02d}/{year} / Vehicle use, {month:02d}/{year}"])
        sheet.append([first, "Số chuyến / Trips", "Số km / Km", "Số giờ / Hours"])
        for cell in (*sheet[1], *sheet[2]):
            cell.font = bold
        for row in rows:
            sheet.append([row.label, row.trips, row.km, round(row.hours, 1)])
        sheet.append(
            [
                "Tổng cộng / Total",
                sum(r.trips for r in rows),
                sum(r.km for r in rows),
                round(sum(r.hours for r in rows), 1),
            ]
        )
        sheet.column_dimensions["A"].width = 36
        for column in "BCD":
            sheet.column_dimensions[column].width = 16
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
