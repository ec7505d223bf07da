"""Arguments of generated list fields, checked before any query is built (issue 11, point 8).

A negative offset or page size, a cursor that is not one of ours, or a filter value the
column cannot hold (`id: {exact: "abc"}`) is the caller's mistake: it gets a typed
`BAD_USER_INPUT` naming the argument, never an internal error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from strawberry.relay.utils import from_base64

from .context import BadUserInput

CURSOR_PREFIX = "arrayconnection"  # strawberry's ListConnection cursors: base64("arrayconnection:<offset>")


def check_list_arguments(kwargs: dict[str, Any]) -> None:
    pagination = kwargs.get("pagination")
    for name in ("offset", "limit"):
        value = getattr(pagination, name, None)
        if isinstance(value, int) and value < 0:
            raise BadUserInput(
                f"pagination.{name}",
                f"{name} không được âm. / {name} must not be negative.",
            )
    for name in ("first", "last"):
        value = kwargs.get(name)
        if isinstance(value, int) and value < 0:
            raise BadUserInput(name, f"{name} không được âm. / {name} must not be negative.")
    for name in ("after", "before"):
        value = kwargs.get(name)
        if isinstance(value, str) and not _is_cursor(value):
            raise BadUserInput(name, "Con trỏ trang không hợp lệ. / Malformed cursor.")


def _is_cursor(value: str) -> bool:
    try:
        prefix, offset = from_base64(value)
        return prefix == CURSOR_PREFIX and int(offset) >= 0
    except (ValueError, TypeError):
        return False


def resolve_list(next_: Callable[..., Any], source: Any, info: Any, kwargs: dict[str, Any]) -> Any:
    """Run a list field's resolver with its arguments checked; a filter value Django cannot
    convert for its column (ValueError, ValidationError) is reported on `filters`."""
    check_list_arguments(kwargs)
    try:
        return next_(source, info, **kwargs)
    except (ValueError, TypeError, ValidationError) as error:
        if kwargs.get("filters") is None:
            raise
        raise BadUserInput(
            "filters", "Giá trị lọc không hợp lệ cho trường này. / A filter value does not fit its field."
        ) from error
