"""Each person's reminder inbox in the admin: unread first, links to the item, mark as read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from modules.engine import registry

PAGE_SIZE = 100


def _pick(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") else vi


def _inbox(user: Any) -> Any:
    return registry.model_for("reminders.Reminder").objects.filter(recipient_id=user.pk)


@login_required
@require_http_methods(["GET", "POST"])
def inbox_view(request: HttpRequest) -> HttpResponse:
    rows = _inbox(request.user)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
        chosen = rows.filter(read_at__isnull=True)
        if ids:
            chosen = chosen.filter(pk__in=ids)
        chosen.update(read_at=timezone.now())  # only one's own rows are ever touched
        return redirect(reverse("reminders-inbox"))
    show = request.GET.get("show", "unread")
    listed = rows.filter(read_at__isnull=True) if show == "unread" else rows
    context = {
        **admin.site.each_context(request),
        "title": _pick("Hộp nhắc việc", "Reminder inbox"),
        "reminders": listed.order_by("-id")[:PAGE_SIZE],
        "unread": rows.filter(read_at__isnull=True).count(),
        "total": rows.count(),
        "show": show,
    }
    return render(request, "reminders/inbox.html", context)


def sidebar_links(request: HttpRequest) -> list[dict[str, Any]]:
    unread = _inbox(request.user).filter(read_at__isnull=True).count()
    title = _pick("Hộp nhắc việc", "Reminder inbox")
    return [
        {
            "title": f"{title} ({unread})" if unread else title,
            "icon": "notifications",
            "link": reverse("reminders-inbox"),
        }
    ]
