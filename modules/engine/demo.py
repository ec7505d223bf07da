"""Demo data of the domain modules: each may ship `modules/<name>/demo.py` with `seed(out)`.

`manage.py seed_demo` loads the organisation first (every module hangs on it),
then calls each module's seeder in the order of INSTALLED_APPS. Seeders must be
idempotent: running `make run` again adds nothing. A seeder sized down for a quick `make run`
loads the issue's full size when `seed_demo --full` asks for it (`full_size()`).
"""

from __future__ import annotations

import time
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from . import registry

_full = False


def full_size() -> bool:
    """Whether this seeding loads the issues' full sizes (`seed_demo --full`), not the quick ones."""
    return _full


def seed_modules(out: Any, skip: tuple[str, ...] = (), *, full: bool = False) -> None:
    """Each module's seeder in turn, saying which one runs and how long it took (a first
    `make run` spends minutes here, and silence looks like a hang)."""
    global _full
    _full = full
    try:
        _seed_each(out, skip)
    finally:
        _full = False


def _seed_each(out: Any, skip: tuple[str, ...]) -> None:
    apps = [app for app in registry.definition_apps() if app not in skip and find_spec(f"{app}.demo")]
    names = {f"modules.{m.label}": m for m in registry.modules()}
    for number, app in enumerate(apps, start=1):
        module = names.get(app)
        title = f"{module.name_vi} / {module.name_en}" if module else app
        out.write(f"[{number}/{len(apps)}] Dữ liệu mẫu / Demo data: {title} …")
        flush = getattr(out, "flush", None)
        if flush:
            flush()
        started = time.monotonic()
        import_module(f"{app}.demo").seed(out)
        seconds = f"{time.monotonic() - started:.1f}"
        vi_seconds = seconds.replace(".", ",")  # Vietnamese decimal comma
        out.write(f"[{number}/{len(apps)}] {title}: xong sau {vi_seconds} s / done in {seconds} s")
