"""Working-day calendar: the public-holiday table per year, with swapped days.

The counting itself is the engine's (`modules.engine.workdays`); this module
only owns the table that administrators edit each year, when the Prime
Minister fixes the Tết and 2/9 days.
"""

from modules.engine.definitions import Choice, Date, Entity, Module, Text
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
    ),
    search_fields=("name", "legal_basis"),
    list_display=("day", "kind", "name"),
    list_filter=("kind",),
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
