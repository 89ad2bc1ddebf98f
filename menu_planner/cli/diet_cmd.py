"""`menu-planner diet`: the least-cost diet of a food list (Cost of the Diet).

Exit codes: 0 optimal diet printed; 1 problems in the input files; 2 no diet meets the
requirements (diagnosis printed); 3 the solver proved neither.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from menu_planner.cli import app
from menu_planner.diet import DietInfeasible, SolverError, read_diet_problem, solve_diet
from menu_planner.domain import DataError

EXIT_DATA = 1
EXIT_INFEASIBLE = 2
EXIT_SOLVER = 3


def _print_json(data: dict[str, Any]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("diet")
def diet(
    foods: Annotated[Path, typer.Option(
        "--foods", help="CSV de alimentos: food_id, cost, una columna por nutriente "
                        "(cantidad por unidad de alimento) y max_units opcional.")],
    requirements: Annotated[Path, typer.Option(
        "--requirements", help="CSV de requerimientos: nutrient, min, max "
                               "(vacío = sin límite).")],
) -> None:
    """Calcula la dieta de menor costo que cumple los requerimientos e imprime JSON."""
    try:
        problem = read_diet_problem(foods, requirements)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(EXIT_DATA) from exc
    try:
        result = solve_diet(problem)
    except SolverError as exc:
        _print_json({"status": "error", "message": str(exc)})
        raise typer.Exit(EXIT_SOLVER) from exc
    _print_json(result.as_json())
    if isinstance(result, DietInfeasible):
        typer.echo(result.message_es, err=True)
        raise typer.Exit(EXIT_INFEASIBLE)
