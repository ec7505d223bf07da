"""Object grants (guardian) in the admin, reinforced by the engine's visibility rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest

from modules.engine import registry

from .forms import _valid_pk
from .pickers import GroupSelectForm


class ObjectGrantsAdminMixin:
    """guardian's object grants pages, opened only to whoever may manage grants on a visible row."""

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
