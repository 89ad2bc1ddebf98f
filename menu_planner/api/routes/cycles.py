"""Menu cycles: generation jobs, drafts, signing and versions."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from menu_planner.api.deps import ActorDep, ServicesDep
from menu_planner.api.params import IdPath, Limit, Offset, Text
from menu_planner.api.routes.centers import download
from menu_planner.api.schemas.common import Page, error_responses, file_responses
from menu_planner.api.schemas.cycles import (
    ApproveRequest,
    CycleDetail,
    CycleImport,
    CyclePublic,
    CycleUpdate,
    GenerateRequest,
    JobPublic,
    NewVersionRequest,
)
from menu_planner.services import GenerateParams

router = APIRouter(prefix="/cycles", tags=["ciclos de menú"],
                   responses=error_responses(400, 401, 403, 422))
jobs = APIRouter(prefix="/jobs", tags=["ciclos de menú"],
                 responses=error_responses(400, 401, 403, 422))

Status = Annotated[Literal["draft", "approved", "superseded"] | None, Query()]


@router.post("/generate", response_model=JobPublic, status_code=202)
def generate(body: GenerateRequest, actor: ActorDep, services: ServicesDep) -> JobPublic:
    """Pide un ciclo nuevo al optimizador. Responde enseguida con el trabajo; consulte
    `GET /jobs/{id}` hasta que `status` sea `succeeded` (con `cycle_id`) o `failed` (con
    el diagnóstico en `error`)."""
    params = GenerateParams(program=body.program, weeks=body.weeks,
                            department=body.department, budget_q=body.budget_q,
                            time_limit_s=body.time_limit_s, name=body.name,
                            objective=body.objective,
                            main_dish_max_per_cycle=body.main_dish_max_per_cycle,
                            pins=[p.model_dump() for p in body.pins],
                            exclusions=[e.model_dump() for e in body.exclusions])
    return JobPublic.model_validate(services.jobs.start_generation(actor, params))


@jobs.get("", response_model=Page[JobPublic])
def list_jobs(actor: ActorDep, services: ServicesDep, offset: Offset = 0,
              limit: Limit = 50) -> Page[JobPublic]:
    """Trabajos de generación, el más reciente primero."""
    rows, total = services.jobs.find(actor, offset, limit)
    return Page(items=[JobPublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)


@jobs.get("/{job_id}", response_model=JobPublic, responses=error_responses(404))
def get_job(job_id: str, actor: ActorDep, services: ServicesDep) -> JobPublic:
    """Estado y avance de un trabajo."""
    return JobPublic.model_validate(services.jobs.get(actor, job_id))


@router.get("", response_model=Page[CyclePublic])
def list_cycles(_actor: ActorDep, services: ServicesDep, program: Text = None,
                status: Status = None, offset: Offset = 0,
                limit: Limit = 100) -> Page[CyclePublic]:
    """Ciclos (borradores, aprobados y reemplazados), el más reciente primero."""
    rows, total = services.cycles.find(program, status, offset, limit)
    return Page(items=[CyclePublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)


@router.post("", response_model=CycleDetail, status_code=201)
def import_cycle(body: CycleImport, actor: ActorDep, services: ServicesDep) -> CycleDetail:
    """Guarda como borrador un ciclo en formato menu_planner.cycle/1 (p. ej. escrito por
    `menu-planner plan`); los totales se recalculan con los datos."""
    return CycleDetail.model_validate(services.cycles.import_cycle(actor, body.cycle, body.name))


@router.get("/current", response_model=CycleDetail, responses=error_responses(404))
def current_cycle(_actor: ActorDep, services: ServicesDep,
                  program: Annotated[str, Query(min_length=1, max_length=40)]) -> CycleDetail:
    """El ciclo aprobado vigente de un programa."""
    return CycleDetail.model_validate(services.cycles.current_cycle(program))


@router.get("/{cycle_id:int}", response_model=CycleDetail, responses=error_responses(404))
def get_cycle(cycle_id: IdPath, _actor: ActorDep, services: ServicesDep) -> CycleDetail:
    """Un ciclo con su menú completo."""
    return CycleDetail.model_validate(services.cycles.get(cycle_id))


@router.get("/{cycle_id:int}/document", response_class=Response,
            responses={**file_responses("El ciclo como archivo.", "json", "xlsx"),
                       **error_responses(404)})
def cycle_document(cycle_id: IdPath, _actor: ActorDep, services: ServicesDep,
                   format: Annotated[Literal["json", "xlsx"], Query()] = "json") -> Response:
    """Descarga el ciclo en JSON (menu_planner.cycle/1) o como hoja de cálculo."""
    return download(services.cycles.render_cycle(cycle_id, format))


@router.put("/{cycle_id:int}", response_model=CycleDetail, responses=error_responses(404, 409))
def update_cycle(cycle_id: IdPath, body: CycleUpdate, actor: ActorDep,
                 services: ServicesDep) -> CycleDetail:
    """Modifica un borrador (nombre y/o menú completo). Un ciclo aprobado no se puede
    modificar (409): cree una nueva versión."""
    return CycleDetail.model_validate(
        services.cycles.update_cycle(actor, cycle_id, body.cycle, body.name, body.revision))


@router.post("/{cycle_id:int}/approve", response_model=CyclePublic,
             responses=error_responses(404, 409))
def approve_cycle(cycle_id: IdPath, body: ApproveRequest, actor: ActorDep,
                  services: ServicesDep) -> CyclePublic:
    """La nutricionista firma el borrador: pasa a ser la versión siguiente del programa,
    inmutable; la versión anterior queda como reemplazada (no se borra)."""
    return CyclePublic.model_validate(services.cycles.approve(
        actor, cycle_id, body.note, body.revision, body.start_date))


@router.post("/{cycle_id:int}/versions", response_model=CycleDetail, status_code=201,
             responses=error_responses(404))
def new_version(cycle_id: IdPath, body: NewVersionRequest, actor: ActorDep,
                services: ServicesDep) -> CycleDetail:
    """Crea un borrador copiado de un ciclo, para editarlo y firmarlo como nueva versión."""
    return CycleDetail.model_validate(services.cycles.new_version(actor, cycle_id, body.name))
