"""Find the declared modules on disk, so settings need no hand-kept app list.

Kept free of Django imports: settings import it before Django is set up.
"""

from __future__ import annotations

from pathlib import Path

# The organisation module owns units and people, which every other module links to.
FOUNDATION = ("org",)


def discover_module_apps(modules_dir: Path) -> list[str]:
    """Return dotted app names of every `modules/<name>/definition.py`, foundation first."""
    names = sorted(p.parent.name for p in modules_dir.glob("*/definition.py") if p.parent.name != "engine")
    ordered = [n for n in FOUNDATION if n in names] + [n for n in names if n not in FOUNDATION]
    return [f"modules.{name}" for name in ordered]
