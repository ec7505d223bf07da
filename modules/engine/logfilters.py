"""Refusals are logged as one line, not a traceback.

A 403 (Django's `PermissionDenied`) and a typed engine error in GraphQL (FORBIDDEN,
NOT_FOUND, INVALID, ...) are the system working as intended: a stack trace for each
buries real faults and fills the disk. `settings.LOGGING` attaches this filter to the
loggers that would print one (`django.request`, `strawberry.execution`); anything
else, an unexpected exception above all, keeps its traceback.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from graphql import GraphQLError

from .errors import EngineError


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class OneLineRefusals(logging.Filter):
    """Drop the traceback of expected refusals and fold their message onto one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(record.msg, GraphQLError):  # strawberry logs the error itself: several lines
            error = record.msg
            code = exc.code if isinstance(exc, EngineError) else (error.extensions or {}).get("code", "")
            where = f" at {'.'.join(str(p) for p in error.path)}" if error.path else ""
            record.msg, record.args = _one_line(f"GraphQL {code or 'error'}{where}: {error.message}"), ()
        if isinstance(exc, PermissionDenied):
            record.msg, record.args = _one_line(record.getMessage()), ()
        elif isinstance(exc, EngineError):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        else:
            return True
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
