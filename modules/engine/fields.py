"""Map declared field kinds to Django model fields.

Everything passed to a Django field here must be importable at module level
(validators, defaults), or the generated migrations would not serialise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .definitions import NOT_PROVIDED, Field
from .files import EngineFileField
from .i18n import bilingual

ON_DELETE = {"protect": models.PROTECT, "cascade": models.CASCADE, "set_null": models.SET_NULL}

MONEY_MIN = MinValueValidator(Decimal(0))
PERCENT_RANGE = (MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100)))


def common_options(spec: Field) -> dict[str, Any]:
    """Options every kind shares: labels, help, index, uniqueness, validators, default."""
    options: dict[str, Any] = {
        "verbose_name": bilingual(spec.label_vi, spec.label_en),
        "blank": not spec.required,
    }
    if spec.help_vi or spec.help_en:
        options["help_text"] = bilingual(spec.help_vi, spec.help_en or spec.help_vi)
    if spec.index:
        options["db_index"] = True
    if spec.unique:
        options["unique"] = True
    if spec.validators:
        options["validators"] = list(spec.validators)
    if spec.default is not NOT_PROVIDED:
        options["default"] = spec.default
    return options


def django_field(spec: Field, *, related_name: str = "+") -> models.Field:
    """Build the Django field for one declared field (not for `children`)."""
    options = common_options(spec)
    nullable = not spec.required
    kind = spec.kind
    if kind == "text":
        options.setdefault("default", "")
        return models.CharField(max_length=spec.max_length, **options)
    if kind == "longtext":
        options.setdefault("default", "")
        return models.TextField(**options)
    if kind == "integer":
        return models.IntegerField(null=nullable, **options)
    if kind == "decimal":
        return models.DecimalField(
            max_digits=spec.max_digits, decimal_places=spec.decimal_places, null=nullable, **options
        )
    if kind == "money":
        options["validators"] = [MONEY_MIN, *options.get("validators", [])]
        return models.DecimalField(max_digits=18, decimal_places=0, null=nullable, **options)
    if kind == "percent":
        options["validators"] = [*PERCENT_RANGE, *options.get("validators", [])]
        return models.DecimalField(max_digits=5, decimal_places=2, null=nullable, **options)
    if kind == "boolean":
        options.setdefault("default", False)
        options["blank"] = True
        return models.BooleanField(**options)
    if kind == "date":
        return models.DateField(null=nullable, **options)
    if kind == "datetime":
        return models.DateTimeField(null=nullable, **options)
    if kind == "choice":
        width = max(len(value) for value, _, _ in spec.choices)
        options.setdefault("default", "" if nullable else spec.choices[0][0])
        return models.CharField(
            max_length=max(width, 20),
            choices=[(value, bilingual(vi, en)) for value, vi, en in spec.choices],
            **options,
        )
    if kind == "link":
        # As declared, optional links included: an optional link that quietly emptied itself
        # let a deleted period leave its submissions pointing at nothing.
        return models.ForeignKey(
            spec.target,
            on_delete=ON_DELETE[spec.on_delete],
            null=nullable,
            related_name=related_name,
            **options,
        )
    if kind == "multilink":
        options["blank"] = True
        return models.ManyToManyField(spec.target, related_name=related_name, **options)
    if kind == "file":
        options.setdefault("default", "")
        return EngineFileField(
            upload_to=spec.upload_to, max_length=255, accept=spec.accept, max_size=spec.max_size, **options
        )
    if kind == "json":
        options.setdefault("default", dict)
        options["blank"] = True
        return models.JSONField(encoder=DjangoJSONEncoder, **options)
    raise ValueError(f"no Django field for kind {kind!r}")
