"""Per-client limits for public entry points (look-ups, intake forms), counted with django-ratelimit.

The counts live in Django's cache (Redis in production, shared by every worker), so a
client gets the same allowance whichever route (page, GraphQL, WebSocket) it takes.
"""

from __future__ import annotations

from django_ratelimit.core import get_usage

from .errors import EngineError

LIMITED = (
    "Bạn thao tác quá nhiều lần, vui lòng thử lại sau ít phút. / "
    "Too many requests from your address; please try again in a few minutes."
)


class RateLimited(EngineError):
    """An EngineError, so that a GraphQL write answers it as a field-less error like any other."""

    code = "RATE_LIMITED"

    def __init__(self, message: str = LIMITED) -> None:
        super().__init__(message)


def check_rate(group: str, client: str, rate: str) -> None:
    """Count one use of `group` by `client`; RateLimited once the allowance (e.g. "30/m") is spent."""
    usage = get_usage(
        None, group=group, key=lambda _group, _request: client or "unknown", rate=rate, increment=True
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited()
