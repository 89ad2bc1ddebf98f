"""Foods, prices, price surveys, programs, recipes and targets."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from menu_planner.api.schemas.common import Body, UtcDateTime, revision_in, revision_out


class FoodPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    food_id: str = Field(examples=["frijol_negro"])
    name_es: str
    food_group: str
    edible_fraction: float
    nutrients: dict[str, float | None] = Field(
        description="Por 100 g de parte comestible; null = sin dato (nunca 0).")
    source: str
    market_section: str
    keeps: bool


class PricePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    food_id: str
    department: str
    purchase_unit: str = Field(examples=["libra"])
    unit_grams: float = Field(examples=[453.6])
    price_q: float
    price_date: date
    source: str
    survey_id: int | None = None


class SurveyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    department: str
    filename: str
    rows: int
    uploaded_by: str
    uploaded_at: UtcDateTime


class SurveyResult(BaseModel):
    survey: SurveyPublic
    warnings: list[str] = Field(default_factory=list)


class ProgramPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    program: str = Field(examples=["cadi"])
    name_es: str
    service_days_per_week: int
    daily_budget_q: float


class RecipePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    recipe_id: str
    name_es: str
    component: str
    slots: list[str]
    programs: list[str]
    tags: list[str]
    acceptability: float | None = None


class IngredientPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    food_id: str
    grams: float = Field(description="Gramos de parte comestible por porción de referencia.")


class RecipeDetail(RecipePublic):
    ingredients: list[IngredientPublic]
    per_portion: dict[str, float] = Field(
        description="Costo (precio nacional) y nutrientes de una porción de referencia.")


class TargetBounds(Body):
    model_config = ConfigDict(extra="forbid")
    min: float | None = Field(default=None, ge=0, le=1e6)
    max: float | None = Field(default=None, ge=0, le=1e6)


class TargetCreate(TargetBounds):
    program: str = Field(min_length=1, max_length=40, examples=["cadi"])
    age_group: str = Field(min_length=1, max_length=40, examples=["4-6y"])
    nutrient: str = Field(min_length=1, max_length=40, examples=["iron_mg"])
    basis: Literal["day", "week"] = "day"


class TargetUpdate(TargetBounds):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "example": {"min": 650, "max": 1400, "revision": 1}})
    revision: int | None = revision_in()


class TargetPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    program: str
    age_group: str
    nutrient: str
    min: float | None
    max: float | None
    basis: str
    updated_by: str
    updated_at: UtcDateTime | None = None
    revision: int = revision_out()
