from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "modules.org"
    label = "org"
    verbose_name = "Tổ chức"
