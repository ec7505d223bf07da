"""The admin's `has_*_permission` answered by the engine's rule (`access.can`), once per request.

One of the mixins `generator.py` assembles into each entity's admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from modules.engine import access

from .forms import CAN_CACHE_ATTR


class RolePermissionsMixin:
    """Part of every generated admin (`generator.EngineAdminMixin`); `self.entity` is its entity."""

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
