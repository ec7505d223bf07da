"""/board/graphql/ over HTTP: the GraphQL endpoint of wall screens, by board session only.

The caller is the board session's read-only user (modules/engine/boards.py); a signed-in
session or a bearer token counts for nothing here. Each answer renews the session's
cookie. No CSRF check: the cookie is SameSite and the session cannot write
(`ReadOnlyTokens` refuses every mutation).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from modules.engine import boards

from .schema import schema
from .views import OnemstGraphQLView

_graphql = OnemstGraphQLView.as_view(schema=schema, graphql_ide=None)


@csrf_exempt
def board_graphql_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    board = boards.session_user(request)
    if board is None:
        return boards.ended()
    user, token = board
    request.user = user
    response = _graphql(request, *args, **kwargs)
    return boards.BOARD.attach(response, {"t": token.pk})
