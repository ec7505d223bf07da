"""WebSocket routing: /graphql/ speaks graphql-transport-ws for subscriptions; /graphql/public/
admits visitors with no account, for public live views."""

from channels.auth import AuthMiddlewareStack
from django.urls import re_path

from schema.schema import schema

from .consumers import AuthenticatedGraphQLWSConsumer, PublicGraphQLWSConsumer
from .origin import BrowserOriginValidator

websocket_urlpatterns = [
    re_path(r"^graphql/?$", AuthenticatedGraphQLWSConsumer.as_asgi(schema=schema)),
    re_path(r"^graphql/public/?$", PublicGraphQLWSConsumer.as_asgi(schema=schema)),
]


def _build():
    from channels.routing import URLRouter

    return BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))


websocket_application = _build()
