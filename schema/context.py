"""Who is asking: the same answer over HTTP and over WebSocket."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from modules.engine.errors import EngineError, FieldProblem


class Unauthenticated(EngineError):
    code = "UNAUTHENTICATED"


def user_of(info: Info) -> Any:
    context = info.context
    if isinstance(context, dict):  # WebSocket consumer context
        return context.get("user")
    return context.request.user


def require_user(info: Info) -> Any:
    """The signed-in user, or a typed UNAUTHENTICATED error."""
    user = user_of(info)
    if user is None or not user.is_authenticated:
        raise Unauthenticated("Cần đăng nhập. / Authentication required.")
    return user


def is_read_only(context: Any) -> bool:
    """True when the caller came with a read-only (board) token."""
    user = context.get("user") if isinstance(context, dict) else getattr(context.request, "user", None)
    return bool(getattr(user, "onemst_read_only", False))


class BadUserInput(EngineError):
    """An argument the server cannot use (a malformed id, a negative page size): typed, with the field."""

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, [FieldProblem(field, self.code, message)])
