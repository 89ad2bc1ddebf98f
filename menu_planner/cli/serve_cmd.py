"""`menu-planner serve`: the web service (migrates and seeds the database on start)."""

from __future__ import annotations

from typing import Annotated

import typer

from menu_planner.cli import app
from menu_planner.cli._service import load_settings, require_secret

Host = Annotated[str, typer.Option("--host", help="Dirección en la que escucha.")]
Port = Annotated[int, typer.Option("--port", min=1, max=65535, help="Puerto.")]


@app.command("serve", help="Inicia el servicio web (API y páginas); ver docs/service.md.")
def serve(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Inicia el servicio web (API y páginas). Configuración por variables de entorno o
    .env: MENU_PLANNER_DATABASE_URL, MENU_PLANNER_SECRET_KEY, MENU_PLANNER_DATA_DIR,
    MENU_PLANNER_DEMO (ver docs/service.md)."""
    settings = load_settings()
    require_secret(settings)
    run_server(settings, host, port)


def run_server(settings: object, host: str, port: int) -> None:
    """Build the app for `settings` and run it with uvicorn until interrupted."""
    import uvicorn

    from menu_planner.api import create_app
    from menu_planner.config import Settings

    assert isinstance(settings, Settings)
    where = settings.database_url.split("@")[-1]
    typer.echo(f"Base de datos: {where}")
    typer.echo(f"Servicio en http://{host}:{port}/  (documentación: /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
