"""One Unfold ModelAdmin per declared entity, built from its definition alone.

Every generated admin:
- reads rows through `access.scoped_queryset` and answers `has_*_permission`
  with `access.can`, so the admin obeys the same rule as GraphQL;
- writes through `services.save_record` / `delete_record` / `fire_transition`
  (numbering, optimistic locking, history and events stay in one place);
- turns engine errors into form errors or messages, never a 500;
- shows workflow transitions as buttons on the change form, the history
  (simple-history) and, for permitted staff, guardian's object grants page.

This module only assembles: each job is a mixin of its own module (`rows`, `permissions`,
`changeform`, `writing`, `transitions`, `grants`, `history`, `lists`, `columns`, `export`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from modules.engine import registry
from modules.engine.definitions import Entity

from . import custom_lists
from .changeform import ChangeFormMixin
from .columns import ReadableColumnsMixin
from .export import ScopedExportMixin
from .forms import EngineModelForm, ScopedLinkFieldsMixin
from .grants import ObjectGrantsAdminMixin
from .history import HistoryGuardMixin, ReadableHistoryMixin
from .lists import admin_attrs
from .permissions import RolePermissionsMixin
from .rows import ScopedRowsMixin
from .transitions import TransitionsAdminMixin
from .writing import EngineWritesMixin

# --- the generated admin ----------------------------------------------------------------


class EngineAdminMixin(
    ScopedRowsMixin,
    RolePermissionsMixin,
    ChangeFormMixin,
    EngineWritesMixin,
    TransitionsAdminMixin,
    ObjectGrantsAdminMixin,
    HistoryGuardMixin,
    ScopedLinkFieldsMixin,
):
    """Behaviour shared by every generated admin; the class attributes come from the entity."""

    entity: Entity
    form = EngineModelForm
    change_form_template = "admin_theme/change_form.html"
    list_per_page = 50
    list_filter_submit = True
    save_on_top = False


def build_admin(entity: Entity) -> type:
    """A ModelAdmin class for one entity: Unfold + simple-history + guardian + the engine rules."""
    history = (ReadableHistoryMixin, SimpleHistoryAdmin) if entity.history else ()
    export = (ScopedExportMixin,)  # XLSX / CSV of the list as shown (export.py)
    bases = (
        *export,
        custom_lists.CustomFieldsListMixin,  # administrator-added columns, filters and search, per role
        EngineAdminMixin,
        ReadableColumnsMixin,
        GuardedModelAdminMixin,
        *history,
        ModelAdmin,
    )
    return type(f"{entity.name}Admin", bases, admin_attrs(entity))


def register_all(site: Any) -> dict[type[models.Model], type]:
    """Register a generated admin for every declared entity that has none yet."""
    built = {}
    for entity in registry.entities():
        model = registry.model_for(entity)
        if site.is_registered(model):
            continue
        admin_class = build_admin(entity)
        site.register(model, admin_class)
        built[model] = admin_class
    return built
