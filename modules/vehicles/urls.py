from django.urls import path

from .views import monthly_report

urlpatterns = [
    path("vehicles/report/<int:year>-<int:month>.xlsx", monthly_report, name="vehicles-monthly-report"),
]
