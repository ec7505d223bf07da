from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "modules.documents"
    label = "documents"
    verbose_name = "Quản lý văn bản"

    def ready(self) -> None:
        from .exchange import register_channel

        register_channel()
