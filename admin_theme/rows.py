"""Which rows an admin shows: the engine's visibility rule and diacritics-blind search.

One of the mixins `generator.py` assembles into each entity's admin."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from modules.engine import access
from modules.engine import search as engine_search

from . import custom_lists
from .forms import _valid_pk


class ScopedRowsMixin:
    """Part of every generated admin (`generator.EngineAdminMixin`); `self.entity` is its entity."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        return access.scoped_queryset(request.user, self.entity, "view", queryset)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """Diacritics ignored both ways: every folded word in the row's `search_text` (engine/search.py)."""
        if not search_term.strip() or not engine_search.columns(self.entity):
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(engine_search.matches(search_term)), False

    def _visible(self, request: HttpRequest, object_id: Any) -> Any:
        pk = _valid_pk(object_id)
        if pk is None:
            return None
        cache = request.__dict__.setdefault("_onemst_admin_objects", {})
        key = (self.entity.label, pk)
        if key not in cache:
            cache[key] = self.get_queryset(request).filter(pk=pk).first()
        return cache[key]

    def get_list_display(self, request: HttpRequest) -> Any:
        """The declared columns, then the custom fields flagged for lists that this user may see."""
        return [*super().get_list_display(request), *custom_lists.list_columns(self.entity, request.user)]
