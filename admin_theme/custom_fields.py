"""Custom fields in the admin: their definitions (platform administrators only, audited) and,
on each entity's change form, one typed form field per active custom field.

A field the user may see but not change is shown disabled; one they may not see is left out.
Values go into `instance.custom`, and `services.save_record` judges them as on every path.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin
from unfold import widgets as uw
from unfold.admin import ModelAdmin, TabularInline
from unfold.widgets import UnfoldAdminSelectWidget

from modules.engine import custom_values, registry
from modules.engine.custom_models import ChoiceOption, CustomField
from modules.engine.custom_values import Definition
from modules.engine.definitions import Entity
from modules.engine.i18n import bilingual

from .custom_field_edit import DefinitionAdminMixin, DefinitionForm

PREFIX = "custom."


def _form_field(defn: Definition, current: Any) -> forms.Field:
    options: dict[str, Any] = {
        "label": bilingual(defn.label_vi, defn.label_en),
        "required": defn.required,
        "help_text": bilingual(defn.help_vi, defn.help_en or defn.help_vi) if defn.help_vi else "",
    }
    kind = defn.type
    if kind == "longtext":
        return forms.CharField(widget=uw.UnfoldAdminTextareaWidget, **options)
    if kind == "integer":
        return forms.IntegerField(widget=uw.UnfoldAdminIntegerFieldWidget, **options)
    if kind == "money":
        return forms.IntegerField(min_value=0, widget=uw.UnfoldAdminIntegerFieldWidget, **options)
    if kind == "decimal":
        return forms.DecimalField(
            max_digits=18, decimal_places=6, widget=uw.UnfoldAdminDecimalFieldWidget, **options
        )
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if kind == "datetime":
        return forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **options)
    if kind == "boolean":
        options["required"] = False
        return forms.BooleanField(widget=uw.UnfoldBooleanSwitchWidget, **options)
    if kind == "choice":  # retired options only where the record already holds one
        choices = [("", "—")] + [
            (o.code, bilingual(o.label_vi, o.label_en))
            for o in defn.options
            if not o.retired or o.code == current
        ]
        return forms.ChoiceField(choices=choices, widget=uw.UnfoldAdminSelectWidget, **options)
    if kind in ("link", "person"):  # the linked record's id, checked in scope on save
        return forms.IntegerField(min_value=1, widget=uw.UnfoldAdminIntegerFieldWidget, **options)
    return forms.CharField(max_length=255, widget=uw.UnfoldAdminTextInputWidget, **options)


def _visible(entity: Entity, user: Any) -> tuple[Definition, ...]:
    if not entity.custom_fields:
        return ()
    return custom_values.visible(entity.label, user)


def fieldsets(entity: Entity, user: Any) -> list[tuple[Any, dict[str, Any]]]:
    """A "Custom fields" section on the change form, when there are any to show."""
    names = [PREFIX + d.code for d in _visible(entity, user)]
    return [(bilingual("Trường bổ sung", "Custom fields"), {"fields": names})] if names else []


def form_class(entity: Entity, user: Any, base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`base` with the custom fields this user may see (disabled where they may not change)."""
    defs = _visible(entity, user)
    if not defs:
        return base

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)
        stored = self.instance.custom if isinstance(getattr(self.instance, "custom", None), dict) else {}
        for defn in defs:
            name = PREFIX + defn.code
            if defn.type == "choice":  # a retired option is offered only where the record holds it
                self.fields[name] = _form_field(defn, stored.get(defn.code))
            self.fields[name].disabled = not custom_values.may_change(defn, user)
            self.initial[name] = stored.get(defn.code)

    def _post_clean(self: Any) -> None:
        values = dict(self.instance.custom or {})
        for defn in defs:
            name = PREFIX + defn.code
            if name not in self.cleaned_data or self.fields[name].disabled:
                continue
            value = self.cleaned_data[name]
            if value in ("", None) and defn.code not in values:
                continue  # left empty and never set: nothing to write
            values[defn.code] = value
        custom_values.merge_input(self.instance, values)
        base._post_clean(self)

    # Declared on the class (the admin checks its fieldsets against the form's declared fields).
    attrs: dict[str, Any] = {PREFIX + d.code: _form_field(d, None) for d in defs}
    attrs.update(__init__=__init__, _post_clean=_post_clean, __module__=__name__)
    return type("CustomFieldsForm", (base,), attrs)


# --- the definitions' own admin -------------------------------------------------------


def _entity_choices() -> list[tuple[str, str]]:
    """Every declared entity that takes custom fields, by its Vietnamese name and module."""
    return [
        (e.label, f"{bilingual(e.label_vi, e.label_en)} ({e.label})")
        for e in registry.entities()
        if e.custom_fields
    ]


def _platform_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name="platform_admin").exists()))


class ChoiceOptionInline(TabularInline):
    model = ChoiceOption
    extra = 0
    fields = ("code", "label_vi", "label_en", "order", "retired")


@admin.register(CustomField)
class CustomFieldAdmin(DefinitionAdminMixin, SimpleHistoryAdmin, ModelAdmin):
    """Who may add fields: platform administrators. Every change keeps a history row."""

    list_display = ("label_vi", "entity", "code", "type", "required", "archived", "order")
    list_filter = ("entity", "type", "archived")
    search_fields = ("label_vi", "label_en", "code")
    inlines = (ChoiceOptionInline,)
    form = DefinitionForm  # version check and breaking-change confirmation (custom_field_edit.py)
    fieldsets = (
        (None, {"fields": ("entity", "code", "label_vi", "label_en", "help_vi", "help_en", "version")}),
        (bilingual("Kiểu", "Type"), {"fields": ("type", "target", "required", "default", "order")}),
        (bilingual("Quyền", "Roles"), {"fields": ("roles_see", "roles_change")}),
        (bilingual("Hiển thị", "Display"), {"fields": ("in_list", "in_filter", "in_search", "archived")}),
        (bilingual("Xác nhận", "Confirmation"), {"fields": ("confirm_breaking",)}),
    )

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """The entity is picked by its name from those that take custom fields, not typed."""
        if db_field.name == "entity":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[("", "—"), *_entity_choices()],
                widget=UnfoldAdminSelectWidget,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _platform_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _platform_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive instead: values stay, and come back on restore
