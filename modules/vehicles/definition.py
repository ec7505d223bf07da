"""Official vehicles: a unit asks for a car, the Office chief approves, the dispatcher names a
vehicle and a driver, the trip closes with its odometer readings and fuel (issue 16).

Neither a vehicle nor a driver is ever double-booked: two `NoOverlap` rules
(engine/timeranges.py: an exclusion constraint each on PostgreSQL, a serialised check on
every write path), counted from approval on.
"""

import datetime as dt

from modules.engine.approvals import CANCELLED, REFUSED, approval_steps
from modules.engine.definitions import (
    Boolean,
    DateTime,
    Decimal,
    Entity,
    Hooks,
    Integer,
    Link,
    LongText,
    Module,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.engine.guards import only_units_seeing_all
from modules.engine.timeranges import NoOverlap
from modules.org.roles import (
    ALL_ROLES,
    MINISTRY_LEADER,
    PLATFORM_ADMIN,
    PROVINCIAL_OFFICER,
    SECRETARY,
    SPECIALIST,
    UNIT_HEAD,
)

from . import api, events, hooks

REQUESTERS = (MINISTRY_LEADER, UNIT_HEAD, SPECIALIST, PROVINCIAL_OFFICER, SECRETARY, PLATFORM_ADMIN)
OFFICE_CHIEF = (UNIT_HEAD, MINISTRY_LEADER, PLATFORM_ADMIN)  # of the Office (the guard)
DISPATCHERS = (SPECIALIST, UNIT_HEAD, PLATFORM_ADMIN)  # of the Office (the guard)
HOLDING = ("approved", "assigned", "closed")  # a closed trip stays on the vehicle's record
LONGEST_TRIP = dt.timedelta(days=14)

Vehicle = Entity(
    name="Vehicle",
    label_vi="Xe",
    label_en="Vehicle",
    plural_vi="Xe công vụ",
    plural_en="Vehicles",
    title_field="plate",
    unit_scoped=False,
    fields=(
        Text("plate", "Biển số", "Plate", required=True, unique=True, max_length=20, searchable=True),
        Text("vehicle_type", "Loại xe", "Vehicle type", max_length=120),
        Integer("seats", "Số chỗ", "Seats", required=True),
        Boolean("is_active", "Đang sử dụng", "In use", default=True, filterable=True),
    ),
    search_fields=("plate", "vehicle_type"),
    list_display=("plate", "vehicle_type", "seats", "is_active"),
    ordering=("plate",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
)

Driver = Entity(
    name="Driver",
    label_vi="Lái xe",
    label_en="Driver",
    plural_vi="Lái xe",
    plural_en="Drivers",
    title_field="full_name",
    unit_scoped=False,
    fields=(
        Text("full_name", "Họ và tên", "Full name", required=True, searchable=True),
        Text("phone", "Điện thoại", "Phone", max_length=20),
        Boolean("is_active", "Đang làm việc", "On duty", default=True, filterable=True),
    ),
    search_fields=("full_name", "phone"),
    list_display=("full_name", "phone", "is_active"),
    ordering=("full_name",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
)

TRIP_STEPS = approval_steps(
    pending="requested",
    approved="approved",
    approvers=OFFICE_CHIEF,
    cancellers=REQUESTERS,
    cancel_from=("requested", "approved", "assigned"),
)
TRIP_WORKFLOW = Workflow(
    states=(
        State(code="requested", label_vi="Chờ duyệt", label_en="Requested"),
        State(code="approved", label_vi="Đã duyệt, chờ điều xe", label_en="Approved"),
        State(code="assigned", label_vi="Đã điều xe", label_en="Vehicle assigned"),
        State(code="closed", label_vi="Đã hoàn thành chuyến", label_en="Closed", final=True),
        REFUSED,
        CANCELLED,
    ),
    initial="requested",
    transitions=(
        TRIP_STEPS.approve,
        TRIP_STEPS.refuse,
        Transition(
            name="assign",
            label_vi="Điều xe",
            label_en="Assign",
            source=("approved",),
            target="assigned",
            roles=DISPATCHERS,
            guards=(only_units_seeing_all, hooks.dispatched),
        ),
        Transition(
            name="close",
            label_vi="Kết thúc chuyến",
            label_en="Close the trip",
            source=("assigned",),
            target="closed",
            roles=DISPATCHERS,
            guards=(only_units_seeing_all, hooks.readings_taken),
        ),
        TRIP_STEPS.cancel,
    ),
)

VehicleRequest = Entity(
    name="VehicleRequest",
    label_vi="Đăng ký xe",
    label_en="Vehicle request",
    plural_vi="Đăng ký sử dụng xe",
    plural_en="Vehicle requests",
    title_field="purpose",
    numbering="DX-{yyyy}-{seq:05}",
    workflow=TRIP_WORKFLOW,
    no_overlap=(
        NoOverlap(per="vehicle", states=HOLDING, longest=LONGEST_TRIP),
        NoOverlap(per="driver", states=HOLDING, longest=LONGEST_TRIP),
    ),
    fields=(
        Text("purpose", "Mục đích chuyến đi", "Purpose", required=True, searchable=True),
        Text("route", "Lộ trình", "Route", required=True, max_length=500),
        Integer("passengers", "Số người đi", "Passengers", default=1),
        DateTime("starts_at", "Đi lúc", "Leaves at", required=True, filterable=True),
        DateTime("ends_at", "Về lúc", "Returns at", required=True),
        Link("vehicle", "Xe", "Vehicle", target="vehicles.Vehicle", filterable=True),
        Link("driver", "Lái xe", "Driver", target="vehicles.Driver", filterable=True),
        Integer("odometer_start", "Số km lúc đi", "Odometer at departure"),
        Integer("odometer_end", "Số km lúc về", "Odometer at return"),
        Decimal("fuel_litres", "Nhiên liệu (lít)", "Fuel (litres)", max_digits=8, decimal_places=2),
        LongText("note", "Ghi chú", "Note"),
    ),
    search_fields=("number", "purpose", "route"),
    list_display=("number", "purpose", "owner_unit", "starts_at", "vehicle", "driver", "state"),
    list_filter=("state", "vehicle", "driver", "owner_unit"),
    ordering=("-starts_at", "-id"),
    permissions={role: ("view", "add", "change") for role in REQUESTERS}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(
        validate=hooks.validate_trip,
        before_save=events.remember,
        after_save=events.announce,
        graphql_subscriptions=api.vehicle_subscriptions,
    ),
)

MODULE = Module(
    label="vehicles",
    name_vi="Xe công vụ",
    name_en="Official vehicles",
    icon="directions_car",
    order=41,
    entities=(Vehicle, Driver, VehicleRequest),
)
