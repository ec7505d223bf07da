"""The generated admin's forms: the change form, scoped link pickers and child-row inlines.

Every form writes through the engine (`services.save_record`), so its checks are the API's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import ForeignKey
from django.http import HttpRequest
from unfold.admin import TabularInline

from admin_theme.errors import LineErrorList
from modules.engine import access, assignments, registry, services
from modules.engine.definitions import Entity
from modules.engine.errors import FieldProblem, InvalidInput, StaleVersion

from .pickers import PersonChoiceField, PersonMultipleChoiceField, is_user_link

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
