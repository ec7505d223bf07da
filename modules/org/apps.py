from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "modules.org"
    label = "org"
    verbose_name = "Tổ chức"

    def ready(self) -> None:
        from modules.engine import registry
        from modules.engine.authcache import invalidate_when_saved

        # The directory's facts about a user are read from people and units.
        invalidate_when_saved(registry.model_for("org.Person"), registry.model_for("org.Unit"))
