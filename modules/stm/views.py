"""The module's pages: the two minutes as PDFs, the member's scoring page (phone-sized) and the
council secretary's live screen. Every record comes through `scoped_queryset`: a record the
user may not see is a 404, whatever its id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.http import require_GET

from modules.engine import registry
from modules.engine.access import scoped_queryset

from . import pdfs, scoring


def _visible(request: HttpRequest, name: str, pk: str, action: str = "view") -> Any:
    entity = registry.entity_by_label(f"stm.{name}")
    found = scoped_queryset(request.user, entity, action).filter(pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy. / Not found.")
    return found


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def opening_minutes_view(request: HttpRequest, notice_id: str) -> HttpResponse:
    # a published notice is shared with everyone; its opening minutes are the managing unit's
    notice = _visible(request, "SelectionNotice", notice_id, "change")
    return _pdf(pdfs.opening_minutes(notice, request.user), f"bien-ban-mo-ho-so-{notice.number}.pdf")


@login_required
@require_GET
def council_minutes_view(request: HttpRequest, council_id: str) -> HttpResponse:
    council = _visible(request, "Council", council_id)
    return _pdf(pdfs.council_minutes(council), f"bien-ban-hoi-dong-{council.number}.pdf")


@login_required
@require_GET
def receipt_view(request: HttpRequest, dossier_id: str) -> HttpResponse:
    """The applicant's receipt (`receipt.py`): their own dossier's, once filed."""
    from . import receipt

    dossier = _visible(request, "SelectionDossier", dossier_id)
    if dossier.state == "draft":
        raise Http404("Hồ sơ chưa nộp. / The dossier has not been filed.")
    return _pdf(receipt.receipt(dossier), f"giay-xac-nhan-{dossier.number}.pdf")


REGISTER_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@login_required
@require_GET
def secret_register_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The register of secret tasks (`secret.REGISTER`): only the rows the user is granted."""
    import datetime as dt

    from django.http import HttpResponseBadRequest

    from modules.engine import registers

    from .secret import REGISTER

    try:
        start = dt.date.fromisoformat(request.GET["from"])
        end = dt.date.fromisoformat(request.GET["to"])
    except (KeyError, ValueError):
        start = end = None
    if start is None or end is None or start > end or (end - start).days > 366 * 5:
        return HttpResponseBadRequest(
            "Kỳ không hợp lệ: cần from và to dạng YYYY-MM-DD. / Invalid period: from and to as YYYY-MM-DD.",
            content_type="text/plain; charset=utf-8",
        )
    build = registers.xlsx if fmt == "xlsx" else registers.pdf
    response = HttpResponse(build(REGISTER, request.user, start, end), content_type=REGISTER_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="so-nhiem-vu-mat-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def score_view(request: HttpRequest, council_id: str) -> HttpResponse:
    """A member scores each valid dossier on the grid of the task type (a phone is enough)."""
    council = _visible(request, "Council", council_id)
    expert = registry.model_for("stm.Expert").objects.filter(account=request.user).first()
    dossiers = scoped_queryset(request.user, registry.entity_by_label("stm.SelectionDossier")).filter(
        notice_id=council.notice_id, state="valid"
    )
    grid = scoring.GRIDS[council.notice.task_type]
    config = {
        "csrf": get_token(request),
        "council": council.pk,
        "expert": expert.pk if expert else None,
        "grid": [{"code": c, "vi": vi, "en": en, "max": top} for c, vi, en, top in grid],
        "dossiers": [{"id": d.pk, "number": d.number, "title": d.title} for d in dossiers.order_by("id")],
    }
    return render(request, "stm/score.html", {"council": council, "config": config})


@login_required
@require_GET
def live_view(request: HttpRequest, council_id: str) -> HttpResponse:
    """The secretary's screen: ballots arriving, and the result once the last one is in."""
    council = _visible(request, "Council", council_id)
    config = {"csrf": get_token(request), "endpoint": "/graphql/", "council": council.pk}
    return render(request, "stm/live.html", {"council": council, "config": config})
