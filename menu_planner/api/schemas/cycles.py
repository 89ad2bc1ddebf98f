"""Menu cycles, their generation jobs and signing."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from menu_planner.api.schemas.common import Body, BodyDate, UtcDateTime

CYCLE_EXAMPLE: dict[str, Any] = {
    "format": "menu_planner.cycle/1", "program": "cadi", "weeks": 6,
    "service_days_per_week": 5, "daily_budget_q": 30.0, "price_region": "Nacional",
    "age_groups": ["6-11m", "1-3y", "4-6y"],
    "days": [{"week": 1, "weekday": 1, "meals": [{"slot": "desayuno", "items": [
        {"recipe_id": "atol_incaparina", "portions": {"6-11m": 0.5, "1-3y": 0.75,
                                                      "4-6y": 1.0}}]}]}],
}


class PinIn(Body):
    model_config = ConfigDict(extra="forbid")
    recipe_id: str = Field(min_length=1, max_length=80)
    week: int = Field(ge=1, le=12)
    weekday: int = Field(ge=1, le=7)
    slot: str = Field(min_length=1, max_length=60)


class ExclusionIn(Body):
    model_config = ConfigDict(extra="forbid")
    recipe_id: str = Field(min_length=1, max_length=80)
    weeks: list[int] = Field(default_factory=list, max_length=12,
                             description="Semanas en que no se sirve; vacío = todas.")


class GenerateRequest(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "example": {"program": "cadi", "weeks": 6, "department": "Nacional",
                    "name": "Ciclo 2027 T1"}})
    program: str = Field(min_length=1, max_length=40)
    weeks: int = Field(default=6, ge=1, le=12)
    department: str = Field(default="Nacional", min_length=1, max_length=40,
                            description="Región de precios: un departamento o 'Nacional'.")
    budget_q: float | None = Field(default=None, gt=0, le=1000,
                                   description="Presupuesto diario por persona (Q); vacío "
                                               "= el del programa.")
    time_limit_s: float | None = Field(default=None, gt=0, le=3600)
    name: str = Field(default="", max_length=200)
    objective: Literal["cost", "variety"] = Field(
        default="cost", description="'cost': menor costo; 'variety': mejor aceptación y "
                                    "variedad dentro del presupuesto.")
    main_dish_max_per_cycle: int | None = Field(
        default=None, ge=1, le=84,
        description="Cada plato principal a lo sumo esta cantidad de días en el ciclo "
                    "(obliga a rotar platos; vacío = solo las reglas de variedad de los "
                    "datos).")
    pins: list[PinIn] = Field(default_factory=list, max_length=200,
                              description="Platos fijados (plato, semana, día, tiempo).")
    exclusions: list[ExclusionIn] = Field(default_factory=list, max_length=500,
                                          description="Platos excluidos (p. ej. fuera de "
                                                      "temporada).")


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: float = Field(description="Avance entre 0 y 1.")
    message: str
    params: dict[str, Any]
    error: dict[str, Any] | None = None
    cycle_id: int | None = None
    variant_id: int | None = Field(default=None, description="Menú especial derivado.")
    created_by: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None = None
    finished_at: UtcDateTime | None = None


class CyclePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    program: str
    name: str
    status: Literal["draft", "approved", "superseded"]
    version: int | None = Field(description="Versión del programa, asignada al aprobar.")
    revision: int = Field(description="Cambia con cada edición del borrador.")
    summary: dict[str, Any]
    based_on_id: int | None = None
    superseded_by_id: int | None = None
    created_by: str
    created_at: UtcDateTime
    updated_by: str
    updated_at: UtcDateTime
    approved_by: str
    approved_at: UtcDateTime | None = None
    start_date: date | None = None


class CycleDetail(CyclePublic):
    data: dict[str, Any] = Field(description="El ciclo en formato menu_planner.cycle/1.")


class CycleImport(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "example": {"name": "Ciclo importado", "cycle": CYCLE_EXAMPLE}})
    name: str = Field(default="", max_length=200)
    cycle: dict[str, Any] = Field(description="Documento menu_planner.cycle/1.")


class CycleUpdate(Body):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    cycle: dict[str, Any] | None = Field(default=None,
                                         description="El menú completo que reemplaza al "
                                                     "actual (menu_planner.cycle/1).")
    revision: int | None = Field(default=None, ge=1,
                                 description="La revisión que se editó; si cambió, 409.")


class ApproveRequest(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "example": {"note": "Revisado con el equipo de salud infantil",
                    "start_date": "2027-01-04"}})
    note: str = Field(default="", max_length=2000)
    start_date: BodyDate | None = Field(default=None,
                                    description="Lunes en que se sirve la semana 1 "
                                                "(por defecto, el próximo lunes).")
    revision: int | None = Field(default=None, ge=1)


class NewVersionRequest(Body):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=200)
