"""Who must act on a record now: the live rule of pushes that call someone to a step.

A `changed` feed goes to everyone who may see a record. A push that says "this is yours
to do" goes to fewer people: those who may see the record AND may take the step its
current state calls for, judged by the engine's own rule for that step
(`access.snapshot_rule(user, entity, "transition:direct")`: the role's right within the
user's units, or an object grant on the row), or who are the person a field of the record
names (the handler). Whoever made the change is not called to it. Rebuilt like `LiveRule`
when rights move, so a grant given by the very step (a direction granting the lead unit's
heads) is counted for its own event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from modules.engine import access
from modules.engine.authcache import current_generation
from modules.engine.definitions import Entity

from .visibility import LiveRule


@dataclass(frozen=True)
class Duty:
    """What a state asks for: an action the engine judges (e.g. "transition:assign"), or the
    person named by a message key (e.g. "handler_id")."""

    action: str | None = None
    person: str | None = None


class DutyRule(LiveRule):
    """`LiveRule`'s protocol (`is_current`, `judge`, `allows`) for "must act" instead of "may see".

    Messages carry `entity` (the entity's label), `state`, `actor_id` and the row's values the
    visibility rule reads (id, owner unit, creator, shared flag)."""

    def __init__(self, user: Any, entities: Iterable[Entity], duties: Mapping[str, Duty]) -> None:
        self.entities = {entity.label: entity for entity in entities}
        self.duties = duties
        super().__init__(user, next(iter(self.entities.values())))

    def _build(self) -> tuple[str, access.SnapshotRule]:
        access.directory().forget(self.user)
        generation = current_generation()
        actions = {duty.action for duty in self.duties.values() if duty.action}
        rules = {
            label: (
                access.snapshot_rule(self.user, entity, "view"),
                {action: access.snapshot_rule(self.user, entity, action) for action in actions},
            )
            for label, entity in self.entities.items()
        }
        user_id, duties = self.user.pk, self.duties

        def must_act(message: dict[str, Any]) -> bool:
            duty = duties.get(message.get("state"))
            judged = rules.get(message.get("entity"))
            if duty is None or judged is None or message.get("actor_id") == user_id:
                return False
            view, may = judged
            if not view(message):
                return False
            if duty.person:
                return message.get(duty.person) == user_id
            return bool(duty.action and may[duty.action](message))

        return generation, must_act
