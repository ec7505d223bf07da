"""The acceptance council's minutes as a PDF (`acceptance_pdf.py`), served through
`scoped_queryset` like the selection council's: a council the user may not see is a 404,
whatever its id (the host organisation and another province alike)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from . import acceptance_pdf
from .views import _pdf, _visible


@login_required
@require_GET
def acceptance_minutes_view(request: HttpRequest, council_id: str) -> HttpResponse:
    council = _visible(request, "AcceptanceCouncil", council_id)
    return _pdf(acceptance_pdf.acceptance_minutes(council), f"bien-ban-nghiem-thu-{council.number}.pdf")
