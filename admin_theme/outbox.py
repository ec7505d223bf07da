"""The engine's outbox in the admin: every message a module sent or tries to send, failures first.

Platform administrators only (messages carry applicants' addresses and phone numbers). A
failed message shows its attempts and last error; "Gửi lại" makes it due again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from modules.engine import outbox
from modules.engine.i18n import bilingual
from modules.engine.models import OutboxMessage

from .custom_fields import _platform_admin


class DeliveryFilter(admin.SimpleListFilter):
    title = bilingual("Tình trạng gửi", "Delivery")
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("failed", bilingual("Gửi không được (đã ngừng thử)", "Failed (gave up)")),
            ("retrying", bilingual("Lỗi, đang chờ gửi lại", "Failing, will retry")),
            ("waiting", bilingual("Chờ gửi", "Waiting")),
            ("sent", bilingual("Đã gửi", "Sent")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        if value == "failed":
            return queryset.filter(failed_at__isnull=False, sent_at__isnull=True)
        if value == "retrying":
            return queryset.filter(failed_at__isnull=True, sent_at__isnull=True, attempts__gt=0)
        if value == "waiting":
            return queryset.filter(failed_at__isnull=True, sent_at__isnull=True)
        if value == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


def _label(kind: str, code: str) -> str:
    vi, en = outbox.labels()[kind].get(code, (code, code))
    return bilingual(vi, en)


def _label_filter(kind: str, title: Any) -> type[admin.SimpleListFilter]:
    """A filter offering the declared labels, never the stored codes."""

    class LabelFilter(admin.SimpleListFilter):
        parameter_name = kind

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            return [(code, _label(kind, code)) for code in outbox.labels()[kind]]

        def queryset(self, request: HttpRequest, queryset: Any) -> Any:
            return queryset.filter(**{kind: self.value()}) if self.value() else queryset

    LabelFilter.title = title
    return LabelFilter


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ModelAdmin):
    list_display = (
        "created_at",
        "outbox_name",
        "channel_name",
        "topic_name",
        "recipient",
        "status",
        "attempts",
        "last_error",
    )
    list_filter = (
        DeliveryFilter,
        _label_filter("outbox", bilingual("Hộp thư đi", "Outbox")),
        _label_filter("channel", bilingual("Kênh", "Channel")),
        _label_filter("topic", bilingual("Nội dung về", "Topic")),
    )
    search_fields = ("recipient", "subject", "key", "record_id")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ("send_again",)

    @display(description=bilingual("Hộp thư đi", "Outbox"), ordering="outbox")
    def outbox_name(self, obj: OutboxMessage) -> str:
        return _label("outbox", obj.outbox)

    @display(description=bilingual("Kênh", "Channel"), ordering="channel")
    def channel_name(self, obj: OutboxMessage) -> str:
        return _label("channel", obj.channel)

    @display(description=bilingual("Nội dung về", "Topic"), ordering="topic")
    def topic_name(self, obj: OutboxMessage) -> str:
        return _label("topic", obj.topic) if obj.topic else ""

    @display(description=bilingual("Tình trạng", "Status"))
    def status(self, obj: OutboxMessage) -> str:
        if obj.sent_at:
            return bilingual("Đã gửi", "Sent")
        if obj.failed_at:
            return bilingual("Gửi không được", "Failed")
        return bilingual("Đang chờ gửi lại", "Retrying") if obj.attempts else bilingual("Chờ gửi", "Waiting")

    @action(description=bilingual("Gửi lại các thư đã chọn", "Send the selected messages again"))
    def send_again(self, request: HttpRequest, queryset: Any) -> None:
        count = outbox.send_again(queryset)
        messages.success(request, bilingual(f"Sẽ gửi lại {count} thư.", f"{count} message(s) due again."))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)  # only the "send again" action; every field is read-only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
