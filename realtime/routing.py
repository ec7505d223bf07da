"""WebSocket routing: /graphql/ speaks graphql-transport-ws for subscriptions."""

from channels.auth import AuthMiddlewareStack
from django.urls import re_path

from schema.schema import schema

from .consumers import AuthenticatedGraphQLWSConsumer
from .origin import BrowserOriginValidator

websocket_urlpatterns = [
    re_path(r"^graphql/?$", AuthenticatedGraphQLWSConsumer.as_asgi(schema=schema)),
]


def _build():
    from channels.routing import URLRouter

    return BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))


websocket_application = _build()
