from django.urls import path, re_path

from .board import board_view
from .entry import entry_view
from .export import export_view
from .onestop_export import export_view as onestop_export_view
from .summary import summary_view
from .versions import new_version_view

urlpatterns = [
    path("board/reports/", board_view, name="reporting-board"),
    re_path(r"^reporting/submissions/(?P<submission_id>[^/]+)/$", entry_view, name="reporting-entry"),
    re_path(
        r"^reporting/forms/(?P<form_id>\d+)/new-version/$", new_version_view, name="reporting-new-version"
    ),
    re_path(r"^reporting/periods/(?P<period_id>[^/]+)/$", summary_view, name="reporting-summary"),
    re_path(r"^reporting/export/(?P<period_id>[^/]+)\.xlsx$", export_view, name="reporting-export"),
    path("reporting/onestop-report.xlsx", onestop_export_view, name="reporting-onestop-export"),
]
