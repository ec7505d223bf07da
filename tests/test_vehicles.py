"""Vehicle requests (issue 16): a unit asks, the Office chief approves, the dispatcher names a
vehicle and a driver, the trip closes with its readings; the monthly XLSX report adds them up.

The report's figures come from the scenario: in December 2026 car 80B-123.45 makes two trips,
08:00–12:00 (12,000 → 12,085 km) for province A and 13:00–17:30 (12,085 → 12,190 km) for the
department: 2 trips, 190 km, 8.5 hours; a trip still open and one of November do not count.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from modules.engine import registry, services
from modules.engine.errors import EngineError, InvalidInput
from tests.conftest import make_user

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def fleet(org: Any) -> dict[str, Any]:
    vehicle = services.create_record(
        registry.entity_by_label("vehicles.Vehicle"), org.admin, {"plate": "80B-123.45", "seats": 7}
    )
    driver = services.create_record(
        registry.entity_by_label("vehicles.Driver"), org.admin, {"full_name": "Nguyễn Văn Tài"}
    )
    chief = make_user("office_chief", org.office, ("unit_head",))
    return {"vehicle": vehicle, "driver": driver, "chief": chief}


def trip(
    org: Any,
    fleet: dict[str, Any],
    requester: Any,
    start: dt.datetime,
    end: dt.datetime,
    km: tuple[int, int] | None,
) -> Any:
    """One trip through every step; closed when `km` (the readings) is given."""
    entity = registry.entity_by_label("vehicles.VehicleRequest")
    row = services.create_record(
        entity,
        requester,
        {
            "purpose": "Kiểm tra",
            "route": "Hà Nội - Hưng Yên",
            "passengers": 3,
            "starts_at": start,
            "ends_at": end,
        },
    )
    row = services.fire_transition(entity, fleet["chief"], row.pk, "approve", row.version)
    values = {"vehicle": fleet["vehicle"].pk, "driver": fleet["driver"].pk}
    row = services.update_record(entity, org.office_clerk, row.pk, values, row.version)
    row = services.fire_transition(entity, org.office_clerk, row.pk, "assign", row.version)
    if km is None:
        return row
    readings = {"odometer_start": km[0], "odometer_end": km[1], "fuel_litres": "9.5"}
    row = services.update_record(entity, org.office_clerk, row.pk, readings, row.version)
    return services.fire_transition(entity, org.office_clerk, row.pk, "close", row.version)


def test_the_steps_and_who_may_take_them(org: Any, fleet: dict[str, Any]) -> None:
    entity = registry.entity_by_label("vehicles.VehicleRequest")
    row = services.create_record(
        entity,
        org.officer_a,
        {
            "purpose": "Công tác",
            "route": "Hà Nội - Hải Phòng",
            "passengers": 2,
            "starts_at": at(3, 7),
            "ends_at": at(3, 18),
        },
    )
    with pytest.raises(EngineError):  # the province's head does not approve cars
        services.fire_transition(entity, org.head_a, row.pk, "approve", row.version)
    with pytest.raises(InvalidInput) as refused:  # nor does the requester pick one
        services.update_record(entity, org.officer_a, row.pk, {"vehicle": fleet["vehicle"].pk}, row.version)
    assert {(p.field, p.code) for p in refused.value.problems} == {("vehicle", "INVALID")}
    row = services.fire_transition(entity, fleet["chief"], row.pk, "approve", row.version)
    with pytest.raises(EngineError):  # no vehicle nor driver yet
        services.fire_transition(entity, org.office_clerk, row.pk, "assign", row.version)
    row = services.update_record(
        entity,
        org.office_clerk,
        row.pk,
        {"vehicle": fleet["vehicle"].pk, "driver": fleet["driver"].pk},
        row.version,
    )
    row = services.fire_transition(entity, org.office_clerk, row.pk, "assign", row.version)
    with pytest.raises(EngineError):  # no readings yet
        services.fire_transition(entity, org.office_clerk, row.pk, "close", row.version)
    with pytest.raises(InvalidInput) as backwards:
        services.update_record(
            entity, org.office_clerk, row.pk, {"odometer_start": 500, "odometer_end": 400}, row.version
        )
    assert {p.field for p in backwards.value.problems} == {"odometer_end"}
    with pytest.raises(InvalidInput) as crowded:  # seven seats
        services.update_record(entity, org.office_clerk, row.pk, {"passengers": 9}, row.version)
    assert {p.field for p in crowded.value.problems} == {"vehicle"}


def test_the_monthly_report_per_vehicle_and_per_unit(org: Any, fleet: dict[str, Any]) -> None:
    trip(org, fleet, org.officer_a, at(10, 8), at(10, 12), (12_000, 12_085))
    trip(org, fleet, org.specialist, at(10, 13), at(10, 17, 30), (12_085, 12_190))
    trip(org, fleet, org.specialist, at(11, 8), at(11, 9), None)  # still assigned: not counted
    trip(org, fleet, org.officer_a, at(20, 8, month=11), at(20, 9, month=11), (11_900, 11_950))  # November

    client = Client()
    client.force_login(org.office_clerk)
    response = client.get("/vehicles/report/2026-12.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    by_vehicle = [list(r) for r in book["Theo xe"].iter_rows(min_row=3, values_only=True)]
    assert by_vehicle == [["80B-123.45", 2, 190, 8.5], ["Tổng cộng / Total", 2, 190, 8.5]]
    by_unit = [list(r) for r in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)]
    assert by_unit == [
        ["Sở KH&CN Hà Nội", 1, 85, 4.0],
        ["Vụ Kế hoạch - Tài chính", 1, 105, 4.5],
        ["Tổng cộng / Total", 2, 190, 8.5],
    ]
    # a province sees its own trips only
    client.force_login(org.officer_b)
    theirs = load_workbook(io.BytesIO(client.get("/vehicles/report/2026-12.xlsx").content))
    assert [list(r) for r in theirs["Theo xe"].iter_rows(min_row=3, values_only=True)] == [
        ["Tổng cộng / Total", 0, 0, 0]
    ]
    assert client.get("/vehicles/report/2026-13.xlsx").status_code == 404
