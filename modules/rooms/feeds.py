"""The rooms' iCalendar feeds (`engine/icalfeed.py`): a room's calendar and a person's bookings.

A room's feed shows every holding booking; one the token's user may not see (another unit's)
is only "Bận / Busy", with no purpose, participants or link. A repeating booking is one event
with its RRULE; the days the rule gives and the series does not hold (a public holiday, a
cancelled occurrence) are its EXDATEs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from modules.engine import recurrence, registry
from modules.engine.access import scoped_queryset
from modules.engine.icalfeed import FeedEvent, window

from . import availability

BUSY = "Bận / Busy"


def _uid(kind: str, pk: Any) -> str:
    host = (settings.ALLOWED_HOSTS or ["onemst"])[0].lstrip(".") or "onemst"
    return f"rooms.{kind}.{pk}@{host}"


def _rule_with_until(rule: str, until: dt.date) -> str:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "UNTIL=" in text.upper() or "COUNT=" in text.upper():
        return text
    end = timezone.make_aware(dt.datetime.combine(until, dt.time(23, 59, 59))).astimezone(dt.UTC)
    return f"{text};UNTIL={end:%Y%m%dT%H%M%SZ}"


def _events(rows: list[Any], visible: set[int]) -> list[FeedEvent]:
    """Single bookings as events, a series' bookings as one repeating event (when all shown)."""
    events: list[FeedEvent] = []
    by_series: dict[int, list[Any]] = {}
    for row in rows:
        if row.series_id and row.pk in visible:
            by_series.setdefault(row.series_id, []).append(row)
        else:
            events.append(_single(row, row.pk in visible))
    series_model = registry.model_for("rooms.RepeatingBooking")
    for series in series_model.objects.filter(pk__in=list(by_series)):
        booked = {b.starts_at: b for b in by_series[series.pk]}
        rule_starts = recurrence.occurrences(
            series.rrule, series.first_start, series.until, skip_days_off=False
        )
        held = [m for m in rule_starts if m in booked]
        if not held:
            events.extend(_single(b, True) for b in booked.values())
            continue
        first = booked[held[0]]
        exdates = tuple(m for m in rule_starts if m not in booked)
        if series.first_start not in booked and series.first_start not in exdates:
            exdates = (series.first_start, *exdates)  # RFC 5545: DTSTART is always an instance
        events.append(
            FeedEvent(
                uid=_uid("series", series.pk),
                starts_at=series.first_start,
                ends_at=series.first_start + (first.ends_at - first.starts_at),
                summary=series.title,
                location=first.room.name,
                rrule=_rule_with_until(series.rrule, series.until),
                exdates=exdates,
            )
        )
        events.extend(_single(b, True) for m, b in booked.items() if m not in rule_starts)  # moved ones
    return events


def _single(row: Any, shown: bool) -> FeedEvent:
    return FeedEvent(
        uid=_uid("booking", row.pk),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        summary=f"{row.number} {row.title}" if shown else BUSY,
        location=row.room.name,
        description=(row.online_link or "") if shown else "",
        status="CONFIRMED" if row.state == "confirmed" else "TENTATIVE",
        updated_at=row.updated_at if shown else None,
    )


def room_feed(user: Any, key: str) -> tuple[str, list[FeedEvent]]:
    room = registry.model_for("rooms.Room").objects.filter(pk=key if key.isdigit() else None).first()
    if room is None:
        raise Http404("Không tìm thấy phòng. / Room not found.")
    start, end = window()
    holding = availability.rule()
    rows = list(
        registry.model_for("rooms.RoomBooking")
        .objects.filter(room=room, starts_at__gte=start, starts_at__lt=end, state__in=holding.states)
        .select_related("room")
        .order_by("starts_at")
    )
    entity = registry.entity_by_label("rooms.RoomBooking")
    visible = set(
        scoped_queryset(user, entity, "view").filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
    )
    return f"Phòng họp {room.name}", _events(rows, visible)


def my_bookings_feed(user: Any, key: str) -> tuple[str, list[FeedEvent]]:
    start, end = window()
    holding = availability.rule()
    entity = registry.entity_by_label("rooms.RoomBooking")
    rows = list(
        scoped_queryset(user, entity, "view")
        .filter(Q(participants=user) | Q(created_by=user), starts_at__gte=start, starts_at__lt=end)
        .filter(state__in=holding.states)
        .select_related("room")
        .distinct()
        .order_by("starts_at")
    )
    return "Lịch họp của tôi / My meetings", _events(rows, {r.pk for r in rows})
