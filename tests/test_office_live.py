"""The office's live subscriptions against a real Daphne over a real WebSocket (issue 16):
`weekSchedule` (one week's items added, changed, cancelled, to that week's subscribers only,
scoped) and `vehicleAssignments` (a vehicle's or a driver's day, scoped). The attacks: another
province's officer asking for an unshared week is refused and hears nothing of it; another
province's officer listening to the same car's day hears nothing of a trip not theirs."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from modules.engine import registry, services
from modules.engine.models import ApiToken
from tests.live_server import collect_events, daphne_server, post_graphql, wait_until_listening

pytestmark = pytest.mark.django_db(transaction=True)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2026, 12, 7)

WEEK = """subscription($week: ID!) { weekSchedule(week: $week) {
  action itemId weekId startsAt endsAt title place isChanged changeReason cancelled } }"""
ASSIGNMENTS = """subscription($day: Date!, $vehicle: ID, $driver: ID) {
  vehicleAssignments(day: $day, vehicle: $vehicle, driver: $driver) {
    id number state purpose vehicleId driverId startsAt endsAt } }"""
CREATE_ITEM = """mutation($input: ScheduleItemCreateInput!) { createScheduleItem(input: $input) {
  ok errors { field code message } node { id version } } }"""
UPDATE_ITEM = """mutation($input: ScheduleItemUpdateInput!) { updateScheduleItem(input: $input) {
  ok errors { field code message } node { id version } } }"""
UPDATE_TRIP = """mutation($input: VehicleRequestUpdateInput!) { updateVehicleRequest(input: $input) {
  ok errors { field code message } node { id version } } }"""
ASSIGN_TRIP = """mutation($id: ID!, $v: Int!) { vehicleRequestAssign(id: $id, version: $v) {
  ok errors { field code message } node { id version state } } }"""


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, tzinfo=HCM)


async def until(predicate: Any, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.1)):
        if predicate():
            return
        await asyncio.sleep(0.1)


async def refused_subscription(base: str, token: str, document: str, variables: dict) -> list[dict]:
    """Subscribe expecting a refusal; return the errors the server answered with."""
    from gql import Client, gql
    from gql.transport.exceptions import TransportQueryError
    from gql.transport.websockets import WebsocketsTransport

    transport = WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql/",
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=["graphql-transport-ws"],
        connect_timeout=20,
        ack_timeout=20,
    )
    async with Client(transport=transport) as session:
        try:
            async for event in session.subscribe(gql(document), variable_values=variables):
                return [{"unexpected": event}]
        except TransportQueryError as exc:
            return list(exc.errors or [{"message": str(exc)}])
    return []


async def call(base: str, token: str, query: str, variables: dict) -> dict:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, post_graphql, base, token, query, variables)


def ok(answer: dict, field: str) -> dict:
    payload = answer["data"][field]
    assert payload["ok"], answer
    return payload["node"]


def test_a_weeks_items_reach_that_weeks_subscribers_only_and_never_another_province(org: Any) -> None:
    week_entity = registry.entity_by_label("schedule.WeekSchedule")
    week_a = services.create_record(week_entity, org.head_a, {"kind": "unit", "week_start": MONDAY})
    next_a = services.create_record(
        week_entity, org.head_a, {"kind": "unit", "week_start": MONDAY + dt.timedelta(days=7)}
    )
    _, token_head_a = ApiToken.issue(org.head_a, "head a")
    _, token_officer_a = ApiToken.issue(org.officer_a, "officer a")
    _, token_b = ApiToken.issue(org.officer_b, "officer b")
    with daphne_server() as base:

        async def scenario() -> tuple[list, list, list]:
            this_week: list = []
            other_week: list = []
            ready, ready_other = asyncio.Event(), asyncio.Event()
            listeners = [
                asyncio.create_task(
                    collect_events(
                        base, token_head_a, WEEK, {"week": str(week_a.pk)}, "weekSchedule", this_week, ready
                    )
                ),
                asyncio.create_task(
                    collect_events(
                        base,
                        token_officer_a,
                        WEEK,
                        {"week": str(next_a.pk)},
                        "weekSchedule",
                        other_week,
                        ready_other,
                    )
                ),
            ]
            await asyncio.wait_for(asyncio.gather(ready.wait(), ready_other.wait()), 30)
            # the attack: province B's officer asks for A's draft week
            refused = await refused_subscription(base, token_b, WEEK, {"week": str(week_a.pk)})
            await wait_until_listening(f"schedule.week.{week_a.pk}")
            values = {"week": str(week_a.pk), "title": "Họp giao ban Sở", "place": "Phòng 2"}
            values |= {"startsAt": at(8, 8).isoformat(), "endsAt": at(8, 10).isoformat()}
            node = ok(await call(base, token_head_a, CREATE_ITEM, {"input": values}), "createScheduleItem")
            moved = {"id": node["id"], "version": node["version"], "startsAt": at(9, 8).isoformat()}
            moved["endsAt"] = at(9, 9).isoformat()
            node = ok(await call(base, token_head_a, UPDATE_ITEM, {"input": moved}), "updateScheduleItem")
            cancel = {"id": node["id"], "version": node["version"], "cancelled": True}
            ok(await call(base, token_head_a, UPDATE_ITEM, {"input": cancel}), "updateScheduleItem")
            await until(lambda: len(this_week) == 3)
            await asyncio.sleep(1)  # give a wrong delivery the time to show up
            for listener in listeners:
                listener.cancel()
            return this_week, other_week, refused

        this_week, other_week, refused = asyncio.run(scenario())
    assert [(e["action"], dt.datetime.fromisoformat(e["startsAt"]), e["cancelled"]) for e in this_week] == [
        ("ADDED", at(8, 8), False),
        ("CHANGED", at(9, 8), False),
        ("CANCELLED", at(9, 8), True),
    ]
    assert this_week[2]["startsAt"].endswith("+07:00")  # told in Asia/Ho_Chi_Minh
    assert {e["weekId"] for e in this_week} == {str(week_a.pk)} and this_week[0]["place"] == "Phòng 2"
    assert other_week == []  # the unit's next week: nothing
    assert [e.get("extensions", {}).get("code") for e in refused] == ["NOT_FOUND"]


def test_a_vehicles_and_a_drivers_day_are_live_and_scoped(org: Any) -> None:
    vehicle = services.create_record(
        registry.entity_by_label("vehicles.Vehicle"), org.admin, {"plate": "80B-123.45", "seats": 7}
    )
    driver = services.create_record(
        registry.entity_by_label("vehicles.Driver"), org.admin, {"full_name": "Nguyễn Văn Tài"}
    )
    trip_entity = registry.entity_by_label("vehicles.VehicleRequest")
    trip = services.create_record(
        trip_entity,
        org.officer_a,
        {"purpose": "Kiểm tra cơ sở", "route": "Hà Nội - Bắc Ninh", "starts_at": at(8, 7), "ends_at": at(8, 17)},
    )
    trip = services.fire_transition(trip_entity, org.admin, trip.pk, "approve", trip.version)
    _, token_office = ApiToken.issue(org.office_clerk, "dispatcher")
    _, token_a = ApiToken.issue(org.officer_a, "officer a")
    _, token_b = ApiToken.issue(org.officer_b, "officer b")
    day, next_day = "2026-12-08", "2026-12-09"
    with daphne_server() as base:

        async def scenario() -> dict[str, list]:
            seen: dict[str, list] = {"office": [], "driver_a": [], "spy_b": [], "next_day": []}
            subscribers = [
                ("office", token_office, {"day": day, "vehicle": str(vehicle.pk)}),
                ("driver_a", token_a, {"day": day, "driver": str(driver.pk)}),
                ("spy_b", token_b, {"day": day, "vehicle": str(vehicle.pk)}),  # B listens to the car
                ("next_day", token_office, {"day": next_day, "vehicle": str(vehicle.pk)}),
            ]
            readies, listeners = [], []
            for name, token, variables in subscribers:
                ready = asyncio.Event()
                readies.append(ready.wait())
                listeners.append(
                    asyncio.create_task(
                        collect_events(base, token, ASSIGNMENTS, variables, "vehicleAssignments", seen[name], ready)
                    )
                )
            await asyncio.wait_for(asyncio.gather(*readies), 30)
            await wait_until_listening("vehicles.assignments")
            given = {"id": str(trip.pk), "version": trip.version, "vehicle": str(vehicle.pk)}
            given["driver"] = str(driver.pk)
            node = ok(await call(base, token_office, UPDATE_TRIP, {"input": given}), "updateVehicleRequest")
            ok(await call(base, token_office, ASSIGN_TRIP, {"id": node["id"], "v": node["version"]}), "vehicleRequestAssign")
            await until(lambda: len(seen["office"]) == 2 and len(seen["driver_a"]) == 2)
            await asyncio.sleep(1)
            for listener in listeners:
                listener.cancel()
            return seen

        seen = asyncio.run(scenario())
    expected = [(trip.number, "APPROVED", str(vehicle.pk), str(driver.pk))]
    expected.append((trip.number, "ASSIGNED", str(vehicle.pk), str(driver.pk)))
    for name in ("office", "driver_a"):
        assert [(e["number"], e["state"], e["vehicleId"], e["driverId"]) for e in seen[name]] == expected
    assert seen["office"][0]["purpose"] == "Kiểm tra cơ sở"
    assert seen["spy_b"] == []  # another province's trip never reaches B
    assert seen["next_day"] == []  # the car's next day did not change
