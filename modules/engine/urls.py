"""The engine's own pages: the one address of every uploaded file (see file_views)."""

from django.urls import path

from . import file_views

urlpatterns = [
    path("files/<str:app>/<str:model>/<int:pk>/<str:field>/<str:name>", file_views.serve, name="engine-file"),
]
