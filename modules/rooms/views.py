"""The room boards: a tablet outside one room (now, next, free until) and the wall screen (today's
rooms as a time grid). Both read `roomBoards` and follow `roomBusyChanged` live; a wall screen
signs in with a read-only token (`engine/boards.py`), staff with their session."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from modules.engine import registry
from modules.engine.boards import page_viewer
from modules.engine.display import display_name


def room_board(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = page_viewer(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    user, client = viewer
    room = registry.model_for("rooms.Room").objects.filter(pk=pk, is_active=True).first()
    if room is None:
        raise Http404("Không tìm thấy phòng. / Room not found.")
    config = {**client, "room": str(room.pk)}
    return render(
        request, "rooms/room_board.html", {"room": room, "config": config, "viewer": display_name(user)}
    )


def wall(request: HttpRequest) -> HttpResponse:
    viewer = page_viewer(request)
    if isinstance(viewer, HttpResponse):
        return viewer
    user, client = viewer
    return render(
        request, "rooms/wall.html", {"config": {**client, "room": None}, "viewer": display_name(user)}
    )
