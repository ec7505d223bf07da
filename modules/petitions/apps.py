from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "modules.petitions"
    label = "petitions"
    verbose_name = "Phản ánh, kiến nghị"
