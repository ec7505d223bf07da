"""The change form of a custom-field definition: the version it was opened at (so a second
administrator's save over a newer state is refused, naming who changed it and when), the
roles that may see and change it as tick boxes of the declared roles, and a confirmation
step listing what the edit breaks for API clients before it is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget

from modules.engine import custom_definitions
from modules.engine.custom_models import CustomField
from modules.engine.custom_values import Option
from modules.engine.i18n import bilingual
from modules.engine.roles import declared_roles

BREAKS = "Thay đổi này làm hỏng các client API: / This change breaks API clients:"
CONFIRM = bilingual("Tôi hiểu, vẫn lưu thay đổi", "I understand, save anyway")


def posted_options(data: Any, prefix: str = "options") -> tuple[Option, ...] | None:
    """The choice options as the inline posts them (kept or retired, deleted ones left out),
    or None when the form came without the inline (the saved options then)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except (TypeError, ValueError):
        return None
    found = []
    for i in range(total):
        code = (data.get(f"{prefix}-{i}-code") or "").strip()
        if not code or data.get(f"{prefix}-{i}-DELETE"):
            continue
        found.append(
            Option(
                code,
                data.get(f"{prefix}-{i}-label_vi", ""),
                data.get(f"{prefix}-{i}-label_en", ""),
                bool(data.get(f"{prefix}-{i}-retired")),
            )
        )
    return tuple(found)


NOT_A_ROLE = "“%(value)s” không phải một vai trò. / “%(value)s” is not a role."


def _role_choices() -> list[tuple[str, str]]:
    """The declared roles by name (Vietnamese first), read when the form is built."""
    return [(code, bilingual(label_vi, label_en)) for code, label_vi, label_en in declared_roles()]


def roles_field(name: str) -> forms.MultipleChoiceField:
    """Tick boxes of the declared roles instead of typed JSON; an unknown code is refused on
    its own field (and again by the model's `check_roles`, for any other caller)."""
    model_field = CustomField._meta.get_field(name)
    return forms.MultipleChoiceField(
        label=model_field.verbose_name,
        help_text=model_field.help_text,
        choices=_role_choices,
        required=False,
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        error_messages={"invalid_choice": NOT_A_ROLE, "invalid_list": custom_definitions.NOT_ROLES},
    )


class DefinitionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    roles_see = roles_field("roles_see")
    roles_change = roles_field("roles_change")
    confirm_breaking = forms.BooleanField(
        label=CONFIRM,
        required=False,
        help_text=bilingual(
            "Chỉ cần khi trang liệt kê các thay đổi làm hỏng client API.",
            "Needed only when the page lists changes that break API clients.",
        ),
    )

    class Meta:
        model = CustomField
        fields = (
            "entity", "code", "label_vi", "label_en", "help_vi", "help_en", "type", "target", "required",
            "default", "order", "roles_see", "roles_change", "in_list", "in_filter", "in_search", "archived",
            "version",
        )  # fmt: skip

    reverting = False  # set on the history's "revert to this version" form

    def clean_version(self) -> int:
        """The version the page was opened at (a new field starts at 1). A revert from the
        history is a decision over the current state: it takes the version saved now."""
        if self.reverting and self.instance.pk:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            return current.values_list("version", flat=True).first() or 1
        given = self.cleaned_data.get("version")
        return given if given else (self.instance.version if self.instance.pk else 1)

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the edit; the model's checks have run
        if self.errors or not self.instance.pk or self.cleaned_data.get("confirm_breaking"):
            return
        options = posted_options(self.data) if self.instance.type == "choice" else ()
        changes = custom_definitions.breaking_changes(self.instance, options)
        if changes:
            listing = format_html_join("", "<li>{}</li>", ((c.description,) for c in changes))
            self.add_error(
                "confirm_breaking",
                ValidationError(format_html("{} <ul>{}</ul>", BREAKS, listing), code="BREAKING"),
            )


class DefinitionAdminMixin:
    """Marks the history's revert form, whose page shows an old version on purpose."""

    def history_form_view(
        self, request: Any, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        request.onemst_reverting = True
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def get_form(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)  # type: ignore[misc]
        if getattr(request, "onemst_reverting", False):
            form = type("RevertDefinitionForm", (form,), {"reverting": True})
        return form
