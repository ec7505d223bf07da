from django.urls import path

from .views import current_week, week_page, week_pdf

urlpatterns = [
    path("schedule/", current_week, name="schedule-current"),
    path("schedule/week/<int:pk>/", week_page, name="schedule-week"),
    path("schedule/week/<int:pk>/pdf", week_pdf, name="schedule-week-pdf"),
]
