"""How many people a center can plausibly have, per program and center type
(`data/centers/enrollment_bounds.csv`, each row with its justification and source), and
when a change of enrollment is large enough to need a confirmation.

A count beyond the bound is refused wherever it enters (API, upload, form); money is
computed from enrollment, so an absurd count would otherwise reach every finance total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from menu_planner.domain import DataError, Problem
from menu_planner.tabular import Column, read_table

BOUNDS_FILE = Path("centers") / "enrollment_bounds.csv"
SHIPPED_BOUNDS = Path(__file__).resolve().parent.parent / "data" / BOUNDS_FILE
ANY = "*"

_COLUMNS = [
    Column("program"),
    Column("center_type"),
    Column("max_enrolled", kind="int", min=1, max=100_000),
    Column("confirm_change_people", kind="int", min=1, max=100_000),
    Column("confirm_change_percent", kind="float", min=0, max=1000),
    Column("justification"),
    Column("source"),
]


@dataclass(frozen=True)
class EnrollmentBound:
    """The most people a center of one program and type may have, and the change of its
    total enrollment that needs a confirmation: at least `confirm_people` people and more
    than `confirm_percent` % of the last value."""

    program: str
    center_type: str
    max_enrolled: int
    confirm_people: int
    confirm_percent: float

    def count_problem(self, total: int) -> str | None:
        """A Spanish sentence when `total` people is beyond the bound, else None."""
        if total > self.max_enrolled:
            return (f"{total:,} personas es más de lo posible en un centro de tipo "
                    f"{self.center_type} (máximo {self.max_enrolled:,}); revise la cifra")
        return None

    def is_large_change(self, before: int, after: int) -> bool:
        """Whether going from `before` to `after` people needs a confirmation."""
        change = abs(after - before)
        return change >= self.confirm_people and change * 100 > self.confirm_percent * before


class EnrollmentBounds:
    """The bounds of every program and center type, most specific row first."""

    def __init__(self, rows: Mapping[tuple[str, str], EnrollmentBound]) -> None:
        self._rows = dict(rows)

    def for_center(self, program: str, center_type: str) -> EnrollmentBound:
        """The row of (program, type), else (program, *), else (*, *)."""
        for key in ((program, center_type), (program, ANY), (ANY, ANY)):
            if key in self._rows:
                return self._rows[key]
        raise KeyError(f"sin límite de inscripción para {program}/{center_type}")

    def problems(self, program: str, center_type: str,
                 enrolled: Mapping[str, int]) -> list[tuple[str, str]]:
        """(age group or "total", Spanish message) for each count beyond the bound."""
        bound = self.for_center(program, center_type)
        out = [(g, msg) for g, n in enrolled.items()
               if (msg := bound.count_problem(n)) is not None]
        total_msg = bound.count_problem(sum(enrolled.values()))
        if total_msg and not out:
            out.append(("total", "en total, " + total_msg))
        return out


def load_enrollment_bounds(path: Path | None = None) -> EnrollmentBounds:
    """The bounds file (the shipped one by default); DataError naming each bad row. The
    file must end with the catch-all row `*,*`."""
    file = path or SHIPPED_BOUNDS
    rows, problems = read_table(file, _COLUMNS, label=str(BOUNDS_FILE))
    found = {(r["program"], r["center_type"]): EnrollmentBound(
        r["program"], r["center_type"], r["max_enrolled"], r["confirm_change_people"],
        r["confirm_change_percent"]) for r in rows}
    if not problems and (ANY, ANY) not in found:
        problems.append(Problem(str(BOUNDS_FILE), None, "program",
                                "falta la fila '*,*' (el límite de cualquier otro centro)"))
    if problems:
        raise DataError(problems)
    return EnrollmentBounds(found)


@lru_cache(maxsize=8)
def bounds_of(data_dir: Path | None) -> EnrollmentBounds:
    """The bounds of a data directory (its own file when it has one, else the shipped
    file), read once per directory."""
    own = data_dir / BOUNDS_FILE if data_dir is not None else None
    return load_enrollment_bounds(own if own is not None and own.is_file() else None)
