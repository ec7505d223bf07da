"""Who may see a live event: the engine's rule, compiled once per subscription.

`LiveRule` holds `access.snapshot_rule(user, entity)` and the permission generation
it was built under. The hub stamps every event with the current generation; when
it differs (a role, a grant, a person or a unit changed somewhere), the rule is
rebuilt before the event is judged, so a revoked right stops deliveries at once.

The subscriptions of one user under one generation share one compiled rule: 5,000
sockets are a few dozen users, so a moved generation costs one rebuild per user, and
the hub's fan-out judges an event once per rule (`SocketSink.offer` keeps the verdict
for the event, keyed by the rule).
"""

from __future__ import annotations

import threading
from typing import Any

from channels.db import database_sync_to_async

from modules.engine import access
from modules.engine.authcache import current_generation
from modules.engine.definitions import Entity

from .hub import GENERATION

# Rules built under `_built_under`, by user (and the flags the rule reads), entity and action.
_built: dict[tuple[Any, ...], access.SnapshotRule] = {}
_built_under: list[str | None] = [None]
_building = threading.Lock()


def _shared_rule(user: Any, entity: Entity, action: str, generation: str) -> access.SnapshotRule:
    """`access.snapshot_rule` for this user, built once per permission generation and process."""
    key = (user.pk, user.is_active, user.is_superuser, entity.label, action)
    with _building:
        if _built_under[0] != generation:
            _built.clear()
            _built_under[0] = generation
        rule = _built.get(key)
    if rule is None:
        access.directory().forget(user)
        rule = access.snapshot_rule(user, entity, action)
        with _building:
            if _built_under[0] == generation:
                rule = _built.setdefault(key, rule)
    return rule


class LiveRule:
    def __init__(self, user: Any, entity: Entity, action: str = "view") -> None:
        self.user, self.entity, self.action = user, entity, action
        self.generation: str | None = None
        self.rule: access.SnapshotRule | None = None

    def _build(self) -> tuple[str, access.SnapshotRule]:
        generation = current_generation()
        return generation, _shared_rule(self.user, self.entity, self.action, generation)

    async def refresh(self) -> None:
        self.generation, self.rule = await database_sync_to_async(self._build)()

    def is_current(self, message: dict[str, Any]) -> bool:
        """Whether the rule was built under the permissions the event was stamped with."""
        stamp = message.get(GENERATION)
        return self.rule is not None and stamp is not None and stamp == self.generation

    def judge(self, message: dict[str, Any]) -> bool:
        """The verdict of a current rule, without a query (see `is_current`)."""
        assert self.rule is not None
        return self.rule(message)

    async def allows(self, message: dict[str, Any]) -> bool:
        if not self.is_current(message):
            await self.refresh()
        return self.judge(message)
