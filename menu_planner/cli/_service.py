"""Shared by the service commands: settings with Spanish errors, and prepared services."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from menu_planner.config import Settings, SettingsError
from menu_planner.domain import DataError
from menu_planner.services import Services, create_services


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env plus overrides; exit 2 with a Spanish message if invalid."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [f"- {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        typer.echo("La configuración no es válida:\n" + "\n".join(lines), err=True)
        raise typer.Exit(2) from exc
    return settings


def require_secret(settings: Settings) -> None:
    """Exit 2 when no secret key is set (and not in demo mode)."""
    try:
        settings.require_secret()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


def prepared_services(settings: Settings) -> Services:
    """Services on a migrated, seeded database; exit 1 naming bad seed data."""
    services = create_services(settings)
    try:
        services.prepare()
    except DataError as exc:
        typer.echo("No se pudo sembrar la base de datos:\n" + exc.report(), err=True)
        raise typer.Exit(1) from exc
    return services
