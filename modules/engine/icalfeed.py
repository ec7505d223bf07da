"""iCalendar feeds (RFC 5545) behind a private token URL, for Outlook, Thunderbird or a phone.

`/ical/<token>/<feed>.ics` or `/ical/<token>/<feed>/<key>.ics`: the token is a personal API
token (`engine/tokens.py`, best issued read-only), carried in the address because calendar
clients send no headers; it stands for its user, so every feed shows what that user may see
(`access.scoped_queryset`), and a revoked or expired token gets 404, like an unknown feed.
Modules register their feeds (`register_feed`): a provider returns the calendar's name and its
`FeedEvent`s. Written with the `icalendar` library, times in Asia/Ho_Chi_Minh with the zone
in the file (VTIMEZONE), a series as one event with its RRULE and its EXDATEs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import icalendar
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from . import tokens

PRODID = "-//One MST//Lich cong tac//VI"
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 366


@dataclass
class FeedEvent:
    uid: str  # stable across reads: "<app>.<entity>.<id>@<host>"
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    rrule: str = ""  # an RFC 5545 RRULE value; its starts are the event's recurrences
    exdates: tuple[dt.datetime, ...] = ()  # starts the rule gives that do not happen
    status: str = "CONFIRMED"  # or TENTATIVE, CANCELLED
    updated_at: dt.datetime | None = None


Provider = Callable[[Any, str], tuple[str, list[FeedEvent]]]  # (user, key) -> (name, events)
_FEEDS: dict[str, Provider] = {}


def register_feed(name: str, provider: Provider) -> None:
    _FEEDS[name] = provider


def window() -> tuple[dt.datetime, dt.datetime]:
    """What a feed covers: a month back and a year ahead."""
    now = timezone.now()
    return now - dt.timedelta(days=FEED_DAYS_BACK), now + dt.timedelta(days=FEED_DAYS_AHEAD)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def render(name: str, events: list[FeedEvent]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(item.starts_at))
        event.add("dtend", _local(item.ends_at))
        event.add("summary", item.summary)
        event.add("status", item.status)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.updated_at:
            event.add("last-modified", item.updated_at)
        if item.rrule:
            event.add("rrule", icalendar.vRecur.from_ical(item.rrule))
            for moment in item.exdates:
                event.add("exdate", _local(moment))
        calendar.add_component(event)
    calendar.add_missing_timezones()  # the VTIMEZONE of Asia/Ho_Chi_Minh, so clients need no guess
    return calendar.to_ical()


def feed_view(request: HttpRequest, token: str, feed: str, key: str = "") -> HttpResponse:
    """Serve a registered feed to the token's user; anything unknown or refused is 404."""
    user = tokens.user_for_token(token)
    provider = _FEEDS.get(feed)
    if user is None or provider is None:
        raise Http404("Không tìm thấy lịch. / Calendar not found.")
    name, events = provider(user, key)
    response = HttpResponse(render(name, events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
