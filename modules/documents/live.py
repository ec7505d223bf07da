"""Urgent incoming documents pushed live to the people who must act (domain.md §5, Art. 20-24).

"Urgent documents are registered, submitted and handled immediately": an incoming document
marked Hỏa tốc, Thượng khẩn or Khẩn, in the ordinary or the secret register, is pushed on
`urgentDocuments` each time it reaches a step that hands it to someone:

| when (its state after the write)       | who gets it                                                  |
|----------------------------------------|--------------------------------------------------------------|
| registered, or proposed by the Office  | whoever may direct it: a leader whose units hold it, or, in  |
|                                        | the secret register, the named readers (an object grant)    |
| directed                               | whoever may name its handler: the lead unit's heads          |
| assigned                               | the handler named                                            |
| finished                               | nobody                                                       |

Each subscriber must also see the document by the engine's one rule, and whoever made the
step is not called to it (`realtime/duty.py`). What is pushed: the register, the incoming
number, number and symbol, subject, urgency, the step reached and what the receiver must do.
Published after commit, so a refused or rolled-back write pushes nothing.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any, Optional

import strawberry
from django.db import transaction
from strawberry.types import Info

from realtime.bus import publish
from schema.enums import codes_enum

from .api import DocumentRegister
from .rules import URGENCY, URGENT

GROUP = "documents.urgent"
EVENT_TYPE = "documents.urgent"
LABELS = {
    "documents.IncomingDocument": "incoming",
    "documents.SecretIncomingDocument": "secret",
}
STEPS = ("registered", "proposed", "directed", "assigned")  # the states that call someone to act
ACTIONS = (  # what the pushed person must do: a closed set, so an enum on the wire
    ("direct", "Chỉ đạo xử lý ngay", "Direct it now"),
    ("assign", "Giao người xử lý ngay", "Assign a handler now"),
    ("handle", "Xử lý ngay", "Handle it now"),
)
TO_DO = {"registered": "direct", "proposed": "direct", "directed": "assign", "assigned": "handle"}
ACTION_LABELS = {code: f"{vi} / {en}" for code, vi, en in ACTIONS}
UrgentAction = codes_enum("UrgentDocumentAction", "Việc cần làm / What must be done", ACTIONS)

URGENCY_LABELS = {code: f"{vi} / {en}" for code, vi, en in URGENCY}


def announce(doc: Any, actor: Any) -> None:
    """Push an urgent document after the write commits (a no-op for other documents)."""
    if doc.urgency in URGENT and doc.state in STEPS:
        transaction.on_commit(partial(_send, doc, getattr(actor, "pk", None)))


def _send(doc: Any, actor_id: Any) -> None:
    entity = type(doc)._onemst_entity
    step = entity.workflow.state(doc.state)
    publish(
        GROUP,
        {
            "type": EVENT_TYPE,
            "entity": entity.label,
            "id": doc.pk,
            "version": doc.version,
            "owner_unit_id": doc.owner_unit_id,
            "created_by_id": doc.created_by_id,
            "is_shared": False,
            "state": doc.state,
            "handler_id": doc.handler_id,
            "actor_id": actor_id,
            "arrival_number": doc.arrival_number,
            "number_symbol": doc.number_symbol,
            "subject": doc.subject,
            "urgency": doc.urgency,
            "step": f"{step.label_vi} / {step.label_en}",
            "due_date": doc.due_date.isoformat() if doc.due_date else None,
            "url": f"/admin/documents/{type(doc)._meta.model_name}/{doc.pk}/change/",
        },
    )


@strawberry.type(name="UrgentDocument", description="Văn bản khẩn cần bạn xử lý / An urgent document for you")
class UrgentDocument:
    id: strawberry.ID
    register: DocumentRegister = strawberry.field(description="Sổ / Register")  # type: ignore[valid-type]
    arrival_number: Optional[int] = strawberry.field(description="Số đến / Incoming number")
    number_symbol: str = strawberry.field(description="Số, ký hiệu / Number and symbol")
    subject: str = strawberry.field(description="Trích yếu / Subject")
    urgency: str = strawberry.field(description="Độ khẩn / Urgency")
    step: str = strawberry.field(description="Bước vừa đến / The step reached")
    action: UrgentAction = strawberry.field(description="Việc bạn cần làm / What you must do")  # type: ignore[valid-type]
    action_label: str = strawberry.field(description="Việc cần làm, bằng lời / What you must do, in words")
    due_date: Optional[dt.date] = strawberry.field(description="Thời hạn xử lý / Deadline")
    url: str = strawberry.field(description="Trang văn bản / The document's page")


def to_event(message: dict[str, Any]) -> UrgentDocument:
    return UrgentDocument(
        id=strawberry.ID(str(message["id"])),
        register=DocumentRegister(LABELS[message["entity"]]),
        arrival_number=message["arrival_number"],
        number_symbol=message["number_symbol"],
        subject=message["subject"],
        urgency=URGENCY_LABELS.get(message["urgency"], message["urgency"]),
        step=message["step"],
        action=TO_DO[message["state"]],
        action_label=ACTION_LABELS[TO_DO[message["state"]]],
        due_date=dt.date.fromisoformat(message["due_date"]) if message["due_date"] else None,
        url=message["url"],
    )


def duties() -> dict[str, Any]:
    """Who must act in each state (the table above), for `realtime.duty.DutyRule`."""
    from realtime.duty import Duty

    return {
        "registered": Duty(action="transition:direct"),
        "proposed": Duty(action="transition:direct"),
        "directed": Duty(action="transition:assign"),
        "assigned": Duty(person="handler_id"),
    }


def document_subscriptions() -> dict[str, Any]:
    from modules.engine import registry
    from realtime.duty import DutyRule
    from realtime.feeds import Feed, feed_resolver
    from schema.context import require_user

    async def urgent_documents(info: Info) -> Feed:
        user = require_user(info)
        rule = DutyRule(user, [registry.entity_by_label(label) for label in LABELS], duties())
        await rule.refresh()

        def accepts(message: dict[str, Any]) -> bool:
            return message.get("type") == EVENT_TYPE and message.get("entity") in LABELS

        return Feed(group=GROUP, accepts=accepts, to_event=to_event, rule=rule)

    return {
        "urgent_documents": strawberry.subscription(
            resolver=feed_resolver(urgent_documents, UrgentDocument),
            name="urgentDocuments",
            description="Văn bản đến khẩn vừa đến bước bạn phải xử lý / "
            "Urgent incoming documents that just reached a step you must take",
        )
    }
