"""The weekly schedule as a page and a PDF for signed-in staff: only a week (and items) the user
may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from modules.engine import registry
from modules.engine.access import scoped_queryset
from modules.engine.display import display_names

from . import pdf


def week_items(user: object, week: object) -> list:
    """The week's items the user may see, in time order, with their people and places."""
    items = scoped_queryset(user, registry.entity_by_label("schedule.ScheduleItem"), "view")
    return list(
        items.filter(week=week)
        .select_related("chair", "place_room", "preparing_unit")
        .prefetch_related("participants", "participant_units")
        .order_by("starts_at", "id")
    )


def _week(user: object, pk: int) -> object:
    weeks = scoped_queryset(user, registry.entity_by_label("schedule.WeekSchedule"), "view")
    week = weeks.select_related("owner_unit").filter(pk=pk).first()
    if week is None:  # hidden and absent look the same
        raise Http404("Không tìm thấy lịch. / Schedule not found.")
    return week


@login_required
def current_week(request: HttpRequest) -> HttpResponse:
    """The leaders' published week holding today, else the latest published one."""
    weeks = scoped_queryset(request.user, registry.entity_by_label("schedule.WeekSchedule"), "view")
    leaders = weeks.filter(kind="leaders", state="published")
    today = timezone.localdate()
    week = leaders.filter(week_start__lte=today).order_by("-week_start").first() or leaders.first()
    if week is None:
        raise Http404("Chưa có lịch công tác được công bố. / No published schedule yet.")
    return redirect("schedule-week", pk=week.pk)


@login_required
def week_page(request: HttpRequest, pk: int) -> HttpResponse:
    week = _week(request.user, pk)
    days: dict = {}
    items = week_items(request.user, week)
    names = display_names([i.chair_id for i in items] + [p.pk for i in items for p in i.participants.all()])
    for item in items:
        item.chair_name = names.get(item.chair_id, "")
        people = [names.get(p.pk, p.get_username()) for p in item.participants.all()]
        item.people = ", ".join(people + [u.name for u in item.participant_units.all()])
        days.setdefault(timezone.localtime(item.starts_at).date(), []).append(item)
    rows = [{"label": pdf.day_label(day), "items": items} for day, items in sorted(days.items())]
    return render(
        request,
        "schedule/week.html",
        {
            "week": week,
            "heading": pdf.kind_heading(week),
            "days": rows,
            "week_end": week.week_start + pdf.WEEK,
        },
    )


@login_required
def week_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    week = _week(request.user, pk)
    body = pdf.render(week, week_items(request.user, week))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lich-cong-tac-{week.week_start:%Y-%m-%d}.pdf"'
    return response
