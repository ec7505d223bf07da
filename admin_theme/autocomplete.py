"""The admin's /autocomplete/ under the engine's rule, not the target admin's view permission.

Django answers a picker only for users who may view the TARGET model's admin, so a unit
head filling a task's "assigned by" (a user link) got 403: no one but administrators views
auth.User. Here a link on a declared entity is served by `services.link_choices`: the caller
may pick when they may add or change the record they fill, and the candidates are what the
write path accepts for that link. Links on other models keep Django's behaviour.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from modules.engine import registry, services
from modules.engine.errors import EngineError

from .pickers import PersonAutocompleteJsonView


class EngineAutocompleteJsonView(PersonAutocompleteJsonView):
    """People by full name (pickers.py), rows and permission from the engine."""

    def _entity(self) -> Any:
        return registry.entity_for(self.source_field.model)

    def has_perm(self, request: HttpRequest, obj: Any = None) -> bool:
        entity = self._entity()
        if entity is None:
            return super().has_perm(request, obj)
        from modules.engine.choices import may_pick

        return bool(request.user.is_staff) and may_pick(request.user, entity)

    def get_queryset(self) -> Any:
        entity = self._entity()
        if entity is None:
            return super().get_queryset()
        try:
            return services.link_choices(self.request.user, entity, self.source_field.name, self.term or "")
        except EngineError as exc:
            raise PermissionDenied(exc.message) from exc


def install(site: Any) -> None:
    """Serve the site's /autocomplete/ with the engine's view (the site's login check stays)."""

    def autocomplete_view(request: HttpRequest) -> HttpResponse:
        return EngineAutocompleteJsonView.as_view(admin_site=site)(request)

    site.autocomplete_view = autocomplete_view
