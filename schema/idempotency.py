"""The client's idempotency key for a create mutation: an argument, or an HTTP header.

The `idempotencyKey` argument is the main way: it belongs to one mutation, also over
WebSocket and in a batch. The `Idempotency-Key` header (the IETF draft's name) serves
clients whose HTTP layer retries by itself; since a header covers the whole request,
it is accepted only when the request holds a single mutation field, and the argument
wins when both are sent. The engine does the rest (`modules.engine.idempotency`).
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from graphql import FieldNode
from strawberry.types import Info

from modules.engine.errors import FieldProblem, InvalidInput
from modules.engine.idempotency import FIELD

HEADER = "Idempotency-Key"

KeyArgument = Annotated[
    str | None,
    strawberry.argument(
        description=(
            "Khoá do máy khách chọn; gửi lại cùng khoá khi thử lại sẽ nhận bản ghi đã tạo, "
            "không tạo trùng. / A key of the client's choosing: a retry with the same key "
            "returns the record already created."
        )
    ),
]


def key_for(info: Info, argument: str | None) -> str | None:
    """The key this mutation runs under: its argument, else the request's header, else none."""
    if argument is not None:
        return argument
    request: Any = None if isinstance(info.context, dict) else getattr(info.context, "request", None)
    header = request.headers.get(HEADER) if request is not None else None
    if header is None:
        return None
    selections = info.operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        raise InvalidInput(
            [
                FieldProblem(
                    FIELD,
                    "AMBIGUOUS",
                    "Tiêu đề Idempotency-Key chỉ dùng cho yêu cầu có một thao tác; hãy dùng tham số "
                    "idempotencyKey. / The Idempotency-Key header needs a request with one mutation; "
                    "use the idempotencyKey argument.",
                )
            ]
        )
    return header
