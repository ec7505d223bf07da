"""The schema a request is served with: the declared one, plus the custom fields now defined.

Each request reads the shared version token (`custom_values.version()`, one cache read, no
SQL); when it moved, this process rebuilds its schema once (every entity, since types refer
to each other by name) and serves the new one from then on. No restart, in every worker.
"""

from __future__ import annotations

import threading
from typing import Any

from modules.engine import custom_values

from . import custom
from .schema import build_schema
from .schema import schema as declared

_lock = threading.Lock()
_current: dict[str, Any] = {"version": None, "schema": declared, "shape": None}


def current_schema() -> Any:
    """The schema of the custom fields defined now (the declared one when there are none)."""
    version = custom_values.version()
    if version is None:  # not migrated yet: no custom fields can exist
        return declared
    if _current["version"] == version:
        return _current["schema"]
    with _lock:
        if _current["version"] == version:
            return _current["schema"]
        definitions = custom_values.every_active()
        shape = repr(sorted(definitions.items()))
        if shape != _current["shape"]:  # labels, roles or options alone do not change the types
            if definitions:
                with custom.building(definitions):
                    _current["schema"] = build_schema()
            else:
                _current["schema"] = declared
            _current["shape"] = shape
        _current["version"] = version
        return _current["schema"]
