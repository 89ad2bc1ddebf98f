"""Errors the use cases raise; adapters turn them into HTTP statuses or exit codes.
Messages are Spanish: they reach people as they are."""

from __future__ import annotations

from typing import Any

from menu_planner.domain import DataError, Problem
from menu_planner.storage import is_database_fault as _storage_fault

MAX_DETAILS = 50  # problems listed one by one; the rest are counted


class ServiceError(Exception):
    """A use case refused: `code` names the case for programs, `message` is for people.
    At most MAX_DETAILS details are kept, then one saying how many more there are."""

    code = "error"

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = bounded_details(details or [])
        if code:
            self.code = code


def bounded_details(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first MAX_DETAILS details and, when there are more, "y K más"."""
    if len(details) <= MAX_DETAILS:
        return details
    rest = len(details) - MAX_DETAILS
    return [*details[:MAX_DETAILS], {"message": f"y {rest:,} problema(s) más", "more": rest}]


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


class TooLarge(ServiceError):
    """An upload bigger than the service accepts (HTTP 413)."""

    code = "archivo_muy_grande"


class Unavailable(ServiceError):
    """The database does not answer, or not in time (HTTP 503); try again later."""

    code = "base_de_datos_no_disponible"


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


HTTP_STATUS: dict[type[ServiceError], int] = {
    NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422, TooLarge: 413,
    Unavailable: 503, TooManyAttempts: 429,
}  # how the web adapters answer each refusal (anything else: 400)


def is_database_fault(exc: BaseException) -> bool:
    """Whether an error that escaped a use case means the database is unreachable or
    stalled (not a bad request): the adapters answer 503 instead of 500."""
    return _storage_fault(exc)
