# ruff: noqa: I001  (one import line per command module, appended by each module's author)
"""The `menu-planner` command line. Each command lives in its own module and registers
itself on `app` when imported below."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Planificador de menús y compras para programas de alimentación.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Entry point of the console script."""
    app()


# Command modules register themselves on `app`; keep these imports last.
from menu_planner.cli import data_cmd  # noqa: E402, F401
from menu_planner.cli import diet_cmd  # noqa: E402, F401
from menu_planner.cli import purchases_cmd  # noqa: E402, F401
from menu_planner.cli import caja_cmd  # noqa: E402, F401
from menu_planner.cli import serve_cmd  # noqa: E402, F401
from menu_planner.cli import users_cmd  # noqa: E402, F401
from menu_planner.cli import demo_cmd  # noqa: E402, F401
from menu_planner.cli import exchanges_cmd  # noqa: E402, F401
from menu_planner.cli import plan_cmd  # noqa: E402, F401
from menu_planner.cli import check_cycle_cmd  # noqa: E402, F401
