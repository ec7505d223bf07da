from django.urls import path, re_path

from .views import (
    apology_view,
    board_view,
    lookup_view,
    receipt_view,
    refusal_view,
    register_view,
    reschedule_view,
    supplement_view,
    tracking_view,
)

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
    # Mẫu 02, 03, 04 and the register (Mẫu 06), under the same visibility rule as the slip
    re_path(
        r"^onestop/dossiers/(?P<dossier_id>[^/]+)/supplement\.pdf$",
        supplement_view,
        name="onestop-supplement",
    ),
    re_path(r"^onestop/dossiers/(?P<dossier_id>[^/]+)/refusal\.pdf$", refusal_view, name="onestop-refusal"),
    re_path(r"^onestop/dossiers/(?P<dossier_id>[^/]+)/apology\.pdf$", apology_view, name="onestop-apology"),
    path("onestop/register.pdf", register_view, name="onestop-register"),
]
