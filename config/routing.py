"""WebSocket routing: /graphql/ speaks graphql-transport-ws for subscriptions; /graphql/public/
admits visitors with no account, for public live views; /board/graphql/ admits wall screens
by their board session.

It lives in config/ beside urls.py: it joins the schema and the socket consumers, which
realtime/ itself must not import upward."""

from channels.auth import AuthMiddlewareStack
from django.conf import settings
from django.urls import re_path

from realtime.broadcast import BroadcastTransportWSHandler
from realtime.consumers import (
    AuthenticatedGraphQLWSConsumer,
    BoardGraphQLWSConsumer,
    PublicGraphQLWSConsumer,
)
from realtime.legacy_ws import LegacyWSHandler
from realtime.origin import BrowserOriginValidator
from schema.extensions import ErrorCodes
from schema.runtime import served_schema
from schema.schema import schema

# subscriptions see the custom fields defined now (schema/runtime.py keeps it built)
BroadcastTransportWSHandler.schema_now = staticmethod(served_schema)
BroadcastTransportWSHandler.type_error = staticmethod(ErrorCodes._typed)  # extensions.code per event
# the old protocol (subscriptions-transport-ws) likewise (realtime/legacy_ws.py)
LegacyWSHandler.schema_now = staticmethod(served_schema)
LegacyWSHandler.type_error = staticmethod(ErrorCodes._typed)

# strawberry checks a cross-origin handshake itself too: the same list as BrowserOriginValidator
SOCKET = {"schema": schema, "allowed_origins": settings.WEBSOCKET_ALLOWED_ORIGINS}

websocket_urlpatterns = [
    re_path(r"^graphql/?$", AuthenticatedGraphQLWSConsumer.as_asgi(**SOCKET)),
    re_path(r"^graphql/public/?$", PublicGraphQLWSConsumer.as_asgi(**SOCKET)),
    re_path(r"^board/graphql/?$", BoardGraphQLWSConsumer.as_asgi(**SOCKET)),  # board sessions
]


def _build():
    from channels.routing import URLRouter

    return BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))


websocket_application = _build()
