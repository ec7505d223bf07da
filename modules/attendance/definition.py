"""Face-recognition attendance and the check-in reminder kiosk (a rule over the person's tasks).

Face data is biometric personal data (sensitive under Vietnam's personal-data rules):
enrollments record the person's consent, keep encodings only (photos only when an
administrator opts in), are visible to the biometric role alone, and every view and
deletion is audited. Rules live in `faces.py`, `index.py`, `services.py`, `api.py`.
"""

from modules.engine.definitions import (
    USER,
    Boolean,
    Children,
    Choice,
    DateTime,
    Decimal,
    Entity,
    File,
    Hooks,
    Integer,
    Json,
    Link,
    LongText,
    Module,
    MultiLink,
    Text,
)
from modules.org.roles import ALL_ROLES, BIOMETRIC_ADMIN, MINISTRY_LEADER, PLATFORM_ADMIN, UNIT_HEAD

from . import api, dashboard, enrollment_page, hooks

Site = Entity(
    name="Site",
    label_vi="Địa điểm chấm công",
    label_en="Attendance site",
    plural_vi="Địa điểm chấm công",
    plural_en="Attendance sites",
    title_field="name",
    unit_scoped=False,
    fields=(
        Text("name", "Tên địa điểm", "Name", required=True, searchable=True),
        Text("address", "Địa chỉ", "Address", max_length=300),
        MultiLink(
            "units",
            "Đơn vị làm việc tại đây",
            "Units working here",
            target="org.Unit",
            help_vi="Người thuộc các đơn vị này (và đơn vị trực thuộc) được chấm công tại đây.",
            help_en="People of these units (and their sub-units) check in here.",
        ),
        Decimal(
            "tolerance",
            "Ngưỡng khoảng cách",
            "Match tolerance",
            default=0.5,
            max_digits=4,
            decimal_places=2,
            help_vi="Càng nhỏ càng chặt; mặc định 0,5.",
            help_en="Smaller is stricter; 0.5 by default.",
        ),
    ),
    list_display=("name", "address", "tolerance"),
    ordering=("name",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(validate=hooks.validate_site),
)

Kiosk = Entity(
    name="Kiosk",
    custom_fields=False,  # security plumbing: no administrator-added fields
    label_vi="Ki-ốt chấm công",
    label_en="Kiosk",
    plural_vi="Ki-ốt chấm công",
    plural_en="Kiosks",
    title_field="name",
    unit_scoped=False,
    fields=(
        Link("site", "Địa điểm", "Site", target="attendance.Site", required=True, filterable=True),
        Text("name", "Tên ki-ốt", "Name", required=True),
        Text("token_prefix", "Mã ki-ốt (đầu)", "Token prefix", max_length=16, computed=True),
        Text("token_hash", "Băm mã ki-ốt", "Token hash", max_length=64, computed=True, index=True),
        Boolean("is_active", "Đang hoạt động", "Active", default=True),
    ),
    list_display=("name", "site", "token_prefix", "is_active"),
    ordering=("site", "name"),
    permissions={PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(admin_links=api.kiosk_links),
)

WorkSchedule = Entity(
    name="WorkSchedule",
    label_vi="Giờ làm việc",
    label_en="Work schedule",
    plural_vi="Giờ làm việc của đơn vị",
    plural_en="Work schedules",
    title_field="start_time",
    unit_scoped=False,
    fields=(
        Link("unit", "Đơn vị", "Unit", target="org.Unit", required=True, unique=True),
        Text(
            "start_time", "Giờ bắt đầu (HH:MM)", "Start (HH:MM)", required=True, max_length=5, default="08:00"
        ),
        Integer("grace_minutes", "Phút cho phép đến muộn", "Grace (minutes)", default=10),
    ),
    list_display=("unit", "start_time", "grace_minutes"),
    ordering=("unit",),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(validate=hooks.validate_schedule),
)

Enrollment = Entity(
    name="Enrollment",
    custom_fields=False,  # security plumbing: no administrator-added fields
    label_vi="Dữ liệu khuôn mặt",
    label_en="Face enrollment",
    plural_vi="Dữ liệu khuôn mặt (sinh trắc học)",
    plural_en="Face enrollments (biometric)",
    title_field="person",
    unit_scoped=False,
    realtime=False,
    graphql=False,  # read through the audited `biometricEnrollment` query only
    fields=(
        # biometric data goes with the person it describes
        Link(
            "person",
            "Cán bộ",
            "Person",
            target="org.Person",
            required=True,
            unique=True,
            on_delete="cascade",
            computed=True,
        ),
        LongText("consent_text", "Nội dung đồng ý", "Consent text", computed=True),
        DateTime("consent_at", "Đồng ý lúc", "Consented at", computed=True),
        Link("consent_recorded_by", "Người ghi nhận", "Recorded by", target=USER, computed=True),
        Boolean("keep_photos", "Lưu ảnh gốc", "Keep photos", computed=True),
        Integer("photos", "Số ảnh", "Photos", computed=True),
        Children(
            "encodings",
            "Mã hoá khuôn mặt",
            "Encodings",
            computed=True,
            columns=(
                Json("vector", "Véc-tơ 128 chiều", "128-d vector"),
                File("photo", "Ảnh (nếu lưu)", "Photo (if kept)", accept=("images",), max_size=5_000_000),
            ),
        ),
    ),
    list_display=("person", "photos", "consent_at", "keep_photos"),
    ordering=("-id",),
    permissions={BIOMETRIC_ADMIN: ("view", "delete")},
    hooks=Hooks(
        audit_read=hooks.audit_enrollment_read,
        graphql_queries=api.enrollment_queries,
        graphql_mutations=api.enrollment_mutations,
    ),
)

BiometricAudit = Entity(
    name="BiometricAudit",
    custom_fields=False,  # security plumbing: no administrator-added fields
    label_vi="Nhật ký truy cập dữ liệu sinh trắc học",
    label_en="Biometric access log",
    plural_vi="Nhật ký truy cập dữ liệu sinh trắc học",
    plural_en="Biometric access log",
    title_field="action",
    unit_scoped=False,
    realtime=False,
    history=False,
    fields=(
        # an audit entry keeps who acted (protected: deactivate the account instead)
        Link("actor", "Người truy cập", "Actor", target=USER, computed=True),
        Integer("person_id", "Mã cán bộ", "Person id", computed=True),
        Text("person_name", "Cán bộ", "Person", max_length=200, computed=True),
        Choice(
            "action",
            "Thao tác",
            "Action",
            computed=True,
            choices=(
                ("enroll", "Đăng ký", "Enroll"),
                ("view", "Xem", "View"),
                ("delete", "Xoá", "Delete"),
            ),
        ),
        Text("via", "Qua", "Via", max_length=40, computed=True),
        DateTime("at", "Lúc", "At", computed=True),
    ),
    list_display=("at", "actor", "action", "person_name", "via"),
    list_filter=("action",),
    ordering=("-id",),
    permissions={BIOMETRIC_ADMIN: ("view",)},
)

CheckIn = Entity(
    name="CheckIn",
    label_vi="Lượt chấm công",
    label_en="Check-in",
    plural_vi="Chấm công",
    plural_en="Check-ins",
    title_field="person",
    realtime=False,
    fields=(
        # a check-in keeps its person and kiosk (protected: retire a kiosk with "Active")
        Link("person", "Cán bộ", "Person", target="org.Person", computed=True, filterable=True),
        Link("kiosk", "Ki-ốt", "Kiosk", target="attendance.Kiosk", computed=True),
        DateTime("at", "Thời điểm", "At", computed=True, index=True),
        Choice("kind", "Loại", "Kind", computed=True, choices=(("in", "Vào", "In"), ("out", "Ra", "Out"))),
        Boolean("late", "Đi muộn", "Late", computed=True, filterable=True),
        Integer("minutes_late", "Số phút muộn", "Minutes late", computed=True),
        Decimal("distance", "Khoảng cách", "Distance", max_digits=5, decimal_places=3, computed=True),
    ),
    list_display=("at", "person", "kind", "late", "minutes_late", "kiosk"),
    list_filter=("kind", "late"),
    ordering=("-at",),
    permissions={UNIT_HEAD: ("view",), MINISTRY_LEADER: ("view",), PLATFORM_ADMIN: ("view",)},
)

MODULE = Module(
    label="attendance",
    name_vi="Chấm công khuôn mặt",
    name_en="Face attendance",
    icon="face",
    order=40,
    entities=(Site, Kiosk, WorkSchedule, Enrollment, BiometricAudit, CheckIn),
    dashboard=dashboard.panels,
    links=enrollment_page.sidebar_links,
)
