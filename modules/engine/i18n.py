"""Bilingual labels that follow the active language (Vietnamese first)."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import get_language


def _pick(vi: str, en: str) -> str:
    language = get_language() or "vi"
    return en if language.startswith("en") and en else vi


bilingual = lazy(_pick, str)
"""`bilingual("Tiêu đề", "Title")` renders in the request's language."""
