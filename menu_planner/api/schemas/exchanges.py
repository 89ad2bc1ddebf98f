"""Exchange rules, exclusions, special targets and substitutions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from menu_planner.api.schemas.common import Body, UtcDateTime, revision_in, revision_out

Name = Field(min_length=1, max_length=80)


class ExchangeRuleIn(Body):
    """A rule of a food group (`food_id` empty) or of one food."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"example": {
        "food_group": "verduras", "food_id": "", "exchange_group": "verduras",
        "nutrients": ["vitamin_a_ug_rae", "vitamin_c_mg"], "min_ratio": 0.33,
        "max_ratio": 3.0, "source": "Guías Alimentarias para Guatemala", "note": ""}})
    food_group: str = Field(min_length=1, max_length=40)
    food_id: str = Field(default="", max_length=80)
    exchange_group: str = Field(default="", max_length=80, description=(
        "Los alimentos con el mismo grupo de intercambio se reemplazan entre sí; vacío = "
        "el grupo de alimentos."))
    nutrients: list[str] = Field(default_factory=list, max_length=10, description=(
        "Nutriente que se conserva (o varios: se usa aquel en que el alimento es más rico); "
        "vacío = no se intercambia."))
    min_ratio: float = Field(default=0.33, gt=0, le=100)
    max_ratio: float = Field(default=3.0, gt=0, le=100)
    source: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=500)
    revision: int | None = revision_in()


class ExchangeRulePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    food_group: str
    food_id: str
    exchange_group: str
    nutrients: list[str]
    min_ratio: float
    max_ratio: float
    source: str
    note: str
    updated_by: str
    updated_at: UtcDateTime | None = None
    revision: int = revision_out()


class ExclusionIn(Body):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"example": {
        "original": "*", "replacement": "miel_abeja", "program": "cadi", "symmetric": False,
        "reason": "la miel no se da a menores de 1 año"}})
    original: str = Field(min_length=1, max_length=90,
                          description="food_id, 'grupo:<grupo>' o '*'")
    replacement: str = Field(min_length=1, max_length=90,
                             description="food_id, 'grupo:<grupo>' o '*'")
    program: str = Field(default="", max_length=40, description="vacío = todos")
    symmetric: bool = False
    reason: str = Field(default="", max_length=500)


class ExclusionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    original: str
    replacement: str
    program: str
    symmetric: bool
    reason: str
    updated_by: str
    updated_at: UtcDateTime | None = None
    revision: int = revision_out()


class SpecialTargetIn(Body):
    """A subgroup's target: `min`/`max` replace the base bound, else the factors multiply
    it. `nutrient` may also be `added_sugar_g` or `portions`."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"example": {
        "program": "mad", "subgroup": "hipertension", "age_group": "*",
        "nutrient": "sodium_mg", "max": 825, "basis": "day"}})
    program: str = Field(min_length=1, max_length=40)
    subgroup: str = Field(min_length=1, max_length=40)
    age_group: str = Field(default="*", min_length=1, max_length=40)
    nutrient: str = Field(min_length=1, max_length=40)
    min: float | None = Field(default=None, ge=0, le=1e6)
    max: float | None = Field(default=None, ge=0, le=1e6)
    basis: Literal["day", "week"] = "day"
    min_factor: float | None = Field(default=None, gt=0, le=100)
    max_factor: float | None = Field(default=None, gt=0, le=100)
    source: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=500)
    revision: int | None = revision_in()


class SpecialTargetPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    program: str
    subgroup: str
    age_group: str
    nutrient: str
    min: float | None
    max: float | None
    basis: str
    min_factor: float | None
    max_factor: float | None
    source: str
    note: str
    updated_by: str
    updated_at: UtcDateTime | None = None
    revision: int = revision_out()


class SubstitutionIn(Body):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"example": {
        "week": 1, "unavailable": ["huevo_gallina"]}})
    week: int = Field(ge=1, le=52, description="Semana del ciclo")
    unavailable: list[str] = Field(min_length=1, max_length=50, description=(
        "food_id de los alimentos que faltan o están muy caros esta semana"))


class SubstitutionOut(BaseModel):
    cycle_id: int
    week: int
    substitutions: list[dict[str, Any]]
    breaches: list[dict[str, Any]] = Field(description="Metas o presupuesto que se incumplen")
    breaks_something: bool
    total_before_q: float
    total_after_q: float
    budget_q: float


class VariantIn(Body):
    model_config = ConfigDict(extra="forbid", strict=True,
                              json_schema_extra={"example": {"subgroup": "bajo_peso"}})
    subgroup: str = Field(min_length=1, max_length=40)


class VariantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    cycle_id: int
    subgroup: str
    summary: dict[str, Any] = Field(description=(
        "Parte de los platos del ciclo que se conserva, cambios, costo por persona y día "
        "antes y después, semanas que no cumplen."))
    created_by: str
    created_at: UtcDateTime
