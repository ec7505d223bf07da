"""A server-side time limit for each query or mutation (`GRAPHQL_TIMEOUT_SECONDS`).

Python cannot stop a thread, and sync resolvers run in threads under ASGI, so the
deadline is cooperative: the executor checks it before resolving the fields of each
object (`DeadlineExecutor.execute_fields`), the fast path checks it between its
steps (schema/fastpath.py), and once it has passed every further object fails at
once. `ExecutionDeadline` then answers the whole operation with one typed error,
`extensions.code = QUERY_TIMEOUT`, and no partial data. A single slow SQL statement
is not interrupted here; the cost rule (schema/cost.py) keeps the number of them
bounded. Subscriptions are long-lived by design and have no deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.graphql import OperationType

CODE = "QUERY_TIMEOUT"


@dataclass
class Deadline:
    at: float
    seconds: float
    expired: bool = False


_current: ContextVar[Deadline | None] = ContextVar("onemst_graphql_deadline", default=None)


class QueryTimeout(GraphQLError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Truy vấn chạy quá {seconds:g} giây và đã bị dừng. / "
            f"The operation ran longer than {seconds:g} s and was stopped.",
            extensions={"code": CODE, "seconds": seconds},
        )


def check_deadline() -> None:
    """Raise QueryTimeout once the current operation's deadline has passed."""
    deadline = _current.get()
    if deadline is not None and (deadline.expired or time.monotonic() > deadline.at):
        deadline.expired = True
        raise QueryTimeout(deadline.seconds)


class DeadlineExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, checking the deadline before each object's fields."""

    def execute_fields(self, *args: Any, **kwargs: Any) -> Any:
        check_deadline()
        return super().execute_fields(*args, **kwargs)


class ExecutionDeadline(SchemaExtension):
    """Start the clock when an operation starts; answer QUERY_TIMEOUT if it ran out."""

    def on_operation(self) -> Iterator[None]:
        seconds = float(settings.GRAPHQL_TIMEOUT_SECONDS)
        deadline = Deadline(at=time.monotonic() + seconds, seconds=seconds) if seconds > 0 else None
        token = _current.set(deadline)
        try:
            yield
        finally:
            deadline = _current.get()
            _current.reset(token)
        context = self.execution_context
        if deadline is not None and deadline.expired and _is_timed(context):
            context.result = ExecutionResult(data=None, errors=[QueryTimeout(deadline.seconds)])

    def on_execute(self) -> Iterator[None]:
        if not _is_timed(self.execution_context):
            _current.set(None)
        yield


def _is_timed(context: Any) -> bool:
    try:
        return context.operation_type != OperationType.SUBSCRIPTION
    except RuntimeError:  # no operation in the document
        return False
