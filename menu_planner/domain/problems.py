"""Problems found in input data, reported all at once, with where and why (in Spanish)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: file, line (1 = header), column and a Spanish reason."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", línea {self.line}"
        if self.column:
            where += f", columna '{self.column}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """Raised with every problem found, so a person can fix them all in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, in Spanish."""
        head = f"Se encontraron {len(self.problems)} problema(s) en los datos:"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])
