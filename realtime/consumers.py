"""The GraphQL WebSocket endpoint (graphql-transport-ws), with authentication.

A socket is accepted for a signed-in session (cookie) or for a valid API
token sent in `connection_init`'s payload as {"Authorization": "Bearer …"}
(browsers cannot set headers on a WebSocket). Anything else is closed
with 4403 before any subscription starts.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from strawberry.channels import GraphQLWSConsumer
from strawberry.exceptions import ConnectionRejectionError

from modules.org.tokens import bearer_from_header, user_for_token

from .broadcast import BroadcastTransportWSHandler
from .relay import ensure_running


class AuthenticatedGraphQLWSConsumer(GraphQLWSConsumer):
    graphql_transport_ws_handler_class = BroadcastTransportWSHandler  # plain subscriptions skip graphql-core

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
            return await sync_to_async(user_for_token)(raw)
        session_user = self.scope.get("user")
        if session_user is not None:
            is_authenticated = await sync_to_async(lambda: session_user.is_authenticated)()
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
