"""CSRF refusals: GraphQL-shaped JSON on the API, Django's page elsewhere.

A frontend that calls /graphql/ with a session cookie but no (or a stale) CSRF token
must get an answer its GraphQL client can read, with a typed code, not an HTML page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

CSRF_MESSAGE = (
    "Yêu cầu bị từ chối vì thiếu hoặc sai mã chống giả mạo (CSRF). Tải lại trang, hoặc gửi "
    "mã truy cập API thay cho phiên đăng nhập. / The request was refused: the CSRF token is "
    "missing or wrong. Reload the page, or send an API token instead of the session cookie."
)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    if request.path.startswith("/graphql"):
        return JsonResponse(
            {"data": None, "errors": [{"message": CSRF_MESSAGE, "extensions": {"code": "CSRF_FAILED"}}]},
            status=403,
            json_dumps_params={"ensure_ascii": False},
        )
    return django_csrf_failure(request, reason=reason, **kwargs)
