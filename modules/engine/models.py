"""Engine tables, and the moment every declared module becomes models.

Django imports this file while loading models; `build_all()` then builds
each installed module's entities from its definition.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .custom_models import ChoiceOption, CustomField  # noqa: F401  (administrator-added fields)
from .i18n import bilingual
from .registry import build_all
from .tokens import TokenQuerySet, hash_token, new_token


class NumberCounter(models.Model):
    """The last number handed out per register and period (e.g. `tasks.Task`, `NV-2026-`).

    Rows are locked with SELECT … FOR UPDATE inside the inserting transaction,
    so numbers are gap-free: a rolled-back insert also rolls back its number.
    """

    register = models.CharField(bilingual("Sổ", "Register"), max_length=100)
    period = models.CharField(bilingual("Kỳ", "Period"), max_length=100)
    value = models.PositiveBigIntegerField(bilingual("Số cuối", "Last value"), default=0)

    class Meta:
        verbose_name = bilingual("Bộ đếm số hiệu", "Number counter")
        verbose_name_plural = bilingual("Bộ đếm số hiệu", "Number counters")
        constraints = [models.UniqueConstraint(fields=["register", "period"], name="engine_counter_unique")]

    def __str__(self) -> str:
        return f"{self.register} {self.period}: {self.value}"


class IdempotencyKey(models.Model):
    """A client's key for one create: a retry with the same key returns the first record.

    Written in the same transaction as the record (both exist or neither), and unique per
    (user, key), so two concurrent retries yield one record (`idempotency.run_once`).
    Rows older than the keys' lifetime are deleted by a periodic job.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=bilingual("Người dùng", "User"), on_delete=models.CASCADE
    )
    key = models.CharField(bilingual("Khoá", "Key"), max_length=200)
    operation = models.CharField(bilingual("Thao tác", "Operation"), max_length=100)
    fingerprint = models.CharField(bilingual("Dấu vân nội dung", "Input fingerprint"), max_length=64)
    record_label = models.CharField(bilingual("Loại bản ghi", "Record type"), max_length=100, blank=True)
    record_id = models.BigIntegerField(bilingual("Mã bản ghi", "Record id"), null=True, blank=True)
    created_at = models.DateTimeField(bilingual("Tạo lúc", "Created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = bilingual("Khoá chống tạo trùng", "Idempotency key")
        verbose_name_plural = bilingual("Khoá chống tạo trùng", "Idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="engine_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"


class JobProgress(models.Model):
    """One piece of long work run by the job worker, as its owner watches it (`background.py`).

    The worker writes `done`/`total` as it goes and, at the end, `result` (JSON) or a typed
    error; the page polls it. `deadline` lets a reader tell a job whose worker died from a
    slow one, so nobody waits forever.
    """

    STATES = (("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed"))

    id = models.UUIDField(primary_key=True, editable=False)
    kind = models.CharField(bilingual("Loại việc", "Kind"), max_length=100)
    subject = models.CharField(bilingual("Đối tượng", "Subject"), max_length=200, blank=True)
    label = models.CharField(bilingual("Tên", "Label"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=bilingual("Người yêu cầu", "Owner"), on_delete=models.CASCADE
    )
    state = models.CharField(
        bilingual("Trạng thái", "State"), max_length=10, choices=STATES, default="queued"
    )
    done = models.PositiveIntegerField(bilingual("Đã xong", "Done"), default=0)
    total = models.PositiveIntegerField(bilingual("Tổng", "Total"), default=0)
    result = models.JSONField(bilingual("Kết quả", "Result"), null=True, blank=True)
    error_code = models.CharField(bilingual("Mã lỗi", "Error code"), max_length=40, blank=True)
    error = models.TextField(bilingual("Lỗi", "Error"), blank=True)
    created_at = models.DateTimeField(bilingual("Tạo lúc", "Created at"), default=timezone.now)
    updated_at = models.DateTimeField(bilingual("Cập nhật lúc", "Updated at"), default=timezone.now)
    deadline = models.DateTimeField(bilingual("Hạn chót", "Deadline"))

    class Meta:
        verbose_name = bilingual("Tiến độ việc nền", "Job progress")
        verbose_name_plural = bilingual("Tiến độ việc nền", "Job progress")
        indexes = [models.Index(fields=["owner", "kind", "subject"], name="engine_job_owner_subject")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.state}"


class OutboxMessage(models.Model):
    """One message a module sends outside, written with the change that causes it (`outbox.py`).

    `stream` orders delivery (a stream's later messages wait while an earlier one is retried);
    `key` is unique, so a message is queued once and a receiver can recognise a repeat.
    """

    outbox = models.CharField(bilingual("Hộp thư đi", "Outbox"), max_length=100, db_index=True)
    channel = models.CharField(bilingual("Kênh", "Channel"), max_length=40)
    topic = models.CharField(bilingual("Nội dung về", "Topic"), max_length=100, blank=True)
    key = models.CharField(bilingual("Khoá chống trùng", "Idempotency key"), max_length=200, unique=True)
    stream = models.CharField(bilingual("Luồng", "Stream"), max_length=200)
    record_label = models.CharField(bilingual("Loại bản ghi", "Record type"), max_length=100, blank=True)
    record_id = models.BigIntegerField(bilingual("Mã bản ghi", "Record id"), null=True, blank=True)
    recipient = models.CharField(bilingual("Người nhận", "Recipient"), max_length=254)
    subject = models.CharField(bilingual("Tiêu đề", "Subject"), max_length=300, blank=True)
    body = models.TextField(bilingual("Nội dung", "Body"), blank=True)
    payload = models.JSONField(bilingual("Dữ liệu kèm", "Payload"), default=dict, blank=True)
    created_at = models.DateTimeField(bilingual("Tạo lúc", "Created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(bilingual("Số lần gửi", "Attempts"), default=0)
    next_attempt_at = models.DateTimeField(bilingual("Gửi lại lúc", "Next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(bilingual("Đang gửi đến", "Claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(bilingual("Đã gửi lúc", "Sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(
        bilingual("Ngừng gửi lúc (hết số lần thử)", "Gave up at"), null=True, blank=True
    )
    last_error = models.CharField(bilingual("Lỗi gần nhất", "Last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = bilingual("Thư đi", "Outgoing message")
        verbose_name_plural = bilingual("Hộp thư đi (thông báo)", "Outbox (notifications)")
        ordering = ("-id",)
        indexes = [
            models.Index(fields=["sent_at", "failed_at", "stream", "id"], name="engine_outbox_pending"),
            models.Index(fields=["record_label", "record_id"], name="engine_outbox_record"),
        ]

    def __str__(self) -> str:
        return f"{self.outbox} {self.channel} → {self.recipient}"


def default_expiry():
    return timezone.now() + timedelta(days=90)


class ApiToken(models.Model):
    """A personal API token (`Authorization: Bearer`): platform plumbing, used by GraphQL,
    sockets, boards and feeds alike, so it is the engine's table; the logic is `tokens.py`.
    The table keeps the name it was created under (`org_apitoken`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=bilingual("Tài khoản", "User"),
    )
    name = models.CharField(bilingual("Tên gợi nhớ", "Name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(bilingual("Tiền tố", "Prefix"), max_length=16, editable=False)
    created_at = models.DateTimeField(bilingual("Tạo lúc", "Created at"), auto_now_add=True)
    expires_at = models.DateTimeField(bilingual("Hết hạn lúc", "Expires at"), default=default_expiry)
    revoked_at = models.DateTimeField(bilingual("Thu hồi lúc", "Revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(
        bilingual("Dùng lần cuối", "Last used"), null=True, blank=True, editable=False
    )
    read_only = models.BooleanField(
        bilingual("Chỉ đọc (bảng tin)", "Read-only (boards)"),
        default=False,
        help_text=bilingual(
            "Chỉ truy vấn và theo dõi, không ghi: dùng cho màn hình bảng tin.",
            "Queries and subscriptions only, no writes: for wall-screen boards.",
        ),
    )

    # a bulk update (the admin's revoke) reaches every process's kept tokens at once
    objects = TokenQuerySet.as_manager()

    class Meta:
        db_table = "org_apitoken"
        verbose_name = bilingual("Mã truy cập API", "API token")
        verbose_name_plural = bilingual("Mã truy cập API", "API tokens")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, expires_at=None, read_only: bool = False) -> tuple[ApiToken, str]:
        """Create a token; returns it with the raw secret, which is never stored."""
        raw = new_token()
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[:12],
            expires_at=expires_at or default_expiry(),
            read_only=read_only,
        )
        return token, raw

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


build_all()
