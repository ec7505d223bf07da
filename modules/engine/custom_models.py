"""Fields administrators add at run time to declared entities, and their editable choice lists.

Values live in the entity's `custom` JSON column (see docs/architecture.md, "Custom fields");
these rows type them. Both tables keep a simple-history trail: who changed a definition,
when, before and after.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction

from .history_records import EngineHistoricalRecords
from .i18n import bilingual

TYPES = (
    ("text", bilingual("Văn bản ngắn", "Short text")),
    ("longtext", bilingual("Văn bản dài", "Long text")),
    ("integer", bilingual("Số nguyên", "Integer")),
    ("decimal", bilingual("Số thập phân", "Decimal")),
    ("money", bilingual("Số tiền (đồng)", "Money (VND)")),
    ("date", bilingual("Ngày", "Date")),
    ("datetime", bilingual("Ngày giờ", "Date and time")),
    ("boolean", bilingual("Có / không", "Yes / no")),
    ("choice", bilingual("Chọn từ danh sách", "Choice from a list")),
    ("link", bilingual("Liên kết tới bản ghi", "Link to a record")),
    ("person", bilingual("Người (cán bộ)", "Person")),
)

CODE = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    "Mã gồm chữ thường không dấu, số và gạch dưới, bắt đầu bằng chữ. / "
    "A code is lower-case letters, digits and underscores, starting with a letter.",
)


class CustomField(models.Model):
    """One administrator-added field of a declared entity (`entity` = `app.Entity`)."""

    entity = models.CharField(bilingual("Đối tượng", "Entity"), max_length=100, db_index=True)
    code = models.CharField(bilingual("Mã", "Code"), max_length=40, validators=[CODE])
    label_vi = models.CharField(bilingual("Tên (tiếng Việt)", "Label (Vietnamese)"), max_length=200)
    label_en = models.CharField(bilingual("Tên (tiếng Anh)", "Label (English)"), max_length=200)
    help_vi = models.CharField(
        bilingual("Hướng dẫn (tiếng Việt)", "Help (Vietnamese)"), max_length=500, blank=True
    )
    help_en = models.CharField(
        bilingual("Hướng dẫn (tiếng Anh)", "Help (English)"), max_length=500, blank=True
    )
    type = models.CharField(bilingual("Kiểu dữ liệu", "Type"), max_length=20, choices=TYPES, default="text")
    target = models.CharField(
        bilingual("Đối tượng liên kết", "Link target"),
        max_length=100,
        blank=True,
        help_text=bilingual("Với kiểu liên kết: app.Entity, ví dụ tasks.Task.", "For links: app.Entity."),
    )
    required = models.BooleanField(bilingual("Bắt buộc", "Required"), default=False)
    default = models.JSONField(bilingual("Giá trị mặc định", "Default"), null=True, blank=True)
    order = models.PositiveIntegerField(bilingual("Thứ tự", "Order"), default=100)
    roles_see = models.JSONField(
        bilingual("Vai trò được xem", "Roles that may see"),
        default=list,
        blank=True,
        help_text=bilingual("Để trống: ai xem được bản ghi đều xem được.", "Empty: whoever sees the record."),
    )
    roles_change = models.JSONField(
        bilingual("Vai trò được sửa", "Roles that may change"),
        default=list,
        blank=True,
        help_text=bilingual(
            "Để trống: ai sửa được bản ghi đều sửa được.", "Empty: whoever edits the record."
        ),
    )
    in_list = models.BooleanField(bilingual("Hiện trong danh sách", "In list columns"), default=False)
    in_filter = models.BooleanField(bilingual("Dùng làm bộ lọc", "In filters"), default=False)
    in_search = models.BooleanField(bilingual("Tìm kiếm theo trường", "In search"), default=False)
    archived = models.BooleanField(
        bilingual("Đã lưu trữ", "Archived"),
        default=False,
        help_text=bilingual(
            "Ẩn trường; giá trị vẫn được giữ và khôi phục khi bỏ lưu trữ.",
            "Hides the field; values are kept and come back when restored.",
        ),
    )
    updated_at = models.DateTimeField(bilingual("Cập nhật lúc", "Updated at"), auto_now=True)
    version = models.PositiveIntegerField(
        bilingual("Phiên bản", "Version"),
        default=1,
        help_text=bilingual(
            "Tăng mỗi lần lưu: hai người sửa cùng lúc không ghi đè nhau.",
            "Moves on each save: two editors at once cannot overwrite each other.",
        ),
    )
    history = EngineHistoricalRecords(
        verbose_name=bilingual("Lịch sử trường bổ sung", "Custom field history")
    )

    class Meta:
        verbose_name = bilingual("Trường bổ sung", "Custom field")
        verbose_name_plural = bilingual("Trường bổ sung", "Custom fields")
        ordering = ("entity", "order", "code")
        constraints = [models.UniqueConstraint(fields=["entity", "code"], name="engine_customfield_code")]

    def __str__(self) -> str:
        return f"{self.label_vi} / {self.label_en}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save only over the version this edit started from (optimistic lock), and keep the
        field's expression index in step with "in filters" (engine/custom_query.py)."""
        from . import custom_definitions, custom_query

        with transaction.atomic():
            before = None
            if self.pk and not self._state.adding:
                before = custom_definitions.claim(self)
            super().save(*args, **kwargs)
            custom_query.sync_index(self, before)

    def clean(self) -> None:
        from . import custom_definitions, custom_values

        if self.pk and (refusal := custom_definitions.stale(self)) is not None:
            raise refusal  # before anything else: the form shows an edit of an old state
        errors: dict[str, Any] = {}
        for check in (custom_definitions.check_roles, custom_values.check_definition):
            try:
                check(self)
            except ValidationError as error:  # each wrong field marked, not only the first
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        custom_definitions.check_default(self)


class ChoiceOption(models.Model):
    """One option of a choice-type custom field; retired options stay valid on old records."""

    field = models.ForeignKey(
        CustomField,
        verbose_name=bilingual("Trường", "Field"),
        on_delete=models.CASCADE,
        related_name="options",
    )
    code = models.CharField(bilingual("Mã", "Code"), max_length=40, validators=[CODE])
    label_vi = models.CharField(bilingual("Tên (tiếng Việt)", "Label (Vietnamese)"), max_length=200)
    label_en = models.CharField(bilingual("Tên (tiếng Anh)", "Label (English)"), max_length=200)
    order = models.PositiveIntegerField(bilingual("Thứ tự", "Order"), default=100)
    retired = models.BooleanField(
        bilingual("Ngừng dùng", "Retired"),
        default=False,
        help_text=bilingual(
            "Bản ghi cũ giữ lựa chọn này; bản ghi mới không chọn được.",
            "Old records keep it; new values may not use it.",
        ),
    )
    history = EngineHistoricalRecords(verbose_name=bilingual("Lịch sử lựa chọn", "Choice option history"))

    class Meta:
        verbose_name = bilingual("Lựa chọn", "Choice option")
        verbose_name_plural = bilingual("Lựa chọn", "Choice options")
        ordering = ("field", "order", "code")
        constraints = [models.UniqueConstraint(fields=["field", "code"], name="engine_choiceoption_code")]

    def __str__(self) -> str:
        return f"{self.label_vi} / {self.label_en}"

    def clean(self) -> None:
        if self.field_id and self.field.type != "choice":
            raise ValidationError(
                {"field": "Chỉ trường kiểu lựa chọn mới có danh sách. / Only choice fields have options."}
            )


def _changed(**kwargs: object) -> None:
    from .custom_values import bump

    bump()


for _model in (CustomField, ChoiceOption):
    models.signals.post_save.connect(
        _changed, sender=_model, dispatch_uid=f"custom-bump-save-{_model.__name__}"
    )
    models.signals.post_delete.connect(
        _changed, sender=_model, dispatch_uid=f"custom-bump-del-{_model.__name__}"
    )
