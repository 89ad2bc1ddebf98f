"""`menu-planner demo`: explicit demo mode, with one account per role whose random
passwords are printed once."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from menu_planner.cli import app
from menu_planner.cli._service import load_settings, prepared_services
from menu_planner.cli.serve_cmd import Host, Port, run_server
from menu_planner.services import (
    ADMIN,
    CENTER_ADMIN,
    FINANCE,
    NUTRITIONIST,
    ROLE_LABELS_ES,
    SYSTEM,
    Services,
)

DEMO_USERS = (
    ("demo.nutricionista", NUTRITIONIST),
    ("demo.centro", CENTER_ADMIN),
    ("demo.finanzas", FINANCE),
    ("demo.admin", ADMIN),
)


def seed_demo_users(services: Services) -> list[tuple[str, str, str, list[str]]]:
    """Create (or reset) the demo accounts with new random passwords:
    (username, role, password, centers)."""
    centers = [c.center_id for c in services.centers.find(SYSTEM)][:2]
    existing = {u.username for u, _ in services.accounts.list_users(SYSTEM)}
    out = []
    for name, role in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        mine = centers if role == CENTER_ADMIN else []
        if name in existing:
            services.accounts.update_user(SYSTEM, name, role=role, centers=mine, active=True,
                                          password=password)
        else:
            services.accounts.add_user(SYSTEM, name, role, password, mine,
                                       f"Demostración ({ROLE_LABELS_ES[role]})")
        out.append((name, role, password, mine))
    return out


@app.command("demo", help="Modo demostración: usuarios de cada rol con contraseña "
                          "aleatoria; luego inicia el servicio.")
def demo(
    serve: Annotated[bool, typer.Option("--serve/--no-serve",
                                        help="Iniciar el servicio después.")] = True,
    host: Host = "127.0.0.1", port: Port = 8000,
) -> None:
    """Modo demostración: siembra la base con los datos incluidos, crea un usuario de
    cada rol con contraseña aleatoria (se muestra una sola vez) e inicia el servicio."""
    settings = load_settings(demo=True)
    services = prepared_services(settings)
    try:
        accounts = seed_demo_users(services)
    finally:
        services.close()
    typer.echo("Modo demostración. Cuentas (las contraseñas no se vuelven a mostrar):")
    for name, role, password, centers in accounts:
        extra = f"  centros: {', '.join(centers)}" if centers else ""
        typer.echo(f"  {name:<20} {password:<18} {ROLE_LABELS_ES[role]}{extra}")
    if serve:
        run_server(settings, host, port)
    else:
        typer.echo("Inicie el servicio con: MENU_PLANNER_DEMO=1 menu-planner serve")
