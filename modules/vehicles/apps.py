from django.apps import AppConfig


class VehiclesConfig(AppConfig):
    name = "modules.vehicles"
    label = "vehicles"
    verbose_name = "Xe công vụ"
