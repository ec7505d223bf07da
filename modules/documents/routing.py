"""The incoming handling slip (phiếu xử lý, domain.md §5: Office → leader → unit head → handler).

Each routing step is a workflow transition whose hook writes one row of the slip (who,
when, what), so the admin's buttons, the generated GraphQL transitions and the functions
below all leave the same trace. A direction grants the lead unit's heads the document (to
name a handler) and, with a deadline, creates one task in the lead unit through the tasks
module's hook (`tasks.hooks.create_tasks_from_source`), so the deadline is tracked,
reminded and counted in the KPIs like any task. The functions below write the step's
fields through the engine's write path (`services.update_record`: permissions, scoped
links, assignee grants) and fire the transition, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from modules.engine import registry, services
from modules.engine.factory import child_model_name
from modules.tasks.hooks import create_tasks_from_source

from . import live, rules
from .grants import grant, unit_heads

# what the lead unit's heads may do with a document directed to them
LEAD_UNIT_ACTIONS = ("view", "change", "transition:assign", "transition:finish")
NO_LEAD_UNIT = "Chọn đơn vị chủ trì trước khi chỉ đạo. / Choose the lead unit before directing."
NO_HANDLER = "Chọn người xử lý trước khi giao. / Choose the handler before assigning."


def _step(doc: Any, user: Any, kind: str, **values: Any) -> Any:
    """Append one row to the document's handling slip."""
    entity = type(doc)._onemst_entity
    model = registry.classes_for(entity)[child_model_name(entity, entity.field("steps"))]
    position = model.objects.filter(parent=doc).count()
    actor = user if getattr(user, "pk", None) else None
    return model.objects.create(
        parent=doc, position=position, kind=kind, actor=actor, at=timezone.now(), **values
    )


# --- guards and transition hooks (declared in definition.py) ------------------------------


def lead_unit_given(doc: Any, user: Any) -> str | None:
    return None if doc.lead_unit_id else NO_LEAD_UNIT


def handler_given(doc: Any, user: Any) -> str | None:
    return None if doc.handler_id else NO_HANDLER


def on_propose(doc: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    _step(doc, user, "propose", note=payload.get("comment", ""), unit=doc.lead_unit)
    live.announce(doc, user)


def on_direct(doc: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    entity = type(doc)._onemst_entity
    for head in unit_heads(doc.lead_unit):
        grant(entity, head, doc, LEAD_UNIT_ACTIONS)
    task = None
    if doc.due_date is not None:
        coordinating = list(doc.coordinating_units.all())
        task = create_tasks_from_source(
            user, units=[doc.lead_unit], coordinating_units=coordinating, values=task_values(doc, user)
        )[0]
    note = payload.get("comment") or doc.instructions
    _step(doc, user, "direct", note=note, unit=doc.lead_unit, deadline=doc.due_date, task=task)
    live.announce(doc, user)


def on_assign(doc: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    _step(doc, user, "assign", note=payload.get("comment", ""), person=doc.handler)
    live.announce(doc, user)


def on_finish(doc: Any, user: Any, transition: Any, payload: dict[str, Any]) -> None:
    _step(doc, user, "finish", note=payload.get("comment", ""))


def task_values(doc: Any, user: Any) -> dict[str, Any]:
    """What the task carries of the document: a secret one lends only its incoming number."""
    secret = doc.confidentiality != "normal"
    title = f"Xử lý văn bản mật số đến {doc.arrival_number}" if secret else f"Xử lý văn bản: {doc.subject}"
    content = (
        "Nội dung xem trong sổ văn bản mật. / The text is in the secret register."
        if secret
        else (doc.instructions or doc.subject)
    )
    return {
        "title": title[:255],
        "content": content,
        "source_kind": "document",
        "source_number": "" if secret else doc.number_symbol[:80],
        "source_date": timezone.localdate(doc.arrival_date),
        "source_signer": "" if secret else (doc.signer or "")[:120],
        "assigned_by_id": user.pk,
        "deadline": doc.due_date,
        "priority": "urgent" if doc.urgency in rules.URGENT else "normal",
    }


# --- one call per step -----------------------------------------------------------------------


def _advance(entity: Any, user: Any, pk: Any, version: int, name: str, values: dict, note: str) -> Any:
    with transaction.atomic():
        if values:
            version = services.update_record(entity, user, pk, values, version).version
        return services.fire_transition(entity, user, pk, name, version, note)


def propose(entity: Any, user: Any, pk: Any, version: int, *, note: str, lead_unit: Any = None) -> Any:
    """The Office proposes how to handle the document (a lead unit, a note)."""
    values = {"lead_unit": lead_unit.pk} if lead_unit is not None else {}
    return _advance(entity, user, pk, version, "propose", values, note)


def direct(
    entity: Any,
    user: Any,
    pk: Any,
    version: int,
    *,
    lead_unit: Any,
    coordinating_units: list[Any] = (),
    deadline: dt.date | None = None,
    instructions: str = "",
) -> Any:
    """A leader directs: lead unit, coordinating units, deadline, instructions (Art. 24)."""
    values = {
        "lead_unit": lead_unit.pk,
        "coordinating_units": [u.pk for u in coordinating_units],
        "due_date": deadline,
        "instructions": instructions,
    }
    return _advance(entity, user, pk, version, "direct", values, "")


def assign(entity: Any, user: Any, pk: Any, version: int, *, handler: Any, note: str = "") -> Any:
    """The lead unit's head names the handler (who is granted the document if needed)."""
    return _advance(entity, user, pk, version, "assign", {"handler": handler.pk}, note)


def finish(entity: Any, user: Any, pk: Any, version: int, *, note: str = "") -> Any:
    return _advance(entity, user, pk, version, "finish", {}, note)
