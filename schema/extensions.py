"""Schema extensions: typed error codes, no stack traces, and abuse limits."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator

from django.core.exceptions import ValidationError as DjangoValidationError
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from modules.engine.errors import EngineError

log = logging.getLogger("onemst.graphql")

INTERNAL = "Lỗi hệ thống, đã được ghi lại. / Internal error; it has been logged."


class ErrorCodes(SchemaExtension):
    """Give every error an `extensions.code`; replace unexpected ones by a generic message."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if not result or not result.errors:
            return
        result.errors = [self._typed(error) for error in result.errors]

    @staticmethod
    def _typed(error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None:  # syntax, validation, limits: already a clear message
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            return _with(error, error.message, {**(error.extensions or {}), "code": code})
        if isinstance(original, EngineError):
            extensions = {"code": original.code}
            fields = [p.field for p in original.problems if p.field]
            if fields:  # which input was wrong, e.g. BAD_USER_INPUT on `id`
                extensions["field"] = fields[0]
            return _with(error, original.message, extensions)
        if isinstance(original, GraphQLError):  # e.g. bad scalar input values
            return _with(error, error.message, {"code": "BAD_USER_INPUT"})
        if isinstance(original, (ValueError, TypeError)) and "pagination" in error.message.lower():
            return _with(error, error.message, {"code": "BAD_USER_INPUT"})
        column = _unconvertible_lookup(original)
        if column is not None:
            field = _argument_holding(error, original) or column
            return _with(error, BAD_VALUE, {"code": "BAD_USER_INPUT", "field": field})
        log.error("GraphQL resolver failed", exc_info=original)
        return _with(error, INTERNAL, {"code": "INTERNAL_SERVER_ERROR"})


BAD_VALUE = "Giá trị không hợp lệ cho trường này. / A value does not fit its field."


def _unconvertible_lookup(error: BaseException) -> str | None:
    """The column name when Django refused to convert a looked-up value for it.

    Module resolvers filter by the ids they are given (`period`, `person`, ...); a value
    such as "" or "abc" fails in the column's `get_prep_value` before any SQL runs. That
    is the caller's input, not a server fault. Only errors raised inside Django's value
    conversion count; any other ValueError stays an internal error.
    """
    if not isinstance(error, (ValueError, TypeError, DjangoValidationError)):
        return None
    frames = traceback.extract_tb(error.__traceback__)
    if any(f.name.startswith("year_lookup_bounds") for f in frames[-3:]):
        return "filters"  # a `year` filter the calendar cannot hold ("year 279646 is out of range")
    if not any(
        f.name in ("get_prep_value", "get_prep_lookup", "to_python") and "django/db" in f.filename
        for f in frames[-4:]
    ):
        return None
    match = re.match(r"Field '([^']+)' expected", str(error))
    return match.group(1) if match else "value"


def _argument_holding(error: GraphQLError, original: BaseException) -> str | None:
    """The argument of the failing field whose literal is the refused value, if one is."""
    got = re.search(r"but got '(.*)'\.$", str(original), re.S)
    if got is None or not error.nodes:
        return None
    for argument in getattr(error.nodes[0], "arguments", None) or ():
        if getattr(argument.value, "value", None) == got.group(1):
            return argument.name.value
    return None


def _with(error: GraphQLError, message: str, extensions: dict) -> GraphQLError:
    """The same error (place and path kept) with a new message and extensions, and no cause."""
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, extensions=extensions
    )


class ReadOnlyTokens(SchemaExtension):
    """Refuse mutations to callers with a read-only (board) token, over HTTP and WebSocket."""

    def on_execute(self) -> Iterator[None]:
        from graphql import ExecutionResult
        from strawberry.types.graphql import OperationType

        from .context import is_read_only

        context = self.execution_context
        if context.operation_type == OperationType.MUTATION and is_read_only(context.context):
            # A result set here means the operation is not executed at all.
            message = "Mã truy cập chỉ đọc không được ghi. / A read-only token cannot write."
            refusal = GraphQLError(message, extensions={"code": "FORBIDDEN"})
            context.result = ExecutionResult(data=None, errors=[refusal])
            log.warning("GraphQL FORBIDDEN: a read-only token tried a mutation")  # one line, no trace
        yield
