"""The old WebSocket protocol (subscriptions-transport-ws, subprotocol "graphql-ws") on today's schema.

strawberry's handler keeps the schema the consumer was built with: the declared one, so an
old-protocol client never saw an administrator's custom field (issue 15), while
graphql-transport-ws clients did (realtime/broadcast.py). This handler reads the schema
served now for each `start` (config/routing.py sets `schema_now` to schema/runtime.py's
`served_schema`, no I/O), types each event's errors with `extensions.code` like the HTTP path
does, and says when a subscription is listening, as the newer protocol does with a `ping`:
here with a keep-alive frame `{"type": "ka", "payload": {"listening": <id>}}`, which
subscriptions-transport-ws clients accept and ignore (the protocol has no other server frame
that carries no data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from .feeds import on_listening


class LegacyWSHandler(BaseGraphQLWSHandler):
    """subscriptions-transport-ws with the schema served now and typed errors."""

    schema_now: Callable[[], Any] | None = None
    type_error: Callable[[GraphQLError], GraphQLError] | None = None

    @property
    def schema(self) -> Any:
        return self.schema_now() if self.schema_now is not None else self._declared_schema

    @schema.setter
    def schema(self, value: Any) -> None:  # strawberry's __init__: the declared schema
        self._declared_schema = value

    async def handle_async_results(
        self, operation_id: str, query: str, operation_name: str | None, variables: Any
    ) -> None:
        """Runs in the operation's own task: the feed announces itself once it has joined its group."""
        on_listening.set(lambda: self._announce_listening(operation_id))
        await super().handle_async_results(operation_id, query, operation_name, variables)

    async def _announce_listening(self, operation_id: str) -> None:
        await self.send_message({"type": "ka", "payload": {"listening": operation_id}})  # type: ignore[typeddict-item]

    async def send_data_message(self, execution_result: Any, operation_id: str) -> None:
        if self.type_error is not None and execution_result.errors:
            execution_result.errors = [self.type_error(error) for error in execution_result.errors]
        await super().send_data_message(execution_result, operation_id)
