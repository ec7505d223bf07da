from django.urls import re_path

from . import urls_part2, views

urlpatterns = [
    re_path(r"^stm/notices/(?P<notice_id>\d+)/opening\.pdf$", views.opening_minutes_view, name="stm-opening"),
    re_path(
        r"^stm/councils/(?P<council_id>\d+)/minutes\.pdf$", views.council_minutes_view, name="stm-minutes"
    ),
    re_path(
        r"^stm/dossiers/(?P<dossier_id>\d+)/receipt\.pdf$", views.receipt_view, name="stm-dossier-receipt"
    ),
    re_path(
        r"^stm/secret-tasks/register\.(?P<fmt>xlsx|pdf)$",
        views.secret_register_view,
        name="stm-secret-register",
    ),
    re_path(r"^stm/councils/(?P<council_id>\d+)/score/$", views.score_view, name="stm-score"),
    re_path(r"^stm/councils/(?P<council_id>\d+)/live/$", views.live_view, name="stm-live"),
]
urlpatterns += urls_part2.urlpatterns  # part 2: national export, backfill, KPI board
