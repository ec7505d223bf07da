from django.urls import path

from .views import petition_view

urlpatterns = [path("kien-nghi/", petition_view, name="petitions-public")]
