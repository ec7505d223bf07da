from django.urls import path

from .inbox import inbox_view

urlpatterns = [path("reminders/", inbox_view, name="reminders-inbox")]
