"""Compile the project's translations (.po → .mo) with polib: no GNU gettext needed.

The .mo files are committed, so a fresh clone works without this step; run it after
editing a .po. `tests/test_locale_vi.py` fails when a .po and its .mo disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    """Every .po under settings.LOCALE_PATHS."""
    return sorted(p for root in settings.LOCALE_PATHS for p in Path(root).rglob("*.po"))


def compile_po(po_path: Path) -> Path:
    """Write the .mo beside `po_path`; refuses a catalogue with untranslated or fuzzy entries."""
    catalogue = polib.pofile(str(po_path))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    if missing:
        raise CommandError(f"{po_path}: chưa dịch / untranslated: {missing[:5]}")
    mo_path = po_path.with_suffix(".mo")
    catalogue.save_as_mofile(str(mo_path))
    return mo_path


class Command(BaseCommand):
    help = "Biên dịch bản dịch (.po → .mo). / Compile the translations (.po → .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogues():
            mo_path = compile_po(po_path)
            self.stdout.write(f"{po_path} → {mo_path.name}")
