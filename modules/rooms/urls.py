from django.urls import path

from .views import room_board, wall

# under /board/: a wall screen's board session (its cookie) is sent to /board/ only
urlpatterns = [
    path("board/rooms/<int:pk>/", room_board, name="rooms-board"),
    path("board/rooms/", wall, name="rooms-wall"),
]
