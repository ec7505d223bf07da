"""The abstract model every generated entity extends: its standard columns."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from . import search
from .i18n import bilingual


class EngineRecord(models.Model):
    """Standard columns: number, created/updated at and by, and `version`.

    `version` is the optimistic lock: every write must name the version it
    read, and a stale one is refused (see `services.save_record`).
    The owning unit, the shared flag and the workflow state are added by the
    factory only for entities that declare them.
    """

    number = models.CharField(
        bilingual("Số hiệu", "Number"), max_length=60, blank=True, default="", editable=False
    )
    created_at = models.DateTimeField(bilingual("Tạo lúc", "Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(bilingual("Cập nhật lúc", "Updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=bilingual("Người tạo", "Created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=bilingual("Người cập nhật", "Updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(bilingual("Phiên bản", "Version"), default=1, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        entity = type(self)._onemst_entity
        if entity.title_field:
            title = getattr(self, entity.title_field, "")
            if title:
                return f"{self.number} {title}".strip() if self.number else str(title)
        return self.number or f"{entity.name} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refresh the folded search text on every save, whoever saves (engine/search.py)."""
        search.fill(type(self)._onemst_entity, self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and search.columns(type(self)._onemst_entity):
            kwargs["update_fields"] = {*update_fields, search.COLUMN}
        super().save(*args, **kwargs)


class ChildRow(models.Model):
    """A row of an inline table (a `children` field); ordered by `position`."""

    position = models.PositiveIntegerField(bilingual("Thứ tự", "Position"), default=0)

    class Meta:
        abstract = True
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f"#{self.position}"
