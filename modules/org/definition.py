"""Organisation: the unit tree (Ministry, its units, the 34 provincial
Departments of S&T) and the people who work in it."""

from modules.engine.definitions import (
    USER,
    Boolean,
    Choice,
    Entity,
    Hooks,
    Link,
    Module,
    MultiLink,
    Text,
)

from . import hooks, province_api
from .roles import ALL_ROLES, PLATFORM_ADMIN

UNIT_KINDS = (
    ("ministry", "Bộ", "Ministry"),
    ("ministry_unit", "Đơn vị thuộc Bộ", "Ministry unit"),
    ("provincial_dost", "Sở KH&CN tỉnh/thành phố", "Provincial Department of S&T"),
    ("other", "Khác", "Other"),
)

Unit = Entity(
    name="Unit",
    label_vi="Đơn vị",
    label_en="Unit",
    plural_vi="Đơn vị",
    plural_en="Units",
    title_field="name",
    unit_scoped=False,  # the unit tree itself is visible to every signed-in role
    fields=(
        Text("code", "Mã đơn vị", "Code", required=True, unique=True, max_length=40, searchable=True),
        Text("name", "Tên đơn vị", "Name", required=True, searchable=True),
        Text("short_name", "Tên viết tắt", "Short name", max_length=60),
        Choice("kind", "Loại đơn vị", "Kind", choices=UNIT_KINDS, required=True, filterable=True),
        Link("parent", "Đơn vị cấp trên", "Parent unit", target="org.Unit", filterable=True),
        Text(
            "province_code",
            "Mã tỉnh",
            "Province code",
            max_length=4,
            help_vi="Mã tỉnh/thành theo QĐ 19/2025/QĐ-TTg (34 tỉnh, thành từ 01/7/2025). Mã cũ (như 45, "
            "89) chỉ còn để đọc hồ sơ cũ, không chọn được cho đơn vị mới.",
            help_en="Province code (QĐ 19/2025, 34 provinces from 01/7/2025). Old codes (such as 45, 89) "
            "stay readable on old records and cannot be chosen for new ones.",
        ),
        Boolean(
            "sees_all_units",
            "Xem dữ liệu mọi đơn vị",
            "Sees all units",
            help_vi="Ví dụ Văn phòng Bộ: thấy dữ liệu của mọi đơn vị.",
            help_en="E.g. the Ministry Office: sees every unit's data.",
        ),
        Text(
            "path",
            "Đường dẫn cây",
            "Tree path",
            max_length=400,
            index=True,
            help_vi="Tự tính từ đơn vị cấp trên.",
            help_en="Computed from the parent.",
        ),
    ),
    search_fields=("code", "name", "short_name"),
    list_display=("code", "name", "kind", "parent"),
    list_filter=("kind",),
    ordering=("path",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(
        validate=hooks.validate_unit,
        before_save=hooks.compute_unit_path,
        after_save=hooks.repath_descendants,
        graphql_queries=province_api.province_queries,
    ),
)

Person = Entity(
    name="Person",
    label_vi="Cán bộ",
    label_en="Person",
    plural_vi="Cán bộ",
    plural_en="People",
    title_field="full_name",
    fields=(
        Link("user", "Tài khoản", "User account", target=USER, required=True, unique=True),
        Text("full_name", "Họ và tên", "Full name", required=True, searchable=True),
        Text("position", "Chức vụ", "Position"),
        Text("email", "Thư điện tử", "Email", max_length=254),
        Text("phone", "Điện thoại", "Phone", max_length=30),
        MultiLink("roles", "Vai trò", "Roles", target="auth.Group"),
    ),
    search_fields=("full_name", "email", "position"),
    list_display=("full_name", "position", "owner_unit"),
    list_filter=("owner_unit",),
    ordering=("full_name",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(after_save=hooks.sync_user_roles),
)

MODULE = Module(
    label="org",
    name_vi="Tổ chức",
    name_en="Organisation",
    icon="account_tree",
    order=1,
    entities=(Unit, Person),
)
