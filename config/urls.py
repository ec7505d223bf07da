"""URL map: admin, GraphQL (HTTP), the language switch, and each module's own pages
(`modules/<name>/urls.py`, e.g. the tasks board). WebSockets route in asgi.py."""

from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from modules.engine import boards, registry
from modules.engine.progress_view import progress_view
from schema.board_view import board_graphql_view
from schema.views import graphql_view

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view, name="graphql"),
    path("jobs/<uuid:job_id>/progress", progress_view, name="engine-job-progress"),  # background.py
    # wall screens: a read-only token traded for a board session (modules/engine/boards.py)
    path("board/graphql/", board_graphql_view, name="board-graphql"),
    path("board/session/", boards.renew_view, name="board-session"),
    path("", include("modules.engine.urls")),
]
urlpatterns += [
    path("", include(f"{app}.urls")) for app in registry.definition_apps() if find_spec(f"{app}.urls")
]
# Uploaded files are served only through the engine's checked view, on every setting:
# there is no public /media/ address (modules/engine/file_views.py).
