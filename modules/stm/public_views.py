"""The citizen's page of published acceptance dossiers (`/stm/cong-khai/`): no log-in, only
what `public.py` lets out, and rate-limited per client address like the one-stop shop's
public lookup (engine/ratelimit.py): past the allowance, a 429 with the reason."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from modules.engine import workdays
from modules.engine.ratelimit import RateLimited, check_rate

from . import public

GROUP = "stm.public"


@require_GET
def public_page(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    context = {"search": search, "dossiers": [], "error": None, "today": workdays.today()}
    try:
        check_rate(GROUP, request.META.get("REMOTE_ADDR", ""), getattr(settings, "STM_PUBLIC_RATE", "30/m"))
    except RateLimited as exc:
        context["error"] = exc.message
        return render(request, "stm/public.html", context, status=429)
    context["dossiers"] = public.published(context["today"], search)
    response = render(request, "stm/public.html", context)
    response["Cache-Control"] = "no-store"  # a dossier leaves the page on its 61st day
    return response
