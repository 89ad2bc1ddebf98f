"""Reading a diet problem from its two CSV files, checking every line.

`F.csv`: `food_id, cost`, one column per nutrient (amount per unit of food) and an
optional `max_units`; other columns (names, units, sources) are kept out of the model.
`R.csv`: `nutrient, min, max` (blank = no bound). The nutrient columns of F.csv are the
ones R.csv names. Every problem is reported at once, in Spanish, with file, line and column.
"""

from __future__ import annotations

import csv
from pathlib import Path

from menu_planner.diet.problem import DietFood, DietProblem, Requirement
from menu_planner.domain import DataError, Problem
from menu_planner.tabular import Column, Row, check_unique, read_table

RESERVED = ("food_id", "cost", "max_units")

REQUIREMENT_COLUMNS = [
    Column("nutrient"),
    Column("min", "float", required=False, min=0.0),
    Column("max", "float", required=False, min=0.0),
]


def read_diet_problem(foods_path: Path, requirements_path: Path) -> DietProblem:
    """The checked problem in the two files; DataError with every problem otherwise."""
    f_name, r_name = str(foods_path), str(requirements_path)
    problems: list[Problem] = []
    header = _header(foods_path)
    req_rows, probs = read_table(requirements_path, REQUIREMENT_COLUMNS, label=r_name)
    problems += probs
    problems += check_unique(req_rows, lambda r: r["nutrient"], r_name, "nutrient", "nutriente")
    problems += _check_requirements(req_rows, header, r_name, f_name)
    if not req_rows and requirements_path.is_file() and not probs:
        problems.append(Problem(r_name, None, None, "el archivo no tiene requerimientos"))
    nutrients = [r["nutrient"] for r in req_rows
                 if r["nutrient"] not in RESERVED and (header is None or r["nutrient"] in header)]
    nutrients = list(dict.fromkeys(nutrients))
    food_rows, probs = read_table(foods_path, _food_columns(header, nutrients), label=f_name)
    problems += probs
    problems += check_unique(food_rows, lambda r: r["food_id"], f_name, "food_id", "food_id")
    if not food_rows and foods_path.is_file() and not probs:
        problems.append(Problem(f_name, None, None, "el archivo no tiene alimentos"))
    if problems:
        raise DataError(problems)
    foods = tuple(
        DietFood(r["food_id"], r["cost"], {n: r[n] for n in nutrients}, r.get("max_units"))
        for r in food_rows
    )
    reqs = tuple(Requirement(r["nutrient"], r["min"], r["max"]) for r in req_rows)
    return DietProblem(foods, reqs)


def _header(path: Path) -> list[str] | None:
    """The column names of a CSV file, or None when it cannot be read (read_table says why)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return [h.strip() for h in first]


def _food_columns(header: list[str] | None, nutrients: list[str]) -> list[Column]:
    cols = [Column("food_id"), Column("cost", "float", min=0.0)]
    if header is not None and "max_units" in header:
        cols.append(Column("max_units", "float", required=False, min=0.0))
    cols += [Column(n, "float", min=0.0) for n in nutrients]
    return cols


def _check_requirements(
    rows: list[Row], header: list[str] | None, r_name: str, f_name: str
) -> list[Problem]:
    out: list[Problem] = []
    for r in rows:
        line, nutrient = r["_line"], r["nutrient"]
        if nutrient in RESERVED:
            out.append(Problem(r_name, line, "nutrient",
                               f"'{nutrient}' no es un nutriente: es una columna reservada "
                               f"de {f_name}"))
        elif header is not None and nutrient not in header:
            out.append(Problem(r_name, line, "nutrient",
                               f"nutriente desconocido '{nutrient}': {f_name} no tiene una "
                               "columna con ese nombre"))
        if r["min"] is None and r["max"] is None:
            out.append(Problem(r_name, line, "min",
                               "el requerimiento no tiene mínimo ni máximo"))
        elif r["min"] is not None and r["max"] is not None and r["min"] > r["max"]:
            out.append(Problem(r_name, line, "min", "el mínimo es mayor que el máximo"))
    return out
