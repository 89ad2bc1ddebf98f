"""Liveness and readiness: the service answers and the database responds."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from menu_planner import __version__
from menu_planner.api.deps import ServicesDep
from menu_planner.api.schemas.common import Health

router = APIRouter(tags=["estado"])


@router.get("/health", response_model=Health,
            responses={503: {"model": Health, "description": "La base de datos no responde"}})
def health(services: ServicesDep) -> Health | JSONResponse:
    """Estado del servicio y de la base de datos."""
    try:
        revision = services.reference.data_revision()
    except Exception:
        body = Health(status="degradado", database="sin conexión", version=__version__,
                      data_revision=-1)
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", database="ok", version=__version__, data_revision=revision)
