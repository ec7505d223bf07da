from django.urls import path

from .board import board_view

urlpatterns = [path("board/tasks/", board_view, name="tasks-board")]
