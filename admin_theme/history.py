"""The record history page (simple-history) in people's words, not Python's.

simple-history shows each change as `field: old → new` with the stored values as
Python prints them (`draft`, `None`, `14.0000`, a user's login). Here a change shows the
field's declared label and each value through `engine.display.format_value`: a choice's
label, "(trống)", 14, 30/11/2026, Có/Không, a link's title, a person's full name.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.text import capfirst
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from modules.engine import access, custom_values, services
from modules.engine.custom_display import label_of, link_names, value_of
from modules.engine.display import display_names, format_date, format_value
from modules.engine.i18n import bilingual

from .forms import _valid_pk

HISTORY_LIST_TEMPLATE = "admin_theme/object_history_list.html"
BOOKKEEPING = {"id", "version", "created_at", "created_by", "updated_at", "updated_by"}


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """Formats one record's changes: declared labels, readable values, nothing left blank."""

    def __init__(self, model: type[models.Model], record: Any, names: dict[Any, str]) -> None:
        super().__init__(model, record)
        self.names = names

    def format_delta_change(self, change: Any) -> Any:
        if isinstance(change, CustomChange):  # already in people's words (custom_changes)
            return change
        field = self.model._meta.get_field(change.field)
        old = _no_link(self.prepare_delta_change_value(change, change.old))
        new = _no_link(self.prepare_delta_change_value(change, change.new))
        old_text, new_text = self.stringify_delta_change_values(
            change, format_value(field, old, self.names), format_value(field, new, self.names)
        )
        return type(change)(field=capfirst(str(field.verbose_name)), old=old_text or "", new=new_text or "")


@dataclasses.dataclass(frozen=True)
class CustomChange(ModelChange):
    """A custom field's change, with its label and values already as people read them."""


def custom_changes(entity: Any, user: Any, old: Any, new: Any) -> list[ModelChange]:
    """The `custom` column's change split per field the user may see (archived ones too:
    their values stay in history), labelled and shown like declared fields; hidden ones
    are left out."""
    if entity is None or not entity.custom_fields:
        return []
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    defs = [
        d
        for d in custom_values.all_definitions(entity.label)
        if custom_values.may_see(d, user) and old.get(d.code) != new.get(d.code)
    ]
    names = link_names(defs, (old, new), user)
    empty = str(bilingual("(trống)", "(empty)"))
    return [
        CustomChange(
            field=label_of(d),
            old=value_of(d, old.get(d.code), names) or empty,
            new=value_of(d, new.get(d.code), names) or empty,
        )
        for d in defs
    ]


def _no_link(value: Any) -> Any:
    """simple-history reports an empty link as a "deleted object" with no key: it is empty."""
    if isinstance(value, DeletedObject) and value.pk is None:
        return None
    return value


def _user_ids_in(model: type[models.Model], records: list[Any]) -> set[Any]:
    """Every account a page of history names: who changed it, and user links in its values."""
    user_model = get_user_model()
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is user_model
    ]
    ids = {r.history_user_id for r in records}
    for record in records:
        ids.update(getattr(record, name, None) for name in fields)
    return {pk for pk in ids if pk is not None}


def _uneditable_changes(old: Any, new: Any) -> list[ModelChange]:
    """Changes of the fields simple-history leaves out because no form edits them: the
    workflow state, the number, computed fields. Bookkeeping columns stay out."""
    changes = []
    for field in new.tracked_fields:
        if field.editable or field.name in BOOKKEEPING or field.primary_key:
            continue
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before == after:
            continue
        if isinstance(field, models.ForeignKey):
            rows = field.related_model._default_manager.in_bulk([v for v in (before, after) if v is not None])
            before, after = rows.get(before), rows.get(after)
        changes.append(ModelChange(field.name, before, after))
    return changes


def _field_order(model: type[models.Model], name: str) -> int:
    """Changes are listed in the form's order, the workflow state first."""
    if name == "state":
        return -1
    names = [f.name for f in model._meta.get_fields()]
    return names.index(name) if name in names else len(names)


def _reason_text(entity: Any, reason: str) -> str:
    """A transition's change reason ("submit: comment") with the transition's label."""
    if not reason or entity is None or entity.workflow is None:
        return reason or ""
    name, _, comment = reason.partition(": ")
    labels = {t.name: bilingual(t.label_vi, t.label_en) for t in entity.workflow.transitions}
    if name not in labels:
        return reason
    return f"{labels[name]}: {comment}" if comment else str(labels[name])


class ReadableHistoryMixin:
    """For a SimpleHistoryAdmin: readable changes and who made them, by full name."""

    object_history_list_template = HISTORY_LIST_TEMPLATE

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Any, foreign_keys_are_objs: bool = True
    ) -> None:
        records = list(historical_records)
        names = display_names(_user_ids_in(self.model, records))
        request._onemst_history_names = names
        for record in records:
            record.onemst_changed_by = (
                names.get(record.history_user_id)
                or (record.history_user and record.history_user.get_username())
                or bilingual("Hệ thống", "System")
            )
            record.onemst_action = record.get_history_type_display()
            record.onemst_date = format_date(record.history_date)
            record.onemst_reason = _reason_text(getattr(self, "entity", None), record.history_change_reason)
        previous = None
        for current in records:
            if previous is not None:
                delta = previous.diff_against(current, foreign_keys_are_objs=foreign_keys_are_objs)
                changes = [*delta.changes, *_uneditable_changes(current, previous)]
                custom = [c for c in changes if c.field == "custom"][:1]
                changes = [c for c in changes if c.field != "custom"]
                changes.sort(key=lambda change: _field_order(self.model, change.field))
                for change in custom:  # after the declared fields, as on the form
                    entity = getattr(self, "entity", None)
                    changes += custom_changes(entity, request.user, change.old, change.new)
                helper = ReadableHistoryHelper(self.model, previous, names)
                previous.history_delta_changes = helper.context_for_delta_changes(
                    SimpleNamespace(changes=changes)
                )
            previous = current

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any) -> Any:
        names = getattr(request, "_onemst_history_names", None) or {}
        return ReadableHistoryHelper(self.model, historical_record, names)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        extra_context = {
            "onemst_history_labels": {
                "object": bilingual("Bản ghi", "Record"),
                "date": bilingual("Thời điểm", "Date/time"),
                "action": bilingual("Thao tác", "Action"),
                "user": bilingual("Người thay đổi", "Changed by"),
                "reason": bilingual("Lý do thay đổi", "Change reason"),
                "changes": bilingual("Nội dung thay đổi", "Changes"),
                "empty": bilingual("(trống)", "(empty)"),
            },
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context)


class HistoryGuardMixin:
    """History pages are read-only and open only for rows the user may see (even deleted ones)."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        if _valid_pk(object_id) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        if _valid_pk(object_id) is None or _valid_pk(version_id) is None:
            raise Http404
        if request.method == "POST":
            raise DjangoPermissionDenied  # reverting would bypass the write path; history is read-only
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_view_history_or_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.pk and not self.model._default_manager.filter(pk=obj.pk).exists():
            # a deleted row: judge by its last values, like a delete event
            user = request.user
            return bool(
                user.is_staff
                and (
                    user.is_superuser
                    or access.row_visible_from_snapshot(user, self.entity, services.snapshot(obj))
                )
            )
        return super().has_view_history_or_change_history_permission(request, obj)
