"""The public tracking page `/tra-cuu/`: type a dossier code, see its progress, live; no log-in.

The answer is the public view only (`public.py`). A malformed code gets a clear message
(400), an unknown code "not found" (404) whether it is unknown or withheld, and too many
look-ups from one address a 429, counted with the GraphQL query and subscription.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from modules.engine import access, registry
from modules.engine.display import display_name

from . import forms, pdf_forms, pdfs, public, register, rules
from .ratelimits import LookupLimited, check_lookup_rate


@require_GET
def lookup_view(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("ma", "")
    context: dict = {"code": raw.strip(), "dossier": None, "error": None}
    status = 200
    if raw.strip():
        try:
            check_lookup_rate(request.META.get("REMOTE_ADDR", ""))
        except LookupLimited as exc:
            context["error"], status = exc.message, 429
        else:
            code = public.normalise_code(raw)
            context["code"] = code
            if not public.is_well_formed(code):
                context["error"], status = public.MALFORMED, 400
            else:
                context["dossier"] = public.lookup(code)
                if context["dossier"] is None:
                    context["error"], status = public.NOT_FOUND, 404
    return render(request, "onestop/lookup.html", context, status=status)


def _visible_dossier(request: HttpRequest, dossier_id: str) -> Any:
    entity = registry.entity_by_label("onestop.Dossier")
    found = (
        access.scoped_queryset(request.user, entity, "view")
        .select_related("procedure", "received_by")
        .filter(pk=dossier_id)
        .first()
        if dossier_id.isdigit()
        else None
    )
    if found is None:
        raise Http404("Không tìm thấy hồ sơ. / Dossier not found.")
    return found


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def receipt_view(request: HttpRequest, dossier_id: str) -> HttpResponse:
    dossier = _visible_dossier(request, dossier_id)
    if dossier.received_at is None:
        return HttpResponse("Hồ sơ chưa được tiếp nhận. / The dossier has not been accepted.", status=409)
    return _pdf(pdfs.receipt_slip(dossier), f"giay-tiep-nhan-{dossier.number}.pdf")


@login_required
@require_GET
def tracking_view(request: HttpRequest, dossier_id: str) -> HttpResponse:
    dossier = _visible_dossier(request, dossier_id)
    return _pdf(pdfs.tracking_sheet(dossier), f"phieu-kiem-soat-{dossier.number}.pdf")


NOT_YET = {
    "supplement": "Hồ sơ chưa có yêu cầu bổ sung. / No supplement was requested.",
    "refusal": "Hồ sơ không bị từ chối. / The dossier was not refused.",
    "apology": "Hồ sơ chưa hẹn lại. / The dossier was not re-scheduled.",
}
RENDER = {
    "supplement": pdf_forms.supplement_request,
    "refusal": pdf_forms.refusal,
    "apology": pdf_forms.apology,
}
FILE_NAMES = {
    "supplement": "mau-02-yeu-cau-bo-sung",
    "refusal": "mau-03-tu-choi",
    "apology": "mau-04-xin-loi",
}


def _form_view(key: str) -> Any:
    """Mẫu 02 / 03 / 04 of a dossier the user may see; 409 until the form exists."""

    @login_required
    @require_GET
    def view(request: HttpRequest, dossier_id: str) -> HttpResponse:
        dossier = _visible_dossier(request, dossier_id)
        if key not in {form.key for form in forms.available(dossier)}:
            return HttpResponse(NOT_YET[key], status=409, content_type="text/plain; charset=utf-8")
        name = f"{FILE_NAMES[key]}-{dossier.number or dossier.pk}.pdf"
        return _pdf(RENDER[key](dossier), name)

    view.__name__ = f"{key}_view"
    return view


supplement_view = _form_view("supplement")
refusal_view = _form_view("refusal")
apology_view = _form_view("apology")


@login_required
@require_GET
def register_view(request: HttpRequest) -> HttpResponse:
    """/onestop/register.pdf?desk=&from=&to=: the unit's register over a period (this year by default)."""
    from modules.engine import workdays
    from modules.engine.errors import EngineError, NotFound

    today = workdays.today()
    desk = request.GET.get("desk") or access.directory().unit_id_of(request.user) or ""
    try:
        period = register.resolve(
            request.user,
            desk,
            request.GET.get("from") or today.replace(month=1, day=1),
            request.GET.get("to") or today.replace(month=12, day=31),
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except EngineError as exc:
        return HttpResponse(
            " ".join(p.message for p in exc.problems), status=400, content_type="text/plain; charset=utf-8"
        )
    name = f"so-theo-doi-ho-so-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf"
    return _pdf(register.pdf(request.user, period), name)


def admin_links(dossier: Any, user: Any) -> list[dict[str, str]]:
    links = [
        {
            "title": f"{form.title} (Mẫu {form.number_2018})",
            "url": forms.url(dossier, form),
            "icon": form.icon,
        }
        for form in forms.available(dossier)
    ]
    if dossier.desk_id and dossier.receipt_date:
        year = dossier.receipt_date.year
        links.append(
            {
                "title": f"Sổ theo dõi hồ sơ năm {year} (Mẫu 06)",
                "url": reverse("onestop-register")
                + f"?desk={dossier.desk_id}&from={year}-01-01&to={year}-12-31",
                "icon": "menu_book",
            }
        )
    if dossier.received_at is not None:
        if dossier.state in ("accepted", "processing", "payment") and not dossier.rescheduled:
            links.append(
                {
                    "title": "Xin lỗi, hẹn lại (Mẫu 04)",
                    "url": reverse("onestop-reschedule", args=[dossier.pk]),
                    "icon": "event_repeat",
                }
            )
        links.append(
            {
                "title": "Trang tra cứu / Public page",
                "url": reverse("onestop-lookup") + f"?ma={dossier.number}",
                "icon": "travel_explore",
            }
        )
    return links


def board_view(request: HttpRequest) -> HttpResponse:
    """/board/dossiers/: the one-stop counter's screen, live (signed in, or a read-only token)."""
    from modules.engine.boards import page_viewer

    viewer = page_viewer(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    user, client = viewer  # client: how the page's script reaches GraphQL (never a token)
    return render(
        request,
        "onestop/board.html",
        {
            "board_config": {
                **client,
                "states": {state: [vi, en] for state, _n, vi, en in rules.PORTAL_STATUSES},
            },
            "viewer": display_name(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reschedule_view(request: HttpRequest, dossier_id: str) -> HttpResponse:
    """Mẫu 04 in the admin: the apology's reason and the new date, once, a day before the deadline."""
    import datetime as dt

    from django.contrib import admin, messages
    from django.shortcuts import redirect

    from modules.engine.errors import EngineError

    from .api import reschedule

    dossier = _visible_dossier(request, dossier_id)
    context = {
        **admin.site.each_context(request),
        "title": f"Xin lỗi và hẹn lại (Mẫu 04) — {dossier.number}",
        "dossier": dossier,
        "errors": [],
        "values": {"new_date": "", "reason": ""},
    }
    status = 200
    if request.method == "POST":
        values = {"new_date": request.POST.get("new_date", ""), "reason": request.POST.get("reason", "")}
        context["values"] = values
        try:
            new_date = dt.date.fromisoformat(values["new_date"])
        except ValueError:
            context["errors"], status = ["Ngày hẹn mới không hợp lệ. / Invalid new date."], 400
        else:
            try:
                reschedule(
                    request.user, dossier.pk, int(request.POST.get("version", -1)), new_date, values["reason"]
                )
            except EngineError as exc:
                context["errors"], status = [p.message for p in exc.problems], 400
            else:
                messages.success(request, "Đã hẹn lại ngày trả kết quả. / Re-scheduled.")
                return redirect(reverse("admin:onestop_dossier_change", args=[dossier.pk]))
    return render(request, "onestop/reschedule.html", context, status=status)
