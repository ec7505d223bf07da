"""Saves and deletes through the engine's one write path (`services`), refusals shown as messages.

One of the mixins `generator.py` assembles into each entity's admin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponseRedirect

from modules.engine import services
from modules.engine.errors import EngineError
from modules.engine.errors import PermissionDenied as EnginePermissionDenied

from .forms import _valid_pk


class EngineWritesMixin:
    """Part of every generated admin (`generator.EngineAdminMixin`); `self.entity` is its entity."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        multilinks: dict[str, list[Any]] = {}
        for spec in self.entity.fields:
            if spec.kind != "multilink" or spec.name not in form.cleaned_data:
                continue
            chosen = list(form.cleaned_data[spec.name] or [])
            if change and obj.pk:
                # links to rows this user cannot see are kept, not silently dropped
                visible = form.fields[spec.name].queryset
                chosen += list(getattr(obj, spec.name).exclude(pk__in=visible.values("pk")))
            multilinks[spec.name] = chosen
        services.save_record(
            self.entity,
            request.user,
            obj,
            created=not change,
            expected_version=form.cleaned_data.get("loaded_version") if change else None,
            multilinks=multilinks,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # multi-links were written by save_record; only the child rows remain
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_record(self.entity, request.user, obj.pk, obj.version)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            try:
                services.delete_record(self.entity, request.user, obj.pk, obj.version)
            except EngineError as exc:
                messages.error(request, f"{obj}: {exc.problems[0].message if exc.problems else exc.message}")

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except EngineError as exc:
            if isinstance(exc, EnginePermissionDenied):
                raise DjangoPermissionDenied(exc.message) from exc
            for problem in exc.problems:
                messages.error(request, problem.message)
            pk = _valid_pk(object_id)
            return HttpResponseRedirect(self._change_url(pk) if pk else self._changelist_url())
