"""Caja chica (monthly petty cash) per center, department and nation; settlements."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from menu_planner.api.deps import ActorDep, ServicesDep
from menu_planner.api.params import IdPath, Limit, Month, Offset
from menu_planner.api.routes.centers import FILE_RESPONSES, download
from menu_planner.api.schemas.common import Page, error_responses
from menu_planner.api.schemas.finance import SettlementCreate, SettlementPublic
from menu_planner.services import ReceiptIn

router = APIRouter(tags=["caja chica"], responses=error_responses(400, 401, 403, 422))

Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="json, csv o xlsx")]
DOC_RESPONSES = {**FILE_RESPONSES, **error_responses(404)}


@router.get("/centers/{center_id}/caja-chica", response_class=Response,
            responses=DOC_RESPONSES)
def center_caja(center_id: str, month: Month, actor: ActorDep, services: ServicesDep,
                format: Format = "json") -> Response:
    """La caja chica de un centro para un mes: alimentos, asignaciones y gasto
    planificado según el ciclo aprobado."""
    report = services.finance.caja_chica(actor, month, center_id=center_id)
    return download(services.finance.render_caja(report, format, f"caja_chica_{center_id}_{month}"))


@router.get("/caja-chica/departments/{department}", response_class=Response,
            responses=DOC_RESPONSES)
def department_caja(department: str, month: Month, actor: ActorDep, services: ServicesDep,
                    format: Format = "json") -> Response:
    """La caja chica de los centros de un departamento y su total (finanzas)."""
    report = services.finance.caja_chica(actor, month, department=department)
    stem = f"caja_chica_{department.replace(' ', '_')}_{month}"
    return download(services.finance.render_caja(report, format, stem))


@router.get("/caja-chica/national", response_class=Response, responses=DOC_RESPONSES)
def national_caja(month: Month, actor: ActorDep, services: ServicesDep,
                  format: Format = "json") -> Response:
    """La caja chica de todos los centros, por departamento y total nacional (finanzas)."""
    report = services.finance.caja_chica(actor, month)
    return download(services.finance.render_caja(report, format, f"caja_chica_nacional_{month}"))


@router.post("/settlements", response_model=SettlementPublic, status_code=201,
             responses=error_responses(404))
def create_settlement(body: SettlementCreate, actor: ActorDep,
                      services: ServicesDep) -> SettlementPublic:
    """Registra la liquidación de la caja chica de un centro y mes contra sus
    comprobantes (finanzas). Una nueva liquidación del mismo centro y mes reemplaza a la
    anterior sin borrarla."""
    receipts = [ReceiptIn(r.date, r.receipt_no, r.supplier, r.amount_q, r.concept)
                for r in body.receipts]
    row = services.finance.settle(actor, body.center_id, body.month, receipts, body.assigned_q,
                                  body.notes)
    return SettlementPublic.model_validate(row)


@router.get("/settlements", response_model=Page[SettlementPublic])
def list_settlements(actor: ActorDep, services: ServicesDep,
                     center_id: Annotated[str | None, Query(max_length=40)] = None,
                     month: Annotated[str | None, Query(
                         pattern=r"^20\d{2}-(0[1-9]|1[0-2])$")] = None,
                     offset: Offset = 0, limit: Limit = 100) -> Page[SettlementPublic]:
    """Liquidaciones registradas, la más reciente primero."""
    rows, total = services.finance.settlements(actor, center_id, month, offset, limit)
    return Page(items=[SettlementPublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)


@router.get("/settlements/{settlement_id:int}", response_model=SettlementPublic,
            responses=error_responses(404))
def get_settlement(settlement_id: IdPath, actor: ActorDep,
                   services: ServicesDep) -> SettlementPublic:
    """Una liquidación."""
    return SettlementPublic.model_validate(services.finance.settlement(actor, settlement_id))
