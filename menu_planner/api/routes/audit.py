"""The audit trail: who generated, edited, approved, uploaded or settled what, and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Query

from menu_planner.api.deps import ActorDep, ServicesDep
from menu_planner.api.errors import ApiError
from menu_planner.api.params import Limit, Offset, Text
from menu_planner.api.schemas.audit import AuditPublic
from menu_planner.api.schemas.common import Page, error_responses


def _day_start(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=UTC)
    except ValueError as exc:
        raise ApiError(422, "datos_invalidos", f"'{text}' no es una fecha válida.",
                       [{"location": "parámetro", "field": "since",
                         "message": "debe ser una fecha AAAA-MM-DD"}]) from exc


router = APIRouter(prefix="/audit", tags=["auditoría"],
                   responses=error_responses(400, 401, 403, 422))


@router.get("", response_model=Page[AuditPublic])
def audit_trail(actor: ActorDep, services: ServicesDep, action: Text = None,
                entity: Text = None, entity_id: Text = None, username: Text = None,
                since: Annotated[str | None, Query(
                    pattern=r"^\d{4}-\d{2}-\d{2}$", description="Desde la fecha AAAA-MM-DD")]
                = None, offset: Offset = 0,
                limit: Limit = 100) -> Page[AuditPublic]:
    """Eventos de auditoría, el más reciente primero (administración y finanzas). Acciones:
    `generar_ciclo`, `editar_ciclo`, `aprobar_ciclo`, `cargar_precios`, `cargar_centros`,
    `modificar_meta`, `liquidar_caja_chica`, `crear_usuario`, ..."""
    rows, total = services.accounts.audit_trail(actor, action=action, entity=entity,
                                                entity_id=entity_id, username=username,
                                                since=_day_start(since),
                                                offset=offset, limit=limit)
    return Page(items=[AuditPublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)
