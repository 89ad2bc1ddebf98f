"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from menu_planner import __version__
from menu_planner.api.body_limit import BodyLimit
from menu_planner.api.errors import install_error_handlers
from menu_planner.api.headers import SecurityHeaders
from menu_planner.api.routes import (
    audit,
    auth,
    centers,
    cycles,
    exchanges,
    finance,
    health,
    home,
    reference,
)
from menu_planner.config import Settings, get_settings
from menu_planner.services import Services, create_services
from menu_planner.web import install_web

DESCRIPTION = """
Servicio del **planificador de menús y compras**.

* Las **nutricionistas** generan ciclos de menú de 6 semanas (un trabajo en segundo plano
  cuyo avance se consulta), los revisan y los **firman**: un ciclo aprobado no cambia; una
  nueva versión reemplaza a la anterior sin borrarla.
* Los **administradores de centro** descargan la lista de compras semanal de sus centros
  (JSON, CSV o xlsx).
* Las **unidades financieras** revisan la caja chica mensual por centro, departamento y
  total nacional, y registran liquidaciones.

Autenticación: `POST /auth/token` con usuario y contraseña devuelve un token; envíelo como
`Authorization: Bearer <token>`. Los errores siempre tienen la forma
`{"error": {"code", "message", "details"}}` con el mensaje en español.
"""

BODY_SLACK_BYTES = 256 * 1024

TAGS = [
    {"name": "sesión", "description": "Inicio de sesión y token."},
    {"name": "ciclos de menú", "description": "Generación, borradores, firma y versiones."},
    {"name": "centros", "description": "Centros, inscripción y listas de compras."},
    {"name": "caja chica", "description": "Presupuesto mensual y liquidaciones."},
    {"name": "alimentos y precios", "description": "Alimentos, precios y encuestas."},
    {"name": "menús", "description": "Programas, recetas y metas nutricionales."},
    {"name": "intercambios y menús especiales",
     "description": "Reglas de intercambio, metas especiales, listas de intercambio y "
                    "sustituciones en la lista de compras."},
    {"name": "usuarios", "description": "Cuentas y roles (administración)."},
    {"name": "auditoría", "description": "Quién hizo qué y cuándo."},
    {"name": "estado", "description": "Salud del servicio."},
]


def create_app(settings: Settings | None = None, services: Services | None = None,
               manage_services: bool = True) -> FastAPI:
    """The application; it migrates and seeds the database when it starts. With
    `manage_services=False` the caller starts and closes the services itself (tests that
    drive the app without its lifespan)."""
    svc = services or create_services(settings or get_settings())
    svc.settings.require_secret()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        svc.start()
        try:
            yield
        finally:
            svc.close()

    app = FastAPI(title="Planificador de menús y compras", version=__version__,
                  description=DESCRIPTION, openapi_tags=TAGS,
                  lifespan=lifespan if manage_services else None)
    # Every body: an upload's limit plus room for the multipart envelope and form fields.
    limit = svc.settings.max_upload_bytes
    app.add_middleware(BodyLimit, max_bytes=limit + BODY_SLACK_BYTES, file_bytes=limit)
    app.state.services = svc
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    install_web(app)  # the web pages (menu_planner/web), '/' included
    for router in (home.router, health.router, auth.router, auth.users, reference.foods,
                   reference.prices, reference.menus, centers.router, finance.router,
                   cycles.router, cycles.jobs, exchanges.router, audit.router):
        app.include_router(router)
    return app
