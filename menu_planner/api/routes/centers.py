"""Centers, enrollment and each center's weekly purchase list."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from menu_planner.api.deps import ActorDep, ServicesDep
from menu_planner.api.params import MAX_ID, Text
from menu_planner.api.schemas.centers import (
    CenterPublic,
    CentersUploadResult,
    EnrollmentUpdate,
)
from menu_planner.api.schemas.common import error_responses, file_responses
from menu_planner.api.uploads import as_csv_file, read_upload
from menu_planner.services import Rendered

router = APIRouter(prefix="/centers", tags=["centros"],
                   responses=error_responses(400, 401, 403, 422))

Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="json, csv o xlsx")]
FILE_RESPONSES = file_responses("El documento en el formato pedido.", "json", "csv", "xlsx")


def download(doc: Rendered) -> Response:
    """A rendered document as a download. Headers are ASCII: a name with accents
    ("Quiché") goes plain in `filename` and exact in `filename*` (RFC 6266)."""
    plain = unicodedata.normalize("NFKD", doc.filename).encode("ascii", "ignore").decode()
    plain = plain.replace('"', "").replace("\\", "")
    return Response(doc.content, media_type=doc.media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{plain}\"; "
                               f"filename*=UTF-8''{quote(doc.filename)}"})


@router.get("", response_model=list[CenterPublic])
def list_centers(actor: ActorDep, services: ServicesDep, department: Text = None,
                 program: Text = None) -> list[CenterPublic]:
    """Los centros que la persona puede ver (un administrador de centro, solo los suyos)."""
    return [CenterPublic.model_validate(c)
            for c in services.centers.find(actor, department, program)]


@router.post("", response_model=CentersUploadResult, status_code=201,
             responses=error_responses(409, 413))
async def upload_centers(
    actor: ActorDep, services: ServicesDep,
    file: Annotated[UploadFile, File(description="centers.csv (CSV UTF-8 o .xlsx)")],
    confirm: Annotated[bool, Form(description="Confirma los cambios grandes de "
                                              "inscripción")] = False,
) -> CentersUploadResult:
    """Agrega o actualiza centros e inscripción desde un archivo centers.csv. Si una línea
    tiene un error no se guarda nada y se listan todos los errores. Una inscripción por
    encima del límite de su tipo de centro es un error; un cambio grande de un centro ya
    cargado necesita `confirm` (si no, 409 `confirmar_cambio_grande`)."""
    name, content = await read_upload(file, services.settings.max_upload_bytes)

    def store() -> CentersUploadResult:
        with as_csv_file(name, content) as path:
            added, updated = services.centers.upload_centers(actor, path, name, confirm)
        return CentersUploadResult(added=added, updated=updated)

    return await run_in_threadpool(store)


@router.get("/{center_id}", response_model=CenterPublic, responses=error_responses(404))
def get_center(center_id: str, actor: ActorDep, services: ServicesDep) -> CenterPublic:
    """Un centro (403 si es de otra persona)."""
    return CenterPublic.model_validate(services.centers.get(actor, center_id))


@router.patch("/{center_id}/enrollment", response_model=CenterPublic,
              responses=error_responses(404, 409))
def update_enrollment(center_id: str, body: EnrollmentUpdate, actor: ActorDep,
                      services: ServicesDep) -> CenterPublic:
    """Cambia la inscripción por grupo de edad y la asistencia esperada."""
    return CenterPublic.model_validate(
        services.centers.update_enrollment(actor, center_id, body.enrolled, body.attendance,
                                           body.confirm, body.revision))


@router.get("/{center_id}/purchases", response_class=Response,
            responses={**FILE_RESPONSES, **error_responses(404, 409)})
def purchases(center_id: str, actor: ActorDep, services: ServicesDep,
              week: Annotated[int | None, Query(ge=1, le=52, description=(
                  "Semana del ciclo (todos los días que el ciclo tiene)"))] = None,
              week_start: Annotated[date | None, Query(description=(
                  "Lunes de la semana del calendario (AAAA-MM-DD): solo los días de "
                  "servicio, sin feriados; la semana del ciclo sale de la fecha de inicio"))]
              = None,
              format: Format = "json",
              cycle_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    """La lista de compras de una semana del ciclo aprobado vigente del programa del
    centro (o del ciclo aprobado `cycle_id`), en JSON, CSV o xlsx. Con `week_start`, la
    de esa semana del calendario: compra y financia solo los días de servicio (como la
    caja chica) y nombra los días sin servicio y por qué."""
    wk, row = services.procurement.week_purchases(actor, center_id, week, cycle_id,
                                                  monday=week_start)
    when = week_start.isoformat() if week_start else f"semana{week}"
    stem = f"compras_{center_id}_{when}_ciclo{row.id}"
    return download(services.procurement.render_purchases(wk, format, stem))
