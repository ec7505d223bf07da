"""Demo data of the domain modules: each may ship `modules/<name>/demo.py` with `seed(out)`.

`manage.py seed_demo` loads the organisation first (every module hangs on it),
then calls each module's seeder in the order of INSTALLED_APPS. Seeders must be
idempotent: running `make run` again adds nothing.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from . import registry


def seed_modules(out: Any, skip: tuple[str, ...] = ()) -> None:
    for app in registry.definition_apps():
        if app in skip or find_spec(f"{app}.demo") is None:
            continue
        import_module(f"{app}.demo").seed(out)
