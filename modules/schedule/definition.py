"""The weekly work schedule (lịch công tác tuần) of the leaders and of each unit (issue 16).

The Office drafts the leaders' week, its chief publishes it (usually on Friday for the next
week); each unit keeps its own week the same way. A published week is seen by every unit.
A change after publishing needs a reason, is marked as a change, and is told to everyone on
the item before or after it (reminders inbox, email, live event), once (`notices.py`).
An item held in a meeting room books it by the rooms' own never-overlap rule, in the item's
write (`engine/holds.py`): a taken room refuses the item (OVERLAP naming the booking); moving
or cancelling the item moves or frees its booking.
"""

from modules.engine.definitions import (
    USER,
    Boolean,
    Choice,
    Date,
    DateTime,
    Entity,
    Hooks,
    Link,
    LongText,
    Module,
    MultiLink,
    Page,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.engine.holds import Holds
from modules.org.roles import (
    MINISTRY_LEADER,
    PLATFORM_ADMIN,
    PROVINCIAL_OFFICER,
    SECRETARY,
    SPECIALIST,
    UNIT_HEAD,
)

from . import api, hooks
from .busy import DEFAULT_LENGTH

KINDS = (
    ("leaders", "Lịch công tác của Lãnh đạo Bộ", "Ministry leaders' schedule"),
    ("unit", "Lịch công tác của đơn vị", "Unit's schedule"),
)
EDITORS = (SPECIALIST, SECRETARY, UNIT_HEAD, MINISTRY_LEADER, PROVINCIAL_OFFICER, PLATFORM_ADMIN)
PUBLISHERS = (UNIT_HEAD, MINISTRY_LEADER, PLATFORM_ADMIN)

WEEK_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Dự thảo", label_en="Draft"),
        State(code="published", label_vi="Đã công bố", label_en="Published"),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="publish",
            label_vi="Duyệt và công bố",
            label_en="Approve and publish",
            source=("draft",),
            target="published",
            roles=PUBLISHERS,
            guards=(hooks.only_leaders_schedule_by_office,),
            hooks=(hooks.on_publish,),
        ),
    ),
)

WeekSchedule = Entity(
    name="WeekSchedule",
    label_vi="Lịch công tác tuần",
    label_en="Weekly schedule",
    plural_vi="Lịch công tác tuần",
    plural_en="Week schedules",
    title_field="title",
    workflow=WEEK_WORKFLOW,
    shareable=True,
    shared_in_states=("published",),
    unique_together=(("owner_unit", "kind", "week_start"),),
    fields=(
        Choice("kind", "Loại lịch", "Kind", choices=KINDS, required=True, filterable=True),
        Date(
            "week_start", "Tuần bắt đầu (thứ Hai)", "Week starting (Monday)", required=True, filterable=True
        ),
        Text("title", "Tiêu đề", "Title", computed=True, searchable=True),
        DateTime("published_at", "Công bố lúc", "Published at", computed=True),
        LongText("note", "Ghi chú", "Note"),
    ),
    list_display=("title", "kind", "owner_unit", "state", "published_at"),
    list_filter=("kind", "state", "owner_unit"),
    ordering=("-week_start", "-id"),
    permissions={role: ("view", "add", "change") for role in EDITORS}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(validate=hooks.validate_week, before_save=hooks.week_title),
)

ScheduleItem = Entity(
    name="ScheduleItem",
    label_vi="Mục lịch công tác",
    label_en="Schedule item",
    plural_vi="Mục lịch công tác",
    plural_en="Schedule items",
    title_field="title",
    shareable=True,  # as its week: set by the hooks, never by hand
    fields=(
        Link("week", "Lịch tuần", "Week", target="schedule.WeekSchedule", required=True, on_delete="cascade"),
        DateTime("starts_at", "Bắt đầu", "Starts at", required=True, filterable=True),
        DateTime("ends_at", "Kết thúc", "Ends at"),
        Text("title", "Nội dung", "Content", required=True, searchable=True, max_length=500),
        Link("chair", "Lãnh đạo chủ trì", "Chairing leader", target=USER, filterable=True),
        MultiLink("participants", "Thành phần tham dự", "Participants", target=USER),
        MultiLink("participant_units", "Đơn vị tham dự", "Participating units", target="org.Unit"),
        Link("place_room", "Phòng họp", "Meeting room", target="rooms.Room", on_delete="set_null"),
        Link(
            "room_booking",
            "Lịch đặt phòng",
            "Room booking",
            target="rooms.RoomBooking",
            on_delete="set_null",
            computed=True,  # kept by the engine (holds): the room is booked by the rooms' own rule
        ),
        Text("place", "Địa điểm (khác)", "Place (other)", max_length=255),
        Link("preparing_unit", "Đơn vị chuẩn bị", "Preparing unit", target="org.Unit", on_delete="set_null"),
        Link("vehicle", "Xe", "Vehicle", target="vehicles.Vehicle", on_delete="set_null"),
        LongText("notes", "Ghi chú", "Notes"),
        Boolean("is_changed", "Thay đổi sau khi công bố", "Changed after publishing", computed=True),
        Text("change_reason", "Lý do thay đổi", "Reason for the change", max_length=500),
        Boolean(
            "cancelled",
            "Huỷ",
            "Cancelled",
            filterable=True,
            help_vi="Mục bị huỷ vẫn hiện trên lịch, ghi rõ đã huỷ; phòng họp được trả.",
            help_en="A cancelled item stays on the schedule, marked as cancelled; its room is freed.",
        ),
    ),
    list_display=("week", "starts_at", "title", "chair", "place_room", "is_changed"),
    list_filter=("is_changed", "cancelled"),
    ordering=("starts_at", "id"),
    holds=(
        Holds(
            target="rooms.RoomBooking",
            link="room_booking",
            resource="place_room",
            default_length=DEFAULT_LENGTH,
            copy=(("title", "title"),),
            released_when="cancelled",
        ),
    ),
    permissions={role: ("view", "add", "change") for role in EDITORS}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(
        validate=hooks.validate_item,
        before_save=hooks.before_item_save,
        after_save=hooks.after_item_save,
        graphql_subscriptions=api.schedule_subscriptions,
    ),
)

MODULE = Module(
    label="schedule",
    name_vi="Lịch công tác",
    name_en="Work schedule",
    icon="calendar_view_week",
    order=39,
    entities=(WeekSchedule, ScheduleItem),
    pages=(
        Page(
            url_name="schedule-current",
            title_vi="Lịch công tác tuần của Lãnh đạo Bộ",
            title_en="Leaders' weekly schedule",
            audience="staff",
            icon="event_note",
            entity="WeekSchedule",
        ),
    ),
)
