"""`menu-planner data check`: validate a data directory and summarize it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from menu_planner.cli import app
from menu_planner.data_summary import summarize
from menu_planner.domain import DataError
from menu_planner.quality.standard import QUALITY_FILE, load_quality_standard, standard_problems
from menu_planner.reference_data import load_dataset

data_app = typer.Typer(help="Revisar los datos de alimentos, precios y menús.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")

DataDir = Annotated[
    Path | None,
    typer.Option("--data", help="Directorio de datos con la estructura de data/ "
                                "(por defecto, los datos incluidos)."),
]


@data_app.command("check")
def check(data: DataDir = None) -> None:
    """Valida un directorio de datos e imprime un resumen; sale con código 1 si hay errores."""
    try:
        ds = load_dataset(data)
        standard = load_quality_standard(data)
        problems = standard_problems(standard, ds)
        if problems:
            raise DataError(problems)
    except DataError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from exc
    typer.echo("\n".join(summarize(ds).lines()))
    typer.echo(f"Reglas de calidad del menú: {len(standard.rules)}"
               + (f" ({QUALITY_FILE})" if standard.rules else " (sin archivo de reglas)"))
