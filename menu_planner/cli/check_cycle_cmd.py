"""`menu-planner check-cycle`: check a menu cycle against the menu-quality standard
(`DATA/menus/quality_rules.csv`, see docs/menu-quality.md) and print the report.

Exit codes: 0 the cycle passes every rule; 3 it fails at least one rule (the report says
which, where and by how much); 1 the cycle file, the data or the rules have problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from menu_planner.cli import app
from menu_planner.cli.exchanges_cmd import read_cycle
from menu_planner.domain import DataError
from menu_planner.procurement.checks import cycle_problems
from menu_planner.quality import quality_of
from menu_planner.reference_data import load_dataset

EXIT_DATA = 1
EXIT_FAILS = 3


@app.command("check-cycle")
def check_cycle_cmd(
    cycle: Annotated[Path, typer.Argument(help="Archivo JSON del ciclo (menu_planner.cycle/1).")],
    data: Annotated[Path | None, typer.Option(
        "--data", help="Directorio de datos con la estructura de data/ (por defecto, los "
                       "datos incluidos).")] = None,
) -> None:
    """Revisa un ciclo con el estándar de calidad del menú (Guías Alimentarias, OMS/UNICEF,
    rotación y energía); sale con 0 si cumple todo, 3 si no cumple alguna regla."""
    try:
        dataset = load_dataset(data)
        menu = read_cycle(cycle)
        problems = cycle_problems(dataset, menu, cycle.name)
        if problems:
            raise DataError(problems)
        report = quality_of(menu, dataset, data)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(EXIT_DATA) from exc
    typer.echo("\n".join(report.lines_es()))
    if not report.passed:
        raise typer.Exit(EXIT_FAILS)
