"""`menu-planner users`: accounts of the web service (no default password exists)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from menu_planner.cli import app
from menu_planner.cli._service import load_settings, prepared_services
from menu_planner.services import ROLES, SYSTEM, ServiceError

users_app = typer.Typer(help="Cuentas de usuario del servicio web.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _read_password(from_stdin: bool) -> str:
    if not from_stdin:
        typer.echo("Indique --password-stdin y pase la contraseña por la entrada estándar "
                   "(no hay contraseñas predeterminadas).", err=True)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        typer.echo("La entrada estándar no trajo ninguna contraseña.", err=True)
        raise typer.Exit(2)
    return password


def _fail(exc: ServiceError) -> None:
    typer.echo(exc.message, err=True)
    for d in exc.details:
        typer.echo(f"- {d.get('field', '')}: {d.get('message', '')}", err=True)
    raise typer.Exit(1) from exc


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Nombre de usuario.")],
    role: Annotated[str, typer.Option("--role", help=f"Rol: {', '.join(ROLES)}.")],
    center: Annotated[list[str] | None, typer.Option(
        "--center", help="Centro de un administrador de centro (repetible).")] = None,
    full_name: Annotated[str, typer.Option("--full-name", help="Nombre completo.")] = "",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Leer la contraseña de la entrada estándar.")] = False,
) -> None:
    """Crea una cuenta. Ejemplo: echo 'clave-larga-secreta' | menu-planner users add
    rosa --role administrador_centro --center 2420-20 --password-stdin"""
    password = _read_password(password_stdin)
    services = prepared_services(load_settings())
    try:
        services.accounts.add_user(SYSTEM, name, role, password, center or [], full_name)
    except ServiceError as exc:
        _fail(exc)
    finally:
        services.close()
    typer.echo(f"Usuario '{name}' creado con el rol {role}.")


@users_app.command("list")
def list_users() -> None:
    """Lista las cuentas, su rol, sus centros y si están activas."""
    services = prepared_services(load_settings())
    try:
        for user, centers in services.accounts.list_users(SYSTEM):
            state = "activa" if user.active else "desactivada"
            where = f"  centros: {', '.join(centers)}" if centers else ""
            typer.echo(f"{user.username}\t{user.role}\t{state}{where}")
    finally:
        services.close()


@users_app.command("set-password")
def set_password(
    name: Annotated[str, typer.Argument(help="Nombre de usuario.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Cambia la contraseña de una cuenta (leída de la entrada estándar)."""
    password = _read_password(password_stdin)
    services = prepared_services(load_settings())
    try:
        services.accounts.update_user(SYSTEM, name, password=password)
    except ServiceError as exc:
        _fail(exc)
    finally:
        services.close()
    typer.echo(f"Contraseña de '{name}' cambiada.")


@users_app.command("deactivate")
def deactivate(name: Annotated[str, typer.Argument(help="Nombre de usuario.")]) -> None:
    """Desactiva una cuenta (sus tokens dejan de valer; el historial se conserva)."""
    services = prepared_services(load_settings())
    try:
        services.accounts.update_user(SYSTEM, name, active=False)
    except ServiceError as exc:
        _fail(exc)
    finally:
        services.close()
    typer.echo(f"Cuenta '{name}' desactivada.")
