"""Errors the use cases raise; adapters turn them into HTTP statuses or exit codes.
Messages are Spanish: they reach people as they are."""

from __future__ import annotations

from typing import Any

from menu_planner.domain import DataError, Problem


class ServiceError(Exception):
    """A use case refused: `code` names the case for programs, `message` is for people."""

    code = "error"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        if code:
            self.code = code


class NotFound(ServiceError):
    code = "no_encontrado"


class Forbidden(ServiceError):
    code = "prohibido"


class Conflict(ServiceError):
    code = "conflicto"


class TooManyAttempts(ServiceError):
    """Refused before any work because of too many attempts; `retry_after` is in seconds."""

    code = "demasiados_intentos"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Invalid(ServiceError):
    """Input that breaks a rule; `details` lists each problem (file, line, column)."""

    code = "datos_invalidos"


def problem_detail(p: Problem) -> dict[str, Any]:
    """A Problem as a JSON-ready detail."""
    return {"file": p.file, "line": p.line, "column": p.column, "message": p.message}


def invalid_from(exc: DataError, message: str | None = None) -> Invalid:
    """An Invalid carrying every problem of a DataError."""
    head = message or f"Se encontraron {len(exc.problems)} problema(s) en los datos."
    return Invalid(head, [problem_detail(p) for p in exc.problems])
