"""One Unfold ModelAdmin per declared entity, built from its definition alone.

Every generated admin:
- reads rows through `access.scoped_queryset` and answers `has_*_permission`
  with `access.can`, so the admin obeys the same rule as GraphQL;
- writes through `services.save_record` / `delete_record` / `fire_transition`
  (numbering, optimistic locking, history and events stay in one place);
- turns engine errors into form errors or messages, never a 500;
- shows workflow transitions as buttons on the change form, the history
  (simple-history) and, for permitted staff, guardian's object grants page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.forms import Script
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from modules.engine import access, assignments, locks, registry, services
from modules.engine import search as engine_search
from modules.engine.definitions import Entity
from modules.engine.errors import EngineError, NotFound
from modules.engine.errors import PermissionDenied as EnginePermissionDenied
from modules.engine.i18n import bilingual

from . import custom_fields, custom_lists
from .columns import ReadableColumnsMixin
from .export import ScopedExportMixin
from .forms import (
    CAN_CACHE_ATTR,
    PROBLEMS_ATTR,
    SYSTEM_FIELDS,
    EngineModelForm,
    ScopedLinkFieldsMixin,
    _keep_current_actors,
    _valid_pk,
)
from .grants import ObjectGrantsAdminMixin
from .history import HistoryGuardMixin, ReadableHistoryMixin
from .lists import _unique, admin_attrs
from .transitions import TransitionsAdminMixin

# --- the generated admin ----------------------------------------------------------------


class EngineAdminMixin(
    TransitionsAdminMixin, ObjectGrantsAdminMixin, HistoryGuardMixin, ScopedLinkFieldsMixin
):
    """Behaviour shared by every generated admin; the class attributes come from the entity."""

    entity: Entity
    form = EngineModelForm
    change_form_template = "admin_theme/change_form.html"
    list_per_page = 50
    list_filter_submit = True
    save_on_top = False

    # rows ---------------------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        return access.scoped_queryset(request.user, self.entity, "view", queryset)

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

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Diacritics ignored both ways: every folded word in the row's `search_text` (engine/search.py)."""
        if not search_term.strip() or not engine_search.columns(self.entity):
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(engine_search.matches(search_term)), False

    def _visible(self, request: HttpRequest, object_id: Any) -> Any:
        pk = _valid_pk(object_id)
        if pk is None:
            return None
        cache = request.__dict__.setdefault("_onemst_admin_objects", {})
        key = (self.entity.label, pk)
        if key not in cache:
            cache[key] = self.get_queryset(request).filter(pk=pk).first()
        return cache[key]

    # permissions ----------------------------------------------------------------------
    def _can(self, request: HttpRequest, action_name: str, obj: Any = None) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        cache = request.__dict__.setdefault(CAN_CACHE_ATTR, {})
        key = (self.entity.label, action_name, getattr(obj, "pk", None))
        if key in cache:
            return cache[key]
        if user.is_superuser:
            allowed = True
        elif obj is None or obj.pk is None:
            allowed = access.has_role_permission(user, self.entity, action_name)
            if not allowed and action_name != "add":
                # no role permission: object grants alone may still open the list
                allowed = access.scoped_queryset(user, self.entity, action_name).exists()
        else:
            allowed = access.can(user, self.entity, action_name, obj)
        cache[key] = allowed
        return allowed

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, "view", obj) or self._can(request, "change", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, "delete", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, "add")

    # form -----------------------------------------------------------------------------
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

    def get_list_display(self, request: HttpRequest) -> Any:
        """The declared columns, then the custom fields flagged for lists that this user may see."""
        return [*super().get_list_display(request), *custom_lists.list_columns(self.entity, request.user)]

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

    # writing ----------------------------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        multilinks: dict[str, list[Any]] = {}
        for spec in self.entity.fields:
            if spec.kind != "multilink" or spec.name not in form.cleaned_data:
                continue
            chosen = list(form.cleaned_data[spec.name] or [])
            if change and obj.pk:
                # links to rows this user cannot see are kept, not silently dropped
                visible = form.fields[spec.name].queryset
                chosen += list(getattr(obj, spec.name).exclude(pk__in=visible.values("pk")))
            multilinks[spec.name] = chosen
        services.save_record(
            self.entity,
            request.user,
            obj,
            created=not change,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            multilinks=multilinks,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # multi-links were written by save_record; only the child rows remain
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_record(self.entity, request.user, obj.pk, obj.version)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            try:
                services.delete_record(self.entity, request.user, obj.pk, obj.version)
            except EngineError as exc:
                messages.error(request, f"{obj}: {exc.problems[0].message if exc.problems else exc.message}")

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except EngineError as exc:
            if isinstance(exc, EnginePermissionDenied):
                raise DjangoPermissionDenied(exc.message) from exc
            for problem in exc.problems:
                messages.error(request, problem.message)
            pk = _valid_pk(object_id)
            return HttpResponseRedirect(self._change_url(pk) if pk else self._changelist_url())


def build_admin(entity: Entity) -> type:
    """A ModelAdmin class for one entity: Unfold + simple-history + guardian + the engine rules."""
    history = (ReadableHistoryMixin, SimpleHistoryAdmin) if entity.history else ()
    export = (ScopedExportMixin,)  # XLSX / CSV of the list as shown (export.py)
    bases = (
        *export,
        custom_lists.CustomFieldsListMixin,  # administrator-added columns, filters and search, per role
        EngineAdminMixin,
        ReadableColumnsMixin,
        GuardedModelAdminMixin,
        *history,
        ModelAdmin,
    )
    return type(f"{entity.name}Admin", bases, admin_attrs(entity))


def register_all(site: Any) -> dict[type[models.Model], type]:
    """Register a generated admin for every declared entity that has none yet."""
    built = {}
    for entity in registry.entities():
        model = registry.model_for(entity)
        if site.is_registered(model):
            continue
        admin_class = build_admin(entity)
        site.register(model, admin_class)
        built[model] = admin_class
    return built
