"""Where the declared modules, entities and their generated models are kept.

Filled once, while Django imports models; everything else (admin, schema,
permissions, events) reads from here instead of knowing any domain.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.db import models

from .definitions import Entity, Module

_modules: dict[str, Module] = {}
_models: dict[str, type[models.Model]] = {}  # entity label -> model
_all_classes: dict[str, dict[str, type[models.Model]]] = {}  # entity label -> classes


def definition_apps() -> list[str]:
    """Installed apps that declare a module (have a `definition` submodule)."""
    apps = []
    for app in settings.INSTALLED_APPS:
        try:
            if find_spec(f"{app}.definition") is not None:
                apps.append(app)
        except ModuleNotFoundError:
            continue
    return apps


def build_all() -> None:
    """Import every definition and build its models (idempotent)."""
    from .factory import build_module_models

    for app in definition_apps():
        path = f"{app}.definition"
        definition = import_module(path)
        module: Module = definition.MODULE
        if module.label in _modules:
            continue
        _modules[module.label] = module
        classes = build_module_models(module, path)
        for entity in module.entities:
            _models[entity.label] = classes[entity.name]
            _all_classes[entity.label] = classes


def modules() -> list[Module]:
    return sorted(_modules.values(), key=lambda m: (m.order, m.label))


def entities() -> list[Entity]:
    return [e for m in modules() for e in m.entities]


def model_for(entity: Entity | str) -> type[models.Model]:
    label = entity if isinstance(entity, str) else entity.label
    return _models[label]


def classes_for(entity: Entity) -> dict[str, type[models.Model]]:
    return _all_classes[entity.label]


def entity_for(model: type[models.Model] | models.Model) -> Entity | None:
    return getattr(model, "_onemst_entity", None)


def entity_by_label(label: str) -> Entity:
    app_label, name = label.split(".")
    return _modules[app_label].entity(name)
