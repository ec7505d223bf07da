"""The schema a request is served with: the declared one, plus the custom fields now defined.

Each request reads the shared version token (`custom_values.version()`, one cache read, no
SQL); when it moved, this process rebuilds its schema once and serves the new one from then
on. No restart, in every worker.

Two things keep a change within a second on every running process (issue 15):
- `watch()` (started by config/asgi.py) polls the token every `CUSTOM_FIELDS_WATCH_SECONDS`
  (50 ms) in a daemon thread and rebuilds at once, so the first request after a change finds
  the new schema built (or waits on a build already half done), instead of starting it.
- A rebuild is incremental: only the entities whose definitions changed, and the entities
  whose types point at theirs (types refer to each other by name, resolved once), get new
  classes; the others keep the classes of the schema served before. Profiled (cProfile, the
  whole rebuild on a quiet machine ≈ 1.3 s): ~60 % went into building the 23 entity APIs,
  ~40 % into strawberry converting them (`Schema()`); the first part now shrinks to the
  entities touched. Should a reused class still point at a replaced one, strawberry refuses
  the schema (duplicate type name) and the whole schema is rebuilt instead.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection

from modules.engine import custom_values, registry
from modules.engine.definitions import Entity

from . import custom, reuse
from .generate import EntityApi, build_entity_api
from .schema import DECLARED_APIS, build_schema
from .schema import schema as declared

log = logging.getLogger(__name__)

_lock = threading.Lock()
_current: dict[str, Any] = {
    "version": None,
    "schema": declared,
    "shapes": {},  # entity label -> repr of its active definitions, as served
    "apis": {api.entity.label: api for api in DECLARED_APIS},
}
_watcher: dict[str, threading.Thread | None] = {"thread": None}


def current_schema() -> Any:
    """The schema of the custom fields defined now (the declared one when there are none)."""
    version = custom_values.version()
    if version is None:  # not migrated yet: no custom fields can exist
        return declared
    if _current["version"] == version:
        return _current["schema"]
    # Read before taking the lock: a thread waiting on the lock may hold a pooled
    # connection, and a holder waiting for one would stall the process (issue 13's pool).
    definitions = custom_values.every_active()
    with _lock:
        if _current["version"] == version:
            return _current["schema"]
        shapes = {label: _shape(defs) for label, defs in definitions.items()}
        if shapes != _current["shapes"]:  # roles alone do not change the types
            _rebuild(definitions, shapes)
        _current["version"] = version
        return _current["schema"]


def _shape(defs: tuple[Any, ...]) -> str:
    """What the types are made of: roles are read at request time (`custom._fresh`)."""
    return repr(tuple(dataclasses.replace(d, roles_see=(), roles_change=()) for d in defs))


def served_schema() -> Any:
    """The schema built last, without reading the token (for the event loop: no I/O).

    The WebSocket consumer uses it; `watch()` keeps it current."""
    return _current["schema"]


def _rebuild(definitions: dict[str, tuple[Any, ...]], shapes: dict[str, str]) -> None:
    old = _current["shapes"]
    changed = {label for label in set(old) | set(shapes) if old.get(label) != shapes.get(label)}
    touched = _touched(changed)
    apis: dict[str, EntityApi] = dict(_current["apis"])
    with custom.building(definitions):
        for entity in registry.entities():
            if entity.label in touched:
                apis[entity.label] = build_entity_api(entity)
        try:
            with reuse.reusing(_current["schema"]):
                built = build_schema([apis[e.label] for e in registry.entities()])
        except Exception:  # a reused class still names a replaced one: build everything
            log.exception("incremental schema rebuild failed; rebuilding every entity")
            apis = {e.label: build_entity_api(e) for e in registry.entities()}
            built = build_schema(list(apis.values()))
    _current.update(schema=built, shapes=shapes, apis=apis)


def _targets(entity: Entity) -> set[str]:
    """The entities whose GraphQL types this entity's types name."""
    found = {"org.Unit"} if entity.unit_scoped else set()
    for spec in entity.fields:
        if spec.target:
            found.add(spec.target)
        found.update(column.target for column in spec.columns if column.target)
    return found


def _touched(changed: set[str]) -> set[str]:
    """The changed entities, and every entity whose types point at a touched one."""
    touched = set(changed)
    entities = list(registry.entities())
    grew = True
    while grew:
        grew = False
        for entity in entities:
            if entity.label not in touched and _targets(entity) & touched:
                touched.add(entity.label)
                grew = True
    # Hooks' hand-written fields may name a touched type too: then `Schema()` refuses the
    # two classes of one name and `_rebuild` falls back to every entity.
    return touched


def watch(interval: float | None = None) -> None:
    """Rebuild in the background as soon as the token moves (once per process)."""
    if _watcher["thread"] is not None:
        return
    every = interval if interval is not None else getattr(settings, "CUSTOM_FIELDS_WATCH_SECONDS", 0.05)

    def loop() -> None:
        while True:
            pause = every
            try:
                current_schema()
            except Exception:
                log.exception("custom-field schema watch failed")
                pause = max(every, 5.0)  # not a traceback every 50 ms while the database is away
            finally:
                if connection.connection is not None:  # hand a pooled connection back
                    connection.close()
            time.sleep(pause)

    thread = threading.Thread(target=loop, name="custom-fields-schema", daemon=True)
    _watcher["thread"] = thread
    thread.start()
