"""Centers and enrollment."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from menu_planner.api.schemas.common import Body, UtcDateTime, revision_in, revision_out


class CenterPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    center_id: str = Field(examples=["2420-20"])
    name: str
    program: str
    center_type: str
    department: str
    municipality: str
    enrolled: dict[str, int] = Field(description="Inscritos por grupo de edad.",
                                     examples=[{"6-11m": 2, "1-3y": 8, "4-6y": 15}])
    attendance: float | None = Field(default=None,
                                     description="Asistencia esperada (0-1); vacío = la "
                                                 "predeterminada.")
    special_counts: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Personas con menú especial por subgrupo y grupo "
        "de edad (parte de los inscritos).", examples=[{"bajo_peso": {"1-3y": 2}}])
    updated_at: UtcDateTime | None = None
    revision: int = revision_out()


PEOPLE_LIMIT = 100_000  # no center comes near; each center type has its own, lower bound


class EnrollmentUpdate(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "example": {"enrolled": {"1-3y": 9, "4-6y": 14}, "attendance": 0.9}})
    enrolled: dict[str, Annotated[int, Field(ge=0, le=PEOPLE_LIMIT)]] = Field(
        default_factory=dict, max_length=20,
        description="Inscritos por grupo de edad. El servicio rechaza cifras por encima del "
                    "límite de su tipo de centro (data/centers/enrollment_bounds.csv).")
    attendance: float | None = Field(default=None, gt=0, le=1)
    revision: int | None = revision_in()
    confirm: bool = Field(default=False, description="Confirma un cambio grande de la "
                          "inscripción (sin ella, el servicio responde 409 "
                          "`confirmar_cambio_grande`).")


class SpecialCountsUpdate(Body):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "example": {"counts": {"bajo_peso": {"1-3y": 2, "4-6y": 1}}}})
    counts: dict[str, dict[str, int]] = Field(
        default_factory=dict, max_length=20,
        description="subgrupo -> grupo de edad -> personas; vacío = ninguna")
    revision: int | None = revision_in()


class CentersUploadResult(BaseModel):
    added: int
    updated: int
