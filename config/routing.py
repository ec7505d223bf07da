"""WebSocket routing: /graphql/ speaks graphql-transport-ws for subscriptions; /graphql/public/
admits visitors with no account, for public live views.

It lives in config/ beside urls.py: it joins the schema and the socket consumers, which
realtime/ itself must not import upward."""

from channels.auth import AuthMiddlewareStack
from django.urls import re_path

from realtime.consumers import AuthenticatedGraphQLWSConsumer, PublicGraphQLWSConsumer
from realtime.origin import BrowserOriginValidator
from schema.schema import schema

websocket_urlpatterns = [
    re_path(r"^graphql/?$", AuthenticatedGraphQLWSConsumer.as_asgi(schema=schema)),
    re_path(r"^graphql/public/?$", PublicGraphQLWSConsumer.as_asgi(schema=schema)),
]


def _build():
    from channels.routing import URLRouter

    return BrowserOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))


websocket_application = _build()
