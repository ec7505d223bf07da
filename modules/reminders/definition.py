"""Reminders: rules configured in the admin, and each person's inbox.

"Right person, right job": a rule says when (N working days before the deadline,
on the day, every working day while overdue, or N working days after it), for
which module and priority, and who receives it. The scheduler (`scheduler.py`,
run by django-q2) turns rules into reminders, exactly once per row, rule,
occurrence and recipient: the inbox's unique key decides, not the scheduler.
"""

from modules.engine.definitions import (
    USER,
    Boolean,
    Choice,
    Date,
    DateTime,
    Entity,
    Hooks,
    Integer,
    Link,
    LongText,
    Module,
    Text,
)
from modules.org.roles import ALL_ROLES, PLATFORM_ADMIN

from . import api, hooks, inbox
from .sources import RECIPIENT_KINDS

TRIGGERS = (
    ("before", "Trước hạn N ngày làm việc", "N working days before the deadline"),
    ("on_day", "Đúng ngày đến hạn", "On the deadline day"),
    ("overdue_daily", "Mỗi ngày làm việc khi quá hạn", "Every working day while overdue"),
    ("after", "Sau hạn N ngày làm việc", "N working days after the deadline"),
)

ReminderRule = Entity(
    name="ReminderRule",
    label_vi="Quy tắc nhắc việc",
    label_en="Reminder rule",
    plural_vi="Quy tắc nhắc việc",
    plural_en="Reminder rules",
    title_field="name",
    unit_scoped=False,
    realtime=False,
    fields=(
        Text("name", "Tên quy tắc", "Name", required=True, searchable=True),
        Text(
            "source",
            "Mô-đun",
            "Module",
            required=True,
            max_length=80,
            filterable=True,
            help_vi="Đối tượng được nhắc, ví dụ tasks.Task.",
            help_en="What is reminded about, e.g. tasks.Task.",
        ),
        Text(
            "priority",
            "Độ ưu tiên",
            "Priority",
            max_length=40,
            help_vi="Để trống: mọi mức ưu tiên.",
            help_en="Empty: every priority.",
        ),
        Boolean("key_only", "Chỉ nhiệm vụ trọng tâm", "Key items only"),
        Choice("trigger", "Thời điểm", "When", choices=TRIGGERS, required=True),
        Integer("days", "Số ngày làm việc", "Working days", default=0),
        Choice("recipient", "Người nhận", "Recipient", choices=RECIPIENT_KINDS, required=True),
        Boolean("send_email", "Gửi thư điện tử", "Send email", default=True),
        Boolean("active", "Đang áp dụng", "Active", default=True, filterable=True),
    ),
    list_display=("name", "source", "trigger", "days", "recipient", "active"),
    list_filter=("active", "trigger"),
    ordering=("source", "trigger", "days"),
    permissions={role: ("view",) for role in ALL_ROLES}
    | {PLATFORM_ADMIN: ("view", "add", "change", "delete")},
    hooks=Hooks(validate=hooks.validate_rule),
)

Reminder = Entity(
    name="Reminder",
    label_vi="Lời nhắc",
    label_en="Reminder",
    plural_vi="Hộp nhắc việc",
    plural_en="Reminder inbox",
    title_field="title",
    unit_scoped=False,
    realtime=False,
    history=False,
    fields=(
        # an inbox entry is derived from its rule for its recipient, and goes with either
        Link("recipient", "Người nhận", "Recipient", target=USER, required=True, on_delete="cascade"),
        Link("rule", "Quy tắc", "Rule", target="reminders.ReminderRule", required=True, on_delete="cascade"),
        Text("source", "Mô-đun", "Module", max_length=80, required=True),
        Integer("object_id", "Mã đối tượng", "Object id", required=True),
        Date("occurrence", "Lần nhắc (ngày)", "Occurrence (date)", required=True),
        Text("title", "Tiêu đề", "Title", required=True),
        LongText("body", "Nội dung", "Body"),
        Text("url", "Đường dẫn", "Link", max_length=400),
        DateTime("read_at", "Đã đọc lúc", "Read at"),
        DateTime("emailed_at", "Đã gửi thư lúc", "Emailed at"),
    ),
    # Exactly once per row, rule, occurrence and recipient, whoever runs the scheduler.
    unique_together=(("rule", "source", "object_id", "occurrence", "recipient"),),
    list_display=("title", "recipient", "occurrence", "read_at"),
    ordering=("-id",),
    # The inbox is read through `myReminders`; the admin list is for administrators.
    permissions={PLATFORM_ADMIN: ("view", "delete")},
    hooks=Hooks(
        graphql_queries=api.reminder_queries,
        graphql_mutations=api.reminder_mutations,
        graphql_subscriptions=api.reminder_subscriptions,
    ),
)

MODULE = Module(
    label="reminders",
    name_vi="Nhắc việc",
    name_en="Reminders",
    icon="notifications_active",
    order=90,
    entities=(ReminderRule, Reminder),
    links=inbox.sidebar_links,
)
