"""Pages of part 2's reading side: the national package, the list coming down, the backfill
page and its template, the live board (kept apart from `urls.py`, which part 1 extends)."""

from django.urls import path

from . import acceptance_views, backfill_views, board, national_views, public_views

urlpatterns = [
    path("stm/national-export.json", national_views.national_export_view, name="stm-national-export"),
    path(
        "stm/quoc-gia/nhiem-vu-dang-thuc-hien",
        national_views.national_tasks_view,
        name="stm-national-tasks",
    ),
    path("stm/hoi-to/", backfill_views.backfill_page, name="stm-backfill"),
    path("stm/hoi-to/mau.xlsx", backfill_views.backfill_template, name="stm-backfill-template"),
    path("board/stm/", board.board_view, name="stm-board"),
    path(
        "stm/acceptance-councils/<int:council_id>/minutes.pdf",
        acceptance_views.acceptance_minutes_view,
        name="stm-acceptance-minutes",
    ),
    path("stm/cong-khai/", public_views.public_page, name="stm-public"),
]
