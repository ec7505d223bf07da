"""Values as people read them: labels instead of codes, Vietnamese numbers and dates, names.

One place for every page that shows a stored value outside a form (the admin's history,
PDFs, boards): a choice shows its declared label, nothing shows "(trống)", 14.0000 shows
"14", a date "30/11/2026", a boolean "Có", a link its title and a user the person's full
name (asked of the directory, since the engine knows no domain).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from .i18n import bilingual
from .numbers import vi_number

NAME_ATTR = "_onemst_display_name"


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def empty_text() -> str:
    """What an empty value reads as."""
    return str(bilingual("(trống)", "(empty)"))


def format_number(value: Any, places: int = 4) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; no trailing zeros (14, not 14.0000)."""
    if value is None or value == "":
        return empty_text()
    text = vi_number(value, places)
    if _english():
        text = text.replace(".", " ").replace(",", ".").replace(" ", ",")
    return text


def format_date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy, with hh:mm in the local time zone for a moment."""
    if value is None:
        return empty_text()
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def format_boolean(value: Any) -> str:
    if value is None:
        return empty_text()
    return str(bilingual("Có", "Yes") if value else bilingual("Không", "No"))


def display_names(user_ids: Iterable[Any]) -> dict[Any, str]:
    """The full names of several accounts at once (one query), from the directory."""
    from .access import directory

    ids = sorted({pk for pk in user_ids if pk is not None})
    if not ids:
        return {}
    lookup = getattr(directory(), "full_names", None)  # a directory may not know names
    return lookup(ids) if lookup is not None else {}


def display_name(user: Any) -> str:
    """How to show a person: their full name, else the account's name, else "(trống)"."""
    if user is None or getattr(user, "pk", None) is None:
        return empty_text()
    cached = user.__dict__.get(NAME_ATTR)
    if cached is None:
        cached = display_names([user.pk]).get(user.pk) or user.get_full_name() or user.get_username()
        user.__dict__[NAME_ATTR] = cached
    return cached


def _is_user_model(model: Any) -> bool:
    from django.contrib.auth import get_user_model

    return model is not None and model is get_user_model()


def format_value(field: models.Field | None, value: Any, names: dict[Any, str] | None = None) -> str:
    """One stored value of `field` as text for people (`names`: user id → full name, if known)."""
    if isinstance(value, (list, tuple, set)):
        parts = [format_value(field, item, names) for item in value]
        return ", ".join(parts) if parts else empty_text()
    if value is None or value == "":
        return empty_text()
    if field is not None and getattr(field, "flatchoices", None):
        labels = {str(code): label for code, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return format_boolean(value)
    if isinstance(value, models.Model):
        if _is_user_model(type(value)):
            return (names or {}).get(value.pk) or display_name(value)
        return str(value)
    related = getattr(field, "related_model", None) if field is not None else None
    if _is_user_model(related) and not isinstance(value, models.Model):
        return (names or {}).get(value) or display_names([value]).get(value) or str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value)
    if isinstance(value, (Decimal, float)) or isinstance(field, (models.DecimalField, models.FloatField)):
        return format_number(value)
    if isinstance(value, int):
        return format_number(value, 0)
    if isinstance(field, models.FileField) or (hasattr(value, "name") and hasattr(value, "storage")):
        return os.path.basename(getattr(value, "name", "") or str(value)) or empty_text()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
