"""The public petition page `/kien-nghi/`: file a petition, read the published answers. No log-in.

Field errors are shown beside each field with a 400; the allowance per address is the
same as the GraphQL intake's (429 when spent).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from modules.engine.errors import EngineError, problems_by_field
from modules.engine.ratelimit import RateLimited

from . import rules
from .api import file_petition, published

FIELDS = (
    "kind",
    "content_type",
    "petitioner_name",
    "address",
    "phone",
    "email",
    "subject",
    "content",
    "proposal",
    "related_rule",
)


@require_http_methods(["GET", "POST"])
def petition_view(request: HttpRequest) -> HttpResponse:
    context = {
        "types": rules.CONTENT_TYPES,
        "kinds": rules.KINDS,
        "values": {},
        "errors": {},
        "general": [],
        "filed": None,
    }
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in FIELDS}
        context["values"] = values
        try:
            petition = file_petition(
                {k: v for k, v in values.items() if v}, request.META.get("REMOTE_ADDR", "")
            )
        except RateLimited as exc:
            context["general"], status = [exc.message], 429
        except EngineError as exc:
            context["errors"], context["general"] = problems_by_field(exc)
            status = 400
        else:
            context["filed"], context["values"] = petition, {}
    context["published"] = published(20)
    return render(request, "petitions/petition.html", context, status=status)
