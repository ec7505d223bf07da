"""The field class of generated types: forward links never bypass scoping.

The optimizer prefetches links to scoped entities through the target type's
`get_queryset`, so an invisible target comes back as null. When a link was
not prefetched (e.g. a record loaded outside the optimizer), this class
fetches it through `access.scoped_queryset` instead of a bare attribute read.
"""

from __future__ import annotations

from typing import Any

from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.resolvers import django_resolver

from modules.engine import access, registry

from .context import user_of


class ScopedField(StrawberryDjangoField):
    blank_is_null = False  # an optional choice stores "" when empty; its enum shows null (schema/enums.py)

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if self.blank_is_null:
            result = self._scoped_result(source, info, args, kwargs)
            return None if result == "" else result
        return self._scoped_result(source, info, args, kwargs)

    def _scoped_result(self, source: Any, info: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if source is not None and self.base_resolver is None:
            descriptor = getattr(type(source), self.django_name or self.python_name, None)
            if isinstance(descriptor, ForwardManyToOneDescriptor):
                target = registry.entity_for(descriptor.field.related_model)
                if target is not None and target.unit_scoped and not descriptor.field.is_cached(source):
                    return self._scoped_link(source, info, descriptor, target)
        return super().get_result(source, info, args, kwargs)

    @staticmethod
    def _scoped_link(source: Any, info: Any, descriptor: Any, target: Any) -> Any:
        target_id = getattr(source, descriptor.field.attname)
        if target_id is None:
            return None

        def fetch() -> Any:
            return access.scoped_queryset(user_of(info), target, "view").filter(pk=target_id).first()

        return django_resolver(fetch)()
