"""The admin site: one generated admin per declared entity, API tokens, users and roles.

Django autodiscovers this module after every app's models are built, so the
registry already holds every declared entity.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.decorators import action, display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from modules.engine import registry
from modules.engine.i18n import bilingual
from modules.engine.models import ApiToken

from . import autocomplete, custom_fields, outbox, pickers  # noqa: F401  (custom_fields, outbox: admins)
from .generator import register_all

# The dashboard (see dashboard.py). Unfold ships its own `admin/index.html` and is
# listed first in INSTALLED_APPS, so ours is named explicitly instead of shadowing it.
admin.site.index_template = "admin_theme/index.html"

register_all(admin.site)
pickers.install(admin.site)  # autocomplete names people by full name
autocomplete.install(admin.site)  # ... and answers under the engine's rule (services.link_choices)


# --- API tokens ---------------------------------------------------------------------


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    """Issue and revoke personal API tokens; the secret is shown once and only its hash is kept."""

    list_display = ("name", "prefix_display", "user", "read_only", "expires_at", "revoked", "last_used_at")
    list_filter = ("read_only", "revoked_at", "expires_at")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["user", "name", "read_only", "expires_at"]
        return [
            "user", "name", "read_only", "prefix", "expires_at", "created_at", "last_used_at", "revoked_at"
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("user", "read_only", "prefix", "created_at", "last_used_at", "revoked_at")

    @display(description=bilingual("Tiền tố", "Prefix"), ordering="prefix")
    def prefix_display(self, obj: ApiToken) -> str:
        return format_html("<code>{}…</code>", obj.prefix)

    @display(description=bilingual("Đã thu hồi", "Revoked"), boolean=True, ordering="revoked_at")
    def revoked(self, obj: ApiToken) -> bool:
        return obj.revoked_at is not None

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name", "expires_at"])
            return
        token, raw = ApiToken.issue(obj.user, obj.name, expires_at=obj.expires_at, read_only=obj.read_only)
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        obj._state.db = token._state.db
        messages.success(
            request,
            format_html(
                "{} <code>{}</code>",
                bilingual(
                    "Mã truy cập mới (chỉ hiển thị một lần, hãy lưu lại ngay):",
                    "New token (shown only once, copy it now):",
                ),
                raw,
            ),
        )

    @action(description=bilingual("Thu hồi các mã đã chọn", "Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, bilingual(f"Đã thu hồi {count} mã.", f"Revoked {count} token(s)."))


# --- users and roles: Unfold's look ----------------------------------------------------

for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Also finds an account by its person's full name (pickers show that name)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            named = registry.model_for("org.Person").objects.filter(full_name__icontains=search_term.strip())
            results = results | queryset.filter(pk__in=named.values("user_id"))
        return results, may_have_duplicates


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass
