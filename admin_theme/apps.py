from django.apps import AppConfig


class AdminThemeConfig(AppConfig):
    name = "admin_theme"
    verbose_name = "Giao diện quản trị"
