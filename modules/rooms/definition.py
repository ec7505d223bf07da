"""Meeting rooms and their bookings (issue 16).

Two bookings of one room never overlap (`NoOverlap`, engine/timeranges.py: an exclusion
constraint on PostgreSQL, a serialised check on every write path); a series is an RFC 5545
RRULE expanded without the days off (engine/recurrence.py). A booking belongs to the booker's
unit: other units see the room busy (`roomAvailability`), never the purpose or participants.
"""

import datetime as dt

from modules.engine.approvals import CANCELLED, REFUSED, approval_steps
from modules.engine.definitions import (
    USER,
    Boolean,
    Date,
    DateTime,
    Entity,
    Hooks,
    Integer,
    Link,
    LongText,
    Module,
    MultiLink,
    Page,
    State,
    Text,
    Workflow,
)
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

BOOKERS = (MINISTRY_LEADER, UNIT_HEAD, SPECIALIST, PROVINCIAL_OFFICER, SECRETARY, PLATFORM_ADMIN)
APPROVERS = (UNIT_HEAD, SPECIALIST, MINISTRY_LEADER, PLATFORM_ADMIN)  # of the Office (the guard)
HOLDING = ("pending", "confirmed")  # a pending request holds the room until it is decided

Room = Entity(
    name="Room",
    label_vi="Phòng họp",
    label_en="Meeting room",
    plural_vi="Phòng họp",
    plural_en="Rooms",
    title_field="name",
    unit_scoped=False,  # every unit books the Ministry's rooms
    fields=(
        Text("code", "Mã phòng", "Code", required=True, unique=True, max_length=20),
        Text("name", "Tên phòng", "Name", required=True, searchable=True),
        Text("location", "Vị trí", "Location"),
        Integer("capacity", "Sức chứa (người)", "Capacity (people)", required=True, filterable=True),
        Boolean("has_projector", "Máy chiếu, màn hình", "Projector or screen", filterable=True),
        Boolean("has_video", "Thiết bị họp trực tuyến", "Video conferencing", filterable=True),
        Boolean("has_sound", "Âm thanh, micro", "Sound system", filterable=True),
        Boolean(
            "needs_approval",
            "Cần Văn phòng duyệt",
            "Needs the Office's approval",
            help_vi="Bỏ chọn thì lịch đặt được xác nhận ngay.",
            help_en="Unticked, a booking is confirmed at once.",
        ),
        Boolean("is_active", "Đang sử dụng", "In use", default=True, filterable=True),
    ),
    search_fields=("code", "name", "location"),
    list_display=("code", "name", "capacity", "needs_approval", "is_active"),
    list_filter=("needs_approval", "is_active"),
    ordering=("code",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
)

BOOKING_STEPS = approval_steps(
    pending="pending",
    approved="confirmed",
    approvers=APPROVERS,
    cancellers=BOOKERS,
    cancel_from=HOLDING,
    cancel_label_vi="Huỷ lịch",
)
BOOKING_WORKFLOW = Workflow(
    states=(
        State(code="pending", label_vi="Chờ duyệt", label_en="Pending"),
        State(code="confirmed", label_vi="Đã xác nhận", label_en="Confirmed"),
        REFUSED,
        CANCELLED,
    ),
    initial="pending",
    transitions=(BOOKING_STEPS.approve, BOOKING_STEPS.refuse, BOOKING_STEPS.cancel),
)

RoomBooking = Entity(
    name="RoomBooking",
    label_vi="Lịch đặt phòng họp",
    label_en="Room booking",
    plural_vi="Lịch đặt phòng họp",
    plural_en="Room bookings",
    title_field="title",
    numbering="PH-{yyyy}-{seq:05}",
    workflow=BOOKING_WORKFLOW,
    no_overlap=(NoOverlap(per="room", states=HOLDING, longest=dt.timedelta(hours=24)),),
    fields=(
        Link("room", "Phòng họp", "Meeting room", target="rooms.Room", required=True, filterable=True),
        Text("title", "Nội dung cuộc họp", "Purpose", required=True, searchable=True),
        DateTime("starts_at", "Bắt đầu", "Starts at", required=True, filterable=True),
        DateTime("ends_at", "Kết thúc", "Ends at", required=True),
        Integer("attendees", "Số người dự", "Attendees", default=1),
        LongText("equipment", "Thiết bị cần chuẩn bị", "Equipment needed"),
        Text("online_link", "Đường dẫn họp trực tuyến", "Online meeting link", max_length=500),
        MultiLink("participants", "Thành phần tham dự", "Participants", target=USER),
        Link(
            "series",
            "Chuỗi lịch lặp",
            "Repeating series",
            target="rooms.RepeatingBooking",
            on_delete="set_null",
            computed=True,
        ),
        LongText("note", "Ghi chú", "Note"),
    ),
    search_fields=("number", "title"),
    list_display=("number", "room", "starts_at", "ends_at", "title", "owner_unit", "state"),
    list_filter=("state", "room", "owner_unit"),
    ordering=("-starts_at", "-id"),
    permissions={role: ("view", "add", "change") for role in BOOKERS}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(
        validate=hooks.validate_booking,
        before_save=hooks.confirm_at_once,
        after_save=events.announce,
        graphql_queries=api.room_queries,
        graphql_subscriptions=api.room_subscriptions,
    ),
)

RepeatingBooking = Entity(
    name="RepeatingBooking",
    label_vi="Chuỗi lịch họp lặp lại",
    label_en="Repeating booking",
    plural_vi="Chuỗi lịch họp lặp lại",
    plural_en="Repeating bookings",
    title_field="title",
    fields=(
        Link("room", "Phòng họp", "Meeting room", target="rooms.Room", required=True),
        Text("title", "Nội dung cuộc họp", "Purpose", required=True, searchable=True),
        DateTime("first_start", "Bắt đầu buổi đầu", "First start", required=True),
        DateTime("first_end", "Kết thúc buổi đầu", "First end", required=True),
        Text(
            "rrule",
            "Quy tắc lặp (RRULE)",
            "Repeat rule (RRULE)",
            required=True,
            max_length=200,
            help_vi="Ví dụ: FREQ=WEEKLY;BYDAY=MO (thứ Hai hằng tuần), FREQ=DAILY (mọi ngày làm việc), "
            "FREQ=MONTHLY;BYDAY=1MO (thứ Hai đầu tháng). Bỏ qua ngày nghỉ lễ, Tết.",
            help_en="E.g. FREQ=WEEKLY;BYDAY=MO (every Monday), FREQ=DAILY (every working day), "
            "FREQ=MONTHLY;BYDAY=1MO (first Monday of the month). Public holidays are skipped.",
        ),
        Date("until", "Lặp đến ngày", "Until", required=True),
        Integer("attendees", "Số người dự", "Attendees", default=1),
    ),
    list_display=("title", "room", "first_start", "rrule", "until"),
    ordering=("-id",),
    permissions={role: ("view", "add") for role in BOOKERS} | {PLATFORM_ADMIN: ("view", "add", "delete")},
    hooks=Hooks(validate=hooks.validate_series, after_save=hooks.expand_series),
)

MODULE = Module(
    label="rooms",
    name_vi="Phòng họp",
    name_en="Meeting rooms",
    icon="meeting_room",
    order=40,
    entities=(Room, RoomBooking, RepeatingBooking),
    pages=(
        Page(
            url_name="rooms-wall",
            title_vi="Màn hình phòng họp hôm nay",
            title_en="Meeting rooms today",
            audience="board",
            icon="calendar_view_day",
            entity="RoomBooking",
        ),
    ),
)
