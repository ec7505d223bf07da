"""Who may see a live event: the engine's rule, compiled once per subscription.

`LiveRule` holds `access.snapshot_rule(user, entity)` and the permission generation
it was built under. The hub stamps every event with the current generation; when
it differs (a role, a grant, a person or a unit changed somewhere), the rule is
rebuilt before the event is judged, so a revoked right stops deliveries at once.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from modules.engine import access
from modules.engine.authcache import current_generation
from modules.engine.definitions import Entity

from .hub import GENERATION


class LiveRule:
    def __init__(self, user: Any, entity: Entity, action: str = "view") -> None:
        self.user, self.entity, self.action = user, entity, action
        self.generation: str | None = None
        self.rule: access.SnapshotRule | None = None

    def _build(self) -> tuple[str, access.SnapshotRule]:
        access.directory().forget(self.user)
        generation = current_generation()
        return generation, access.snapshot_rule(self.user, self.entity, self.action)

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
