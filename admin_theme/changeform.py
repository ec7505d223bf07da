"""The add and change page: fieldsets, read-only and locked fields, prefilled child rows,
and the engine's refusals shown on the form.

One of the mixins `generator.py` assembles into each entity's admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Script
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from modules.engine import access, assignments, locks, registry
from modules.engine.errors import EngineError, NotFound
from modules.engine.errors import PermissionDenied as EnginePermissionDenied
from modules.engine.i18n import bilingual

from . import custom_fields
from .forms import PROBLEMS_ATTR, SYSTEM_FIELDS, _keep_current_actors
from .lists import _unique


class ChangeFormMixin:
    """Part of every generated admin (`generator.EngineAdminMixin`); `self.entity` is its entity."""

    def prefill_rows(self, request: HttpRequest, spec: Any) -> list[dict[str, Any]]:
        """The add form's first rows of a `prefill_from` table: the chosen linked record's rows,
        read under the viewer's scope (a record they may not see gives nothing)."""
        if spec is None or not spec.prefill_from or request.method != "GET":
            return []
        link_name, rows_name = spec.prefill_from.split(".", 1)
        chosen = str(request.GET.get(link_name, ""))
        link = next((f for f in self.entity.fields if f.name == link_name), None)
        if link is None or not chosen.isdigit():
            return []
        target = registry.entity_by_label(link.target)
        record = access.scoped_queryset(request.user, target, "view").filter(pk=int(chosen)).first()
        source = next((f for f in target.fields if f.name == rows_name), None)
        if record is None or source is None:
            return []
        names = {c.name for c in source.columns}
        shared = [c.name for c in spec.columns if c.kind != "file" and c.name in names]
        return [{name: getattr(row, name) for name in shared} for row in getattr(record, rows_name).all()]

    def get_formset_kwargs(self, request: HttpRequest, obj: Any, inline: Any, prefix: str) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is None or obj.pk is None:
            rows = self.prefill_rows(request, getattr(inline, "onemst_spec", None))
            if rows:
                kwargs["initial"] = rows
        return kwargs

    @property
    def media(self) -> forms.Media:
        media = super().media
        links = sorted({f.prefill_from.split(".")[0] for f in self.entity.fields if f.prefill_from})
        if links:
            media += forms.Media(js=[Script("admin_theme/prefill.js", **{"data-links": ",".join(links)})])
        return media

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """A computed child table (a tracking sheet, a timeline) is empty before the first save."""
        inlines = super().get_inline_instances(request, obj)
        if obj is None:
            inlines = [i for i in inlines if not getattr(getattr(i, "onemst_spec", None), "computed", False)]
        return inlines

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        computed = [f.name for f in self.entity.fields if f.computed and f.kind != "children"]
        if self.entity.shared_in_states:
            computed.append("is_shared")  # follows the workflow state
        if obj is None:
            return tuple(computed)
        fields: list[str] = [*computed]
        if self.entity.numbering:
            fields.append("number")
        if self.entity.workflow:
            fields.append("state")
        children = {f.name for f in self.entity.fields if f.kind == "children"}  # inlines lock themselves
        fields += [name for name in self.locked_fields(request, obj) if name not in children]
        return tuple(_unique([*fields, *SYSTEM_FIELDS]))

    def locked_fields(self, request: HttpRequest, obj: Any) -> tuple[str, ...]:
        """The fields this user may not change on `obj` in its stored state (`Entity.locks`)."""
        if obj is None or obj.pk is None or not self.entity.locks:
            return ()
        return locks.locked_for(self.entity, request.user, obj.state)

    def _refuse_locked_post(self, request: HttpRequest, object_id: str | None) -> None:
        """A POST that carries a locked field (the page shows it read-only) is refused whole."""
        if request.method != "POST" or object_id is None:
            return
        obj = self._visible(request, object_id)
        widgets = ("", "_0", "_1", "-clear")  # a plain input, a split date-time, a file's "clear" box
        sent = [
            name
            for name in self.locked_fields(request, obj)
            if any(f"{name}{suffix}" in request.POST for suffix in widgets)
        ]
        if sent:
            locks.refuse(self.entity, sent, obj.state)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[tuple[Any, dict[str, Any]]]:
        entity = self.entity
        # a computed field has no value before the first save: the add form leaves it out
        main = [f.name for f in entity.fields if f.kind != "children" and not (obj is None and f.computed)]
        head = []
        if obj is not None:
            if entity.numbering:
                head.append("number")
            if entity.workflow:
                head.append("state")
        fieldsets: list[tuple[Any, dict[str, Any]]] = []
        if head:
            fieldsets.append((None, {"fields": [tuple(head)]}))
        fieldsets.append((None if not head else bilingual("Nội dung", "Details"), {"fields": main}))
        scope = []
        if entity.unit_scoped:
            scope.append("owner_unit")
        if entity.shareable:
            scope.append("is_shared")
        if scope:
            fieldsets.append((bilingual("Phạm vi", "Scope"), {"fields": scope}))
        fieldsets.extend(custom_fields.fieldsets(entity, request.user))  # administrator-added fields
        if obj is not None:
            fieldsets.append(
                (
                    bilingual("Thông tin bản ghi", "Record information"),
                    {"fields": [("version",), ("created_by", "created_at"), ("updated_by", "updated_at")]},
                )
            )
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = custom_fields.form_class(self.entity, request.user, kwargs.get("form", self.form))
        form = super().get_form(request, obj, change=change, **kwargs)
        form.onemst_entity = self.entity
        form.onemst_request = request
        if obj is not None:
            _keep_current_actors(self.entity, form, obj)
        return form

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        if self.entity.unit_scoped and "owner_unit" not in initial:
            unit_id = access.directory().unit_id_of(request.user)
            if unit_id is not None:
                initial["owner_unit"] = unit_id
        for name, value in assignments.initial_actors(self.entity, request.user).items():
            initial.setdefault(name, value)
        return initial

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {
            "onemst_history_label": bilingual("Lịch sử", "History"),
            "onemst_permissions_label": bilingual("Quyền trên bản ghi", "Object permissions"),
            **(extra_context or {}),
        }
        if object_id is not None:
            obj = self._visible(request, object_id)
            extra_context["onemst_can_manage_grants"] = obj is not None and self.may_manage_grants(
                request, obj
            )
            if obj is not None and self.entity.hooks.admin_links:
                extra_context["onemst_links"] = self.entity.hooks.admin_links(obj, request.user)
            if obj is not None and request.method == "GET" and self.entity.hooks.audit_read:
                self.entity.hooks.audit_read(obj, request.user, "admin")
        try:
            self._refuse_locked_post(request, object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EngineError as exc:
            return self._changeform_after_error(request, object_id, form_url, extra_context, exc)

    def _changeform_after_error(
        self,
        request: HttpRequest,
        object_id: str | None,
        form_url: str,
        extra_context: dict[str, Any],
        exc: EngineError,
    ) -> HttpResponse:
        """The write was refused and rolled back: show the form again with the engine's reasons."""
        if isinstance(exc, EnginePermissionDenied):
            raise DjangoPermissionDenied(exc.message) from exc
        if isinstance(exc, NotFound) or request.method != "POST" or hasattr(request, PROBLEMS_ATTR):
            messages.error(request, exc.message)
            return HttpResponseRedirect(self._changelist_url())
        setattr(request, PROBLEMS_ATTR, exc.problems)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EngineError as again:
            messages.error(request, again.message)
            return HttpResponseRedirect(self._changelist_url())

    def _changelist_url(self) -> str:
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")

    def _change_url(self, pk: Any) -> str:
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[pk])
