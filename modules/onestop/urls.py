from django.urls import path, re_path

from .views import board_view, lookup_view, receipt_view, reschedule_view, tracking_view

urlpatterns = [
    path("tra-cuu/", lookup_view, name="onestop-lookup"),
    path("board/dossiers/", board_view, name="onestop-board"),
    re_path(r"^onestop/dossiers/(?P<dossier_id>[^/]+)/receipt\.pdf$", receipt_view, name="onestop-receipt"),
    re_path(
        r"^onestop/dossiers/(?P<dossier_id>[^/]+)/tracking\.pdf$", tracking_view, name="onestop-tracking"
    ),
    re_path(
        r"^onestop/dossiers/(?P<dossier_id>\d+)/reschedule/$", reschedule_view, name="onestop-reschedule"
    ),
]
