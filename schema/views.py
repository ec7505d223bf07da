"""HTTP endpoint for GraphQL (Django's sync view; WebSockets go through realtime/)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from cross_web import HTTPException
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from strawberry.django.views import GraphQLView

from . import rawjson
from .graphiql_assets import offline_page
from .runtime import current_schema
from .schema import schema


class OnemstGraphQLView(GraphQLView):
    """GraphiQL when `settings.GRAPHIQL` (DEBUG by default), served from our own static files
    so it works on a closed network; uploads allowed (multipart) for file fields."""

    _served: Any = None

    @property
    def schema(self) -> Any:
        """The schema of the custom fields defined now (schema/runtime.py): no restart.

        Looked up when an operation first needs it, once per request: the GraphiQL page
        alone needs neither the cache nor the database.
        """
        if self._served is None:
            self._served = current_schema()
        return self._served

    @schema.setter
    def schema(self, value: Any) -> None:  # as_view(schema=...): the declared schema, superseded above
        pass

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(offline_page(self.graphql_ide_html, static("")))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with rawjson.accepted():  # lists PostgreSQL wrote as JSON come back as text (schema/fastpath_sql.py)
            return super().dispatch(request, *args, **kwargs)

    def encode_json(self, data: object) -> str:
        """UTF-8 as it is: Vietnamese letters raw, not `\\u1ec7` escapes (about 11 % fewer bytes)."""
        return rawjson.dumps(data, DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)

    def parse_http_body(self, request: Any) -> Any:
        """A body that is not UTF-8 is the client's mistake: 400 with the reason, not a 500."""
        try:
            return super().parse_http_body(request)
        except UnicodeDecodeError as error:
            raise HTTPException(
                400, "Nội dung yêu cầu không phải UTF-8. / The request body is not valid UTF-8."
            ) from error


def csrf_only_with_session(view: Callable[..., Any]) -> Callable[..., Any]:
    """Check CSRF only when a session cookie comes along.

    CSRF guards ambient credentials. A call without the cookie carries none, and an
    anonymous API client deserves the typed UNAUTHENTICATED answer, not an HTML 403.
    (Bearer-token calls are already exempt: see modules/engine/tokens.py.)
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return protected(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


graphql_view = csrf_only_with_session(
    OnemstGraphQLView.as_view(
        schema=schema,
        graphql_ide="graphiql" if settings.GRAPHIQL else None,
        multipart_uploads_enabled=True,
    )
)
