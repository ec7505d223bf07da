from django.urls import path, re_path

from .enrollment_page import enroll_view
from .views import checkin_view, kiosk_renew_view, kiosk_token_view, kiosk_view

urlpatterns = [
    path("attendance/checkin", checkin_view, name="attendance-checkin"),
    path("kiosk/", kiosk_view, name="attendance-kiosk"),
    # the kiosk page's own check-in and renewal: under /kiosk/, where its session cookie goes
    path("kiosk/checkin", checkin_view, name="attendance-kiosk-checkin"),
    path("kiosk/session", kiosk_renew_view, name="attendance-kiosk-session"),
    path("attendance/enroll/", enroll_view, name="attendance-enroll"),
    re_path(
        r"^attendance/kiosks/(?P<kiosk_id>[^/]+)/token/$", kiosk_token_view, name="attendance-kiosk-token"
    ),
]
