"""Reads a centers file (`centers.csv` of the contract) into Center objects, checking every
row: known program and department, and a whole, non-negative enrollment per age group
within the plausibility bound of the center's program and type."""

from __future__ import annotations

from pathlib import Path

from menu_planner.domain import DEPARTMENTS, Center, DataError, Dataset, Problem
from menu_planner.enrollment_bounds import EnrollmentBounds, bounds_of
from menu_planner.tabular import Column, check_unique, parse_number, read_table

CENTER_COLUMNS = [
    Column("center_id"),
    Column("name"),
    Column("program"),
    Column("center_type"),
    Column("department", choices=DEPARTMENTS),
    Column("municipality"),
]


def enrolled_column(age_group: str) -> str:
    """The centers.csv column holding enrollment of `age_group`."""
    return f"enrolled_{age_group}"


def load_centers(path: Path, dataset: Dataset, label: str | None = None,
                 bounds: EnrollmentBounds | None = None) -> list[Center]:
    """Every center in `path`, in file order; DataError naming each bad row and field.
    `bounds`: the plausible enrollment per program and center type (default: shipped)."""
    name = label or path.name
    limits = bounds or bounds_of(None)
    rows, problems = read_table(path, CENTER_COLUMNS, label=name)
    problems += check_unique(rows, lambda r: r["center_id"], name, "center_id", "center_id")
    centers: list[Center] = []
    for r in rows:
        line = r["_line"]
        program = r["program"]
        if program not in dataset.programs:
            known = ", ".join(sorted(dataset.programs))
            problems.append(Problem(name, line, "program",
                                    f"programa desconocido '{program}' (use {known})"))
            continue
        enrolled: dict[str, int] = {}
        for g in dataset.age_groups_of(program):
            col = enrolled_column(g.age_group)
            value, msg = _count(r.get(col))
            if msg:
                problems.append(Problem(name, line, col, msg))
            else:
                enrolled[g.age_group] = value
        for group, msg in limits.problems(program, r["center_type"], enrolled):
            where = enrolled_column(group) if group in enrolled else None
            problems.append(Problem(name, line, where, msg))
        centers.append(Center(r["center_id"], r["name"], program, r["center_type"],
                              r["department"], r["municipality"], enrolled))
    if not rows and not problems:
        problems.append(Problem(name, None, None, "el archivo no tiene centros"))
    if problems:
        raise DataError(problems)
    return centers


def _count(text: object) -> tuple[int, str | None]:
    """A whole, non-negative number of people (blank = 0), or an error message."""
    if text is None or str(text).strip() == "":
        return 0, None
    try:
        value = parse_number(str(text))
    except ValueError:
        return 0, f"'{text}' no es un número de personas"
    if value < 0:
        return 0, f"la inscripción no puede ser negativa ({value:g})"
    if value != int(value):
        return 0, f"la inscripción debe ser un número entero ({value:g})"
    return int(value), None
