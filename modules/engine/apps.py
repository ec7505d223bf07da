from importlib import import_module

from django.apps import AppConfig, apps


class EngineConfig(AppConfig):
    name = "modules.engine"
    label = "engine"
    verbose_name = "Bộ máy mô-đun"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import registry
        from .authcache import connect_auth_signals, invalidate_when_saved
        from .roles import sync_roles_after_last_app

        # A module needs no models.py: its generated models live in its
        # definition module, which Django must know for permissions and content types.
        for app in registry.definition_apps():
            config = next(c for c in apps.get_app_configs() if c.name == app)
            if config.models_module is None:
                config.models_module = import_module(f"{app}.definition")
        from .images import apply_pillow_limit

        apply_pillow_limit()  # Pillow's own bomb guard, at the platform's pixel limit
        from .background import forget_pools_after_fork

        forget_pools_after_fork()  # the job worker's forked processes open their own connections
        post_migrate.connect(sync_roles_after_last_app, dispatch_uid="onemst.sync_roles")
        from .access import forget_permission_ids

        # a migrate or flush re-creates permission rows under new ids: forget the remembered ones
        post_migrate.connect(forget_permission_ids, dispatch_uid="onemst.forget_permission_ids")
        from . import idempotency, jobs

        jobs.register("engine.idempotency_keys", idempotency.forget_expired, order=90)  # keys expire
        from . import outbox

        jobs.register("engine.outbox", lambda today: outbox.deliver(), order=41)  # retries, backoff
        connect_auth_signals()
        from .tokens import connect_token_signals

        connect_token_signals()  # a saved or deleted token leaves every process's token cache
        from .files import connect_file_cleanup

        connect_file_cleanup()  # a deleted row's uploaded files leave the disk after commit
        from .holds import connect_release_on_delete

        connect_release_on_delete()  # a holder deleted by a cascade frees what it held
        # Object grants (guardian's direct-FK tables) change what a user may see too.
        invalidate_when_saved(
            *(
                registry.classes_for(entity)[f"{entity.name}{kind}ObjectPermission"]
                for entity in registry.entities()
                for kind in ("User", "Group")
            )
        )
