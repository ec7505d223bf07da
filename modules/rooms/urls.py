from django.urls import path

from .views import room_board, wall

urlpatterns = [
    path("rooms/<int:pk>/board/", room_board, name="rooms-board"),
    path("rooms/wall/", wall, name="rooms-wall"),
]
