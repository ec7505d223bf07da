"""Working-day calendar: the public-holiday table per year, with swapped days.

The counting itself is the engine's (`modules.engine.workdays`); this module
only owns the table that administrators edit each year, when the Prime
Minister fixes the Tết and 2/9 days.
"""

from modules.engine.definitions import Boolean, Choice, Date, Entity, Module, Text
from modules.org.roles import ALL_ROLES, PLATFORM_ADMIN

DAY_KINDS = (
    ("holiday", "Ngày nghỉ lễ, Tết", "Public holiday"),
    ("day_off", "Ngày nghỉ bù", "Compensating day off"),
    ("working", "Ngày làm bù (làm việc)", "Swapped working day"),
)

CalendarDay = Entity(
    name="CalendarDay",
    label_vi="Ngày nghỉ, ngày làm bù",
    label_en="Holiday or swapped day",
    plural_vi="Lịch nghỉ lễ, làm bù",
    plural_en="Holiday calendar",
    title_field="name",
    unit_scoped=False,
    realtime=False,
    fields=(
        Date("day", "Ngày", "Date", required=True, unique=True, filterable=True),
        Choice("kind", "Loại ngày", "Kind", choices=DAY_KINDS, required=True, filterable=True),
        Text("name", "Tên", "Name", required=True, searchable=True),
        Text("legal_basis", "Căn cứ", "Legal basis", max_length=255),
        # a day reported but not confirmed (24/11, domain.md §1.6) ships switched off
        Boolean(
            "in_force",
            "Áp dụng",
            "In force",
            default=True,
            filterable=True,
            help_vi="Bỏ chọn thì ngày này không được tính là ngày nghỉ (hay ngày làm bù). Ngày 24/11 "
            "(Ngày Văn hóa Việt Nam) mới có tin báo chí, chưa có văn bản chính thức: được giao ở trạng "
            "thái tắt; quản trị viên chọn ô này khi văn bản được ban hành.",
            help_en="Unticked, the day is not counted as a day off (or swapped working day). 24/11 "
            "(Vietnam Culture Day) is reported in the press, not confirmed by a published text: it "
            "ships switched off; an administrator ticks this box once the text is out.",
        ),
        Text("note", "Ghi chú", "Note", max_length=500),
    ),
    search_fields=("name", "legal_basis"),
    list_display=("day", "kind", "name", "in_force", "note"),
    list_filter=("kind", "in_force"),
    ordering=("-day",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
)

MODULE = Module(
    label="calendar",
    name_vi="Lịch làm việc",
    name_en="Work calendar",
    icon="calendar_month",
    order=2,
    entities=(CalendarDay,),
)
