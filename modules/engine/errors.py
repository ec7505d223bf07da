"""Typed errors of the engine. Every entry point turns them into a clear answer:
field-level errors in GraphQL payloads, messages in the admin, 4xx over HTTP."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    field: str | None  # None for errors about the whole record
    code: str
    message: str


class EngineError(Exception):
    """Base class: carries a machine code and a human message (Vietnamese first)."""

    code = "ERROR"

    def __init__(self, message: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems if problems is not None else [FieldProblem(None, self.code, message)]


class InvalidInput(EngineError):
    code = "INVALID"

    def __init__(
        self, problems: list[FieldProblem], message: str = "Dữ liệu không hợp lệ. / Invalid input."
    ) -> None:
        super().__init__(message, problems)

    @classmethod
    def from_dict(cls, errors: dict[str, list[str]], code: str = "INVALID") -> InvalidInput:
        problems = [
            FieldProblem(None if name in ("__all__", "") else name, code, message)
            for name, messages in errors.items()
            for message in messages
        ]
        return cls(problems)


class NotFound(EngineError):
    """Also what an invisible row looks like: never tell 'hidden' from 'absent'."""

    code = "NOT_FOUND"


class PermissionDenied(EngineError):
    code = "PERMISSION_DENIED"


class StaleVersion(EngineError):
    code = "STALE_VERSION"

    def __init__(self, expected: int, current: int) -> None:
        message = (
            f"Bản ghi đã được người khác sửa (phiên bản {current}, bạn gửi {expected}); "
            f"hãy tải lại. / The record was changed by someone else (version {current}, "
            f"you sent {expected}); reload it."
        )
        super().__init__(message, [FieldProblem("version", self.code, message)])
        self.expected = expected
        self.current = current


class TransitionRefused(EngineError):
    code = "TRANSITION_REFUSED"


def problems_by_field(error: EngineError) -> tuple[dict[str, list[str]], list[str]]:
    """A page's view of an error: messages per field, and those about the whole record."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in error.problems:
        if problem.field:
            by_field.setdefault(problem.field, []).append(problem.message)
        else:
            general.append(problem.message)
    return by_field, general
