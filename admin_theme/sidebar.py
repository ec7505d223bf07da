"""The admin sidebar, one group per declared module (Vietnamese labels first)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

from modules.engine import access, registry


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") else vi


def navigation(request: Any) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = [
        {
            "title": _pick("Tổng quan", "Overview"),
            "items": [
                {
                    "title": _pick("Bảng điều khiển", "Dashboard"),
                    "icon": "dashboard",
                    "link": reverse("admin:index"),
                }
            ],
        }
    ]
    for module in registry.modules():
        if module.links is not None and request.user.is_authenticated:
            groups[0]["items"].extend(module.links(request))
    pages = _page_items()
    if pages:
        groups.append({"title": _pick("Bảng theo dõi và trang công khai", "Boards and public pages"),
                       "collapsible": True, "items": pages})
    for module in registry.modules():
        items = []
        for entity in module.entities:
            model = registry.model_for(entity)
            opts = model._meta
            items.append(
                {
                    "title": _pick(entity.plural_vi or entity.label_vi, entity.plural_en or entity.label_en),
                    "icon": module.icon,
                    "link": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                    "permission": lambda request, e=entity: (
                        request.user.is_superuser or access.has_role_permission(request.user, e, "view")
                    ),
                }
            )
        groups.append({"title": _pick(module.name_vi, module.name_en), "collapsible": True, "items": items})
    groups.append(
        {
            "title": _pick("Hệ thống", "System"),
            "collapsible": True,
            "items": [
                {
                    "title": _pick("Tài khoản", "Users"),
                    "icon": "person",
                    "link": reverse("admin:auth_user_changelist"),
                    "permission": lambda request: request.user.has_perm("auth.view_user"),
                },
                {
                    "title": _pick("Vai trò", "Roles"),
                    "icon": "badge",
                    "link": reverse("admin:auth_group_changelist"),
                    "permission": lambda request: request.user.has_perm("auth.view_group"),
                },
                {
                    "title": _pick("Lịch tác vụ định kỳ", "Job schedule"),
                    "icon": "schedule",
                    "link": reverse("admin:django_q_schedule_changelist"),
                    "permission": lambda request: request.user.has_perm("django_q.view_schedule"),
                },
                {
                    "title": _pick("Mã truy cập API", "API tokens"),
                    "icon": "key",
                    "link": reverse("admin:engine_apitoken_changelist"),
                    "permission": lambda request: request.user.has_perm("engine.view_apitoken"),
                },
            ],
        }
    )
    return groups


def _page_items() -> list[dict[str, Any]]:
    """The modules' declared pages; a board shows only to people who may view its entity."""
    items = []
    for module in registry.modules():
        for page in module.pages:
            item: dict[str, Any] = {
                "title": _pick(page.title_vi, page.title_en),
                "icon": page.icon,
                "link": reverse(page.url_name),
            }
            if page.entity is not None:
                entity = module.entity(page.entity)
                item["permission"] = lambda request, e=entity: (
                    request.user.is_superuser or access.has_role_permission(request.user, e, "view")
                )
            items.append(item)
    return items
