"""Pickers that name people by their full name, not their login.

A user link's select (and the selected item of its autocomplete) labels each account with
`engine.display` names, read for the whole list in one query; the admin's autocomplete
answers with the same names, and the user admin is searched by full name too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from guardian.admin import GroupManage

from modules.engine.display import display_names
from modules.engine.i18n import bilingual


class _NamesMixin:
    """Labels accounts with the people's full names, read once per field."""

    _names: dict[Any, str] | None = None

    def label_from_instance(self, obj: Any) -> str:
        if self._names is None or obj.pk not in self._names:
            queryset = getattr(self, "queryset", None)
            ids = list(queryset.values_list("pk", flat=True)[:2000]) if queryset is not None else []
            self._names = display_names([*ids, obj.pk])
        return self._names.get(obj.pk) or obj.get_full_name() or obj.get_username()


class PersonChoiceField(_NamesMixin, forms.ModelChoiceField):
    """A link to a user account, labelled by the person's full name."""


class PersonMultipleChoiceField(_NamesMixin, forms.ModelMultipleChoiceField):
    """Links to user accounts, labelled by the people's full names."""


def is_user_link(db_field: Any) -> bool:
    return getattr(db_field, "related_model", None) is get_user_model()


class PersonAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, with user accounts named by full name."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        objects = list(context["object_list"])
        self._names = {}
        if objects and isinstance(objects[0], get_user_model()):
            self._names = display_names([o.pk for o in objects])
        return context

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, Any]:
        result = super().serialize_result(obj, to_field_name)
        name = getattr(self, "_names", {}).get(obj.pk)
        if name:
            result["text"] = name
        return result


def install(site: Any) -> None:
    """Serve the site's /autocomplete/ with the names view (keeps the site's own checks)."""

    def autocomplete_view(request: HttpRequest) -> HttpResponse:
        return PersonAutocompleteJsonView.as_view(admin_site=site)(request)

    site.autocomplete_view = autocomplete_view


class GroupSelectForm(GroupManage):
    """guardian's group picker on the object-permission page, with a label (it has none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].label = bilingual("Tên nhóm (vai trò)", "Group name (role)")
