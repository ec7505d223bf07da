"""HTTP endpoint for GraphQL (Django's sync view; WebSockets go through realtime/)."""

from __future__ import annotations

from django.conf import settings
from strawberry.django.views import GraphQLView

from .schema import schema


class OnemstGraphQLView(GraphQLView):
    """GraphiQL only in DEBUG; uploads allowed (multipart) for file fields."""


graphql_view = OnemstGraphQLView.as_view(
    schema=schema,
    graphql_ide="graphiql" if settings.DEBUG else None,
    multipart_uploads_enabled=True,
)
