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
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.db.models import DateField, ForeignKey
from django.forms import Script
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import (
    ChoicesDropdownFilter,
    RangeDateFilter,
    RangeDateTimeFilter,
    RelatedDropdownFilter,
)
from unfold.decorators import action, display
from unfold.enums import ActionVariant
from unfold.widgets import UnfoldAdminTextareaWidget

from admin_theme.errors import LineErrorList
from modules.engine import access, assignments, locks, registry, services
from modules.engine import search as engine_search
from modules.engine.definitions import USER, Entity, Transition
from modules.engine.errors import EngineError, FieldProblem, InvalidInput, NotFound, StaleVersion
from modules.engine.errors import PermissionDenied as EnginePermissionDenied
from modules.engine.factory import child_model_name
from modules.engine.i18n import bilingual

from .columns import ReadableColumnsMixin, readable_columns
from .export import ScopedExportMixin
from .history import ReadableHistoryMixin
from .pickers import GroupSelectForm, PersonChoiceField, PersonMultipleChoiceField, is_user_link

SYSTEM_FIELDS = ("version", "created_at", "created_by", "updated_at", "updated_by")
PROBLEMS_ATTR = "_onemst_admin_problems"
CAN_CACHE_ATTR = "_onemst_admin_can"


# --- small helpers -------------------------------------------------------------------


def _valid_pk(value: Any) -> str | None:
    """The primary key from a URL part, or None when it cannot be one (never a 500)."""
    text = unquote(str(value)) if value is not None else ""
    return text if text.isdigit() else None


def _problem_text(problem: FieldProblem, labels: dict[str, str] | None = None) -> str:
    """A problem about no visible field, prefixed with the field's label when it helps."""
    if not problem.field or problem.field in ("version", "comment"):
        return problem.message
    label = (labels or {}).get(problem.field, problem.field)
    return f"{label}: {problem.message}"


def _target_entity(db_field: models.Field) -> Entity | None:
    related = getattr(db_field, "related_model", None)
    return registry.entity_for(related) if related is not None else None


def _owner_unit_queryset(user: Any) -> models.QuerySet:
    """Units a user may assign records to: their unit and sub-units (every unit when None)."""
    unit_model = apps.get_model(settings.ONEMST_UNIT_MODEL)
    units = access.directory().visible_unit_ids(user)
    queryset = unit_model._default_manager.all()
    return queryset if units is None else queryset.filter(pk__in=sorted(units))


def _declared_field(entity: Entity | None, name: str) -> Any:
    if entity is None:
        return None
    return next((f for f in entity.fields if f.name == name), None)


def _keep_current_actors(entity: Entity, form: Any, obj: Any) -> None:
    """An actor picker also offers the value the record holds: editing a task someone else
    assigned must not ask the editor to change "assigned by" (the engine judges changes)."""
    for spec in entity.fields:
        field = form.base_fields.get(spec.name)
        current = getattr(obj, f"{spec.name}_id", None) if spec.actor else None
        if field is None or current is None or not hasattr(field, "queryset"):
            continue
        model = field.queryset.model
        field.queryset = model._default_manager.filter(
            models.Q(pk__in=field.queryset.values("pk")) | models.Q(pk=current)
        )


def _link_queryset(user: Any, db_field: models.Field, owner_entity: Entity | None) -> models.QuerySet | None:
    """The rows a link field may offer, or None to keep Django's default."""
    if owner_entity is not None and owner_entity.unit_scoped and db_field.name == "owner_unit":
        return _owner_unit_queryset(user)
    spec = _declared_field(owner_entity, db_field.name)
    if spec is not None and spec.actor:  # "assigned by": the user, or a leader they record for
        choices = assignments.actor_choices(user, spec)
        if choices is not None:
            return choices
    target = _target_entity(db_field)
    if target is not None:
        return access.scoped_queryset(user, target, "view")
    return None


class ScopedLinkFieldsMixin:
    """Link and multi-link fields only offer rows the user may see."""

    entity: Entity | None = None

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            queryset = _link_queryset(request.user, db_field, self._owning_entity(db_field))
            if queryset is not None:
                kwargs["queryset"] = queryset
        if is_user_link(db_field):
            kwargs.setdefault("form_class", PersonChoiceField)  # people by full name
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if "queryset" not in kwargs:
            queryset = _link_queryset(request.user, db_field, None)
            if queryset is not None:
                kwargs["queryset"] = queryset
        if is_user_link(db_field):
            kwargs.setdefault("form_class", PersonMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _owning_entity(self, db_field: models.Field) -> Entity | None:
        return registry.entity_for(db_field.model)


class ScopedRelatedFilter(RelatedDropdownFilter):
    """A link filter whose choices are only the target rows the user may see."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        target = _target_entity(field)
        if target is None:
            return super().field_choices(field, request, model_admin)
        return [(o.pk, str(o)) for o in access.scoped_queryset(request.user, target, "view")]


# --- the form ------------------------------------------------------------------------


class EngineModelForm(forms.ModelForm):
    """The change form of an entity: carries the version it loaded and runs the hooks."""

    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    onemst_entity: Entity | None = None
    onemst_request: HttpRequest | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_class", LineErrorList)  # several reasons, several lines
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.initial.get("loaded_version") is None:
            self.initial["loaded_version"] = self.instance.version
        entity = self.onemst_entity
        if entity is None:
            return
        declared = {f.name: f for f in entity.fields}
        for name, field in self.fields.items():
            spec = declared.get(name)
            if spec is not None and spec.kind == "multilink":
                field.required = spec.required
            elif isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                self._keep_current_link(name, field)

    def _keep_current_link(self, name: str, field: forms.ModelChoiceField) -> None:
        """A link to a row the user cannot see stays selectable, so saving does not drop it."""
        if not self.instance.pk:
            return
        try:
            current = getattr(self.instance, self.instance._meta.get_field(name).attname, None)
        except Exception:  # not a model field
            return
        if current is None or field.queryset is None:
            return
        if name != "owner_unit" and registry.entity_for(field.queryset.model) is None:
            return  # not a scoped target: every row is offered already
        if not field.queryset.filter(pk=current).exists():
            model = field.queryset.model
            field.queryset = field.queryset | model._default_manager.filter(pk=current)

    # Labels, to prefix errors that belong to no visible field.
    def _labels(self) -> dict[str, str]:
        labels = {}
        for f in self.instance._meta.get_fields():
            if hasattr(f, "verbose_name"):
                labels[f.name] = str(f.verbose_name)
        return labels

    def add_problem(self, problem: FieldProblem) -> None:
        if problem.field and problem.field in self.fields and problem.field != "loaded_version":
            self.add_error(problem.field, problem.message)
        else:
            self.add_error(None, _problem_text(problem, self._labels()))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk:
            loaded = cleaned.get("loaded_version")
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and loaded != current:
                self.add_error(None, StaleVersion(loaded if loaded is not None else -1, current).message)
        request = self.onemst_request
        for problem in getattr(request, PROBLEMS_ATTR, None) or ():
            self.add_problem(problem)
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        entity = self.onemst_entity
        request = self.onemst_request
        if entity is None or request is None or not entity.hooks.validate:
            return
        errors = entity.hooks.validate(self.instance, request.user) or {}
        for problem in InvalidInput.from_dict(errors).problems:
            self.add_problem(problem)


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=bilingual("Ý kiến", "Comment"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, needs_comment: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("error_class", LineErrorList)  # each missing document on its own line
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = needs_comment
        if needs_comment:
            self.fields["comment"].help_text = bilingual(
                "Bước chuyển này cần ý kiến.", "This transition needs a comment."
            )


# --- inlines ---------------------------------------------------------------------------


class ChildRowsFormSet(forms.BaseInlineFormSet):
    """Runs the entity's `validate_children` over the rows kept, as the API does."""

    onemst_entity: Entity | None = None
    onemst_spec: Any = None
    onemst_user: Any = None

    def clean(self) -> None:
        super().clean()
        entity, spec = self.onemst_entity, self.onemst_spec
        if entity is None or spec is None or any(form.errors for form in self.forms):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        kept.sort(key=lambda form: form.cleaned_data.get("position") or 0)
        rows = [{c.name: form.cleaned_data.get(c.name) for c in spec.columns} for form in kept]
        prefix = f"{spec.name}."
        for problem in services.check_children(entity, self.onemst_user, self.instance, spec, rows):
            parts = (problem.field or "").removeprefix(prefix).split(".")
            if len(parts) == 2 and parts[0].isdigit() and int(parts[0]) < len(kept):
                form = kept[int(parts[0])]
                if parts[1] in form.fields:
                    form.add_error(parts[1], problem.message)
                    continue
            raise forms.ValidationError(problem.message)


class ChildRowsInline(ScopedLinkFieldsMixin, TabularInline):
    """Child rows (a `children` field); permissions follow the parent record.

    A computed child table (`computed=True`) is shown but never edited here.
    """

    extra = 0
    formset = ChildRowsFormSet
    onemst_spec: Any = None
    fk_name = "parent"
    ordering_field = "position"
    hide_ordering_field = True
    hide_title = True  # a child row's title is only its position

    def _parent_admin(self) -> Any:
        return self.admin_site._registry[self.parent_model]

    def _owning_entity(self, db_field: models.Field) -> Entity | None:
        return None  # child rows have no owner unit

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        """On an add form, as many blank rows as the prefilled ones (`Field.prefill_from`)."""
        if obj is None or obj.pk is None:
            rows = self._parent_admin().prefill_rows(request, self.onemst_spec)
            if rows:
                return len(rows)
        return super().get_extra(request, obj, **kwargs)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.onemst_entity = self._parent_admin().entity
        formset.onemst_spec = self.onemst_spec
        formset.onemst_user = request.user
        return formset

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.onemst_spec is not None and self.onemst_spec.computed:
            return False
        parent = self._parent_admin()
        if self.onemst_spec is not None and self.onemst_spec.name in parent.locked_fields(request, obj):
            return False  # the parent's state locks these rows: shown, and posted changes ignored
        return (
            parent.has_change_permission(request, obj)
            if obj is not None
            else parent.has_add_permission(request)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request, obj)


# --- the generated admin ----------------------------------------------------------------


class EngineAdminMixin(ScopedLinkFieldsMixin):
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

    def may_manage_grants(self, request: HttpRequest, obj: Any = None) -> bool:
        """Only superusers, or staff holding the grant-table permissions, edit object grants."""
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        classes = registry.classes_for(self.entity)
        perms = []
        for suffix in ("UserObjectPermission", "GroupObjectPermission"):
            opts = classes[f"{self.entity.name}{suffix}"]._meta
            perms += [
                f"{opts.app_label}.view_{opts.model_name}",
                f"{opts.app_label}.change_{opts.model_name}",
            ]
        if not user.has_perms(perms):
            return False
        return obj is None or self.has_change_permission(request, obj)

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
        if obj is not None:
            fieldsets.append(
                (
                    bilingual("Thông tin bản ghi", "Record information"),
                    {"fields": [("version",), ("created_by", "created_at"), ("updated_by", "updated_at")]},
                )
            )
        return fieldsets

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
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

    # history (simple-history) -----------------------------------------------------------
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

    # object grants (guardian), reinforced ------------------------------------------------
    def obj_perms_manage_view(self, request: HttpRequest, object_pk: str) -> Any:
        self._check_grants_access(request, object_pk)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request: HttpRequest, object_pk: str, user_id: str) -> Any:
        self._check_grants_access(request, object_pk, user_id)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(self, request: HttpRequest, object_pk: str, group_id: str) -> Any:
        self._check_grants_access(request, object_pk, group_id)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)

    def get_obj_perms_group_select_form(self, request: HttpRequest) -> type[forms.Form]:
        return GroupSelectForm  # labelled in the user's language

    def _check_grants_access(self, request: HttpRequest, object_pk: str, *other_ids: str) -> None:
        if any(_valid_pk(value) is None for value in (object_pk, *other_ids)):
            raise Http404
        obj = self._visible(request, object_pk)
        if obj is None:
            raise Http404
        if not self.may_manage_grants(request, obj):
            raise DjangoPermissionDenied

    # workflow transitions ----------------------------------------------------------------
    def may_fire(self, request: HttpRequest, transition: Transition, object_id: Any = None) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if object_id is None:
            return user.is_superuser or access.has_role_permission(
                user, self.entity, f"transition:{transition.name}"
            )
        obj = self._visible(request, object_id)
        if obj is None or obj.state not in transition.source:
            return False
        return self._can(request, f"transition:{transition.name}", obj)

    def transition_view(self, request: HttpRequest, object_id: str, transition: Transition) -> HttpResponse:
        obj = self._visible(request, object_id)
        if obj is None:
            raise Http404
        change_url = self._change_url(obj.pk)
        label = bilingual(transition.label_vi, transition.label_en)
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            needs_comment=transition.needs_comment,
            initial={"version": obj.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.fire_transition(
                    self.entity,
                    request.user,
                    obj.pk,
                    transition.name,
                    form.cleaned_data["version"],
                    form.cleaned_data["comment"] or "",
                )
            except InvalidInput as exc:
                for problem in exc.problems:
                    form.add_error("comment" if problem.field == "comment" else None, problem.message)
            except EnginePermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except EngineError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(change_url)
            else:
                state = self.entity.workflow.state(transition.target)
                messages.success(
                    request,
                    bilingual(
                        f"Đã thực hiện «{transition.label_vi}» cho {obj}; trạng thái: {state.label_vi}.",
                        f"“{transition.label_en}” done for {obj}; state: {state.label_en}.",
                    ),
                )
                still_visible = self.get_queryset(request).filter(pk=obj.pk).exists()
                return HttpResponseRedirect(change_url if still_visible else self._changelist_url())
        context = {
            **self.admin_site.each_context(request),
            "title": label,
            "subtitle": str(obj),
            "opts": self.model._meta,
            "app_label": self.model._meta.app_label,
            "original": obj,
            "transition": transition,
            "transition_label": label,
            "source_label": _state_label(self.entity, obj.state),
            "target_label": _state_label(self.entity, transition.target),
            "form": form,
            "change_url": change_url,
            "cancel_label": bilingual("Huỷ", "Cancel"),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin_theme/transition_form.html", context)


def _state_label(entity: Entity, code: str) -> str:
    state = entity.workflow.state(code)
    return bilingual(state.label_vi, state.label_en)


def _transition_members(transition: Transition) -> dict[str, Any]:
    """The action method (one button) and its permission check for one transition."""
    name = f"transition_{transition.name}"

    def check(self: EngineAdminMixin, request: HttpRequest, object_id: Any = None) -> bool:
        return self.may_fire(request, transition, object_id)

    def view(self: EngineAdminMixin, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.transition_view(request, object_id, transition)

    view.__name__ = view.__qualname__ = name
    check.__name__ = check.__qualname__ = f"has_{name}_permission"
    button = action(
        description=bilingual(transition.label_vi, transition.label_en),
        url_path=f"transition/{transition.name}",
        permissions=[name],
        icon="undo" if transition.needs_comment else "arrow_forward",
        variant=ActionVariant.PRIMARY,
    )(view)
    return {name: button, f"has_{name}_permission": check}


def _state_badge(entity: Entity) -> Any:
    """The workflow state as a coloured label: initial blue, final green, others orange."""
    workflow = entity.workflow
    variants = {
        s.code: "success" if s.final else "info" if s.code == workflow.initial else "warning"
        for s in workflow.states
    }

    def state_badge(self: Any, obj: Any) -> tuple[str, str]:
        return obj.state, obj.get_state_display()

    return display(description=bilingual("Trạng thái", "State"), ordering="state", label=variants)(
        state_badge
    )


def _searchable_target(target: str | None) -> bool:
    """Whether a link target's admin can serve autocomplete (it has search fields)."""
    if target in (USER, "auth.Group"):
        return True
    try:
        entity = registry.entity_by_label(target or "")
    except (KeyError, StopIteration, ValueError):
        return False
    return bool(entity.search_fields or entity.numbering or any(f.searchable for f in entity.fields))


def _list_filter_for(model: type[models.Model], name: str) -> Any:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return name
    if isinstance(field, ForeignKey):
        return (name, ScopedRelatedFilter)
    if getattr(field, "choices", None):
        return (name, ChoicesDropdownFilter)
    if isinstance(field, DateField):  # DateTimeField is a DateField too; both use a range
        return (name, RangeDateTimeFilter if isinstance(field, models.DateTimeField) else RangeDateFilter)
    return name


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def admin_attrs(entity: Entity) -> dict[str, Any]:
    """The class attributes of one entity's admin."""
    model = registry.model_for(entity)
    classes = registry.classes_for(entity)

    display = list(entity.list_display) or [entity.title_field or "__str__"]
    if entity.numbering:
        display.insert(0, "number")
    if entity.workflow:
        display.append("state_badge")
    if entity.unit_scoped:
        display.append("owner_unit")
    display = _unique(display)

    filters = [
        *entity.list_filter,
        *(f.name for f in entity.fields if f.filterable and f.kind != "multilink"),
    ]
    if entity.workflow:
        filters.append("state")
    if entity.unit_scoped:
        filters.append("owner_unit")
    filters = _unique(filters)

    search = [*entity.search_fields, *(f.name for f in entity.fields if f.searchable)]
    if entity.numbering:
        search.insert(0, "number")
    search = _unique(search)

    inlines = []
    for spec in entity.fields:
        if spec.kind != "children":
            continue
        child = classes[child_model_name(entity, spec)]
        inlines.append(
            type(
                f"{child.__name__}Inline",
                (ChildRowsInline,),
                {
                    "__module__": __name__,
                    "model": child,
                    "onemst_spec": spec,
                    "fields": ["position", *(c.name for c in spec.columns)],
                    "verbose_name": bilingual(spec.label_vi, spec.label_en),
                    "verbose_name_plural": bilingual(spec.label_vi, spec.label_en),
                },
            )
        )

    select_related = [
        name for name in display if name != "__str__" and isinstance(_safe_field(model, name), ForeignKey)
    ]
    columns, column_methods = readable_columns(model, display)  # 14 not 14,0000; names not logins
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "entity": entity,
        "list_display": columns,
        "list_display_links": [columns[0]],
        **column_methods,
        "list_filter": [_list_filter_for(model, name) for name in filters],
        "search_fields": search,
        "list_select_related": select_related or False,
        "inlines": inlines,
        "autocomplete_fields": [
            f.name for f in entity.fields if f.kind in ("link", "multilink") and _searchable_target(f.target)
        ],
        "actions_detail": [],
    }
    if entity.workflow:
        attrs["state_badge"] = _state_badge(entity)
        for transition in entity.workflow.transitions:
            attrs.update(_transition_members(transition))
        attrs["actions_detail"] = [f"transition_{t.name}" for t in entity.workflow.transitions]
    return attrs


def _safe_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def build_admin(entity: Entity) -> type:
    """A ModelAdmin class for one entity: Unfold + simple-history + guardian + the engine rules."""
    history = (ReadableHistoryMixin, SimpleHistoryAdmin) if entity.history else ()
    export = (ScopedExportMixin,)  # XLSX / CSV of the list as shown (export.py)
    bases = (*export, EngineAdminMixin, ReadableColumnsMixin, GuardedModelAdminMixin, *history, ModelAdmin)
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
