"""The engine's own pages: the one address of every uploaded file (see file_views), and the
iCalendar feeds (icalfeed)."""

from django.urls import path

from . import file_views, icalfeed

urlpatterns = [
    path("files/<str:app>/<str:model>/<int:pk>/<str:field>/<str:name>", file_views.serve, name="engine-file"),
    # iCalendar feeds behind a private token address (engine/icalfeed.py)
    path("ical/<str:token>/<str:feed>.ics", icalfeed.feed_view, name="engine-ical"),
    path("ical/<str:token>/<str:feed>/<str:key>.ics", icalfeed.feed_view, name="engine-ical-key"),
]
