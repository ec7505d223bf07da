"""Role permissions in one query instead of Django's two.

Every permission-filtered request asks for the user's role permissions once;
Django's ModelBackend reads user and group permissions with a query each. This
backend reads both in one, keeps the result across requests (`authcache`, until
a group, permission or user changes) and fills the same per-object cache
(`_perm_cache`), so `user.has_perm` and everything built on it behave as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from .authcache import remembered


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            kind = "perms:all" if user_obj.is_superuser else "perms"
            user_obj._perm_cache = remembered(user_obj, kind, lambda: _read_permissions(user_obj))
        return user_obj._perm_cache


def _read_permissions(user: Any) -> set[str]:
    if user.is_superuser:
        permissions = Permission.objects.all()
    else:
        permissions = Permission.objects.filter(Q(user=user) | Q(group__user=user))
    rows = permissions.values_list("content_type__app_label", "codename").distinct()
    return {f"{app}.{code}" for app, code in rows}
