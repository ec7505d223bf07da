"""The GraphQL WebSocket endpoint (graphql-transport-ws, and the old graphql-ws), with authentication.

A socket is accepted for a signed-in session (cookie) or for a valid API
token sent in `connection_init`'s payload as {"Authorization": "Bearer …"}
(browsers cannot set headers on a WebSocket). Anything else is closed
with 4403 before any subscription starts.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from strawberry.channels import GraphQLWSConsumer
from strawberry.exceptions import ConnectionRejectionError

from modules.engine import boards, pagesession
from modules.engine.tokens import bearer_from_header, token_user, user_for_token

from .broadcast import BroadcastTransportWSHandler
from .legacy_ws import LegacyWSHandler
from .relay import ensure_running


class AuthenticatedGraphQLWSConsumer(GraphQLWSConsumer):
    graphql_transport_ws_handler_class = BroadcastTransportWSHandler  # plain subscriptions skip graphql-core
    graphql_ws_handler_class = LegacyWSHandler  # the old protocol, on the schema served now

    async def dispatch(self, message: dict[str, Any]) -> None:
        """channels' dispatch, without its `aclose_old_connections()` before every message.

        That call is a hop to the process's one thread for synchronous code, per frame of
        every socket (connect, connection_init, subscribe, pong): 5,000 sockets subscribing
        at once queued tens of thousands of them behind each other, and handshakes passed
        Daphne's 5 s limit (issue 13). Every database call here goes through
        `database_sync_to_async`, which closes the thread's connections before and after
        it, so no socket keeps a pooled connection between calls either.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
        context = await super().get_context(request, response)
        context["user"] = getattr(self, "authenticated_user", None)
        return context

    async def on_ws_connect(self, context: dict[str, Any]) -> Any:
        user = await self._authenticate(context.get("connection_params") or {})
        if user is None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        self.authenticated_user = user
        context["user"] = user
        ensure_running()  # without Redis, relay events raised by other processes
        return None

    async def _authenticate(self, params: dict[str, Any]) -> Any:
        raw = None
        if isinstance(params, dict):
            header = params.get("Authorization") or params.get("authorization")
            raw = bearer_from_header(header) if header else params.get("token")
        if raw:
            return await database_sync_to_async(user_for_token)(raw)
        session_user = self.scope.get("user")
        if session_user is not None:
            is_authenticated = await database_sync_to_async(lambda: session_user.is_authenticated)()
            if is_authenticated:
                return session_user
        return None


class PublicGraphQLWSConsumer(AuthenticatedGraphQLWSConsumer):
    """/graphql/public/: the same schema, open to visitors with no account.

    For public live views such as a dossier's progress (`dossierProgress`). A visitor's
    context has no user, so every field that needs one still answers UNAUTHENTICATED;
    public fields limit themselves (rate limits per address, public views only).
    """

    async def on_ws_connect(self, context: dict[str, Any]) -> Any:
        user = await self._authenticate(context.get("connection_params") or {})
        self.authenticated_user = user
        context["user"] = user
        ensure_running()
        return None


class BoardGraphQLWSConsumer(AuthenticatedGraphQLWSConsumer):
    """/board/graphql/: wall screens, admitted by their board-session cookie only.

    The cookie (`onemst_board`, path /board/) is read from the handshake; a token or a
    signed-in session counts for nothing here. While the socket stays open it re-checks
    the token every third of the session's life and closes with 4403 once the token is
    revoked or expired, so a board stops within the session's lifetime.
    """

    watchdog: asyncio.Task | None = None

    async def _authenticate(self, params: dict[str, Any]) -> Any:
        value = (self.scope.get("cookies") or {}).get(boards.BOARD.cookie)
        token = await database_sync_to_async(boards.session_token)(value)
        if token is None:
            return None
        if self.watchdog is None:
            self.watchdog = asyncio.ensure_future(self._watch(token.pk))
        return token_user(token)

    async def _watch(self, token_id: int) -> None:
        while True:
            await asyncio.sleep(pagesession.recheck_seconds())
            if await database_sync_to_async(boards.board_token)(token_id) is None:
                await self.close(code=4403)
                return

    async def disconnect(self, code: int) -> None:
        if self.watchdog is not None:
            self.watchdog.cancel()
        await super().disconnect(code)
