"""Read models: what the services hand to the adapters (pages, API, command line) instead
of storage rows. Plain frozen dataclasses with the stored fields a reader needs (not the
storage's bookkeeping: no list positions, no password hash, no workbook bytes), so a
column rename stops at the service layer and no adapter imports `storage`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

R = TypeVar("R")


def record(cls: type[R], row: Any) -> R:
    """The read model `cls` of a stored row (or any object with its attributes)."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    return cls(**{n: getattr(row, n) for n in names})


def records(cls: type[R], rows: Any) -> list[R]:
    """The read models of rows."""
    return [record(cls, r) for r in rows]


@dataclass(frozen=True)
class FoodRecord:
    food_id: str
    name_es: str
    food_group: str
    edible_fraction: float
    nutrients: dict[str, float | None]
    source: str
    market_section: str
    keeps: bool


@dataclass(frozen=True)
class PriceRecord:
    id: int | None
    food_id: str
    department: str
    purchase_unit: str
    unit_grams: float
    price_q: float
    price_date: date
    source: str
    survey_id: int | None


@dataclass(frozen=True)
class SurveyRecord:
    id: int | None
    department: str
    filename: str
    rows: int
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class ProgramRecord:
    program: str
    name_es: str
    service_days_per_week: int
    daily_budget_q: float


@dataclass(frozen=True)
class RecipeRecord:
    recipe_id: str
    name_es: str
    component: str
    slots: list[str]
    programs: list[str]
    tags: list[str]
    acceptability: float | None


@dataclass(frozen=True)
class IngredientRecord:
    recipe_id: str
    food_id: str
    grams: float


@dataclass(frozen=True)
class TargetRecord:
    id: int | None
    program: str
    age_group: str
    nutrient: str
    min: float | None
    max: float | None
    basis: str
    updated_by: str
    updated_at: datetime | None
    revision: int


@dataclass(frozen=True)
class CenterRecord:
    center_id: str
    name: str
    program: str
    center_type: str
    department: str
    municipality: str
    enrolled: dict[str, int]
    attendance: float | None
    special_counts: dict[str, dict[str, int]]
    updated_at: datetime
    revision: int


@dataclass(frozen=True)
class UserRecord:
    """An account as people and the API see it (no password hash)."""

    id: int | None
    username: str
    full_name: str
    role: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class CycleRecord:
    id: int | None
    program: str
    name: str
    status: str
    version: int | None
    data: dict[str, Any]
    summary: dict[str, Any]
    based_on_id: int | None
    superseded_by_id: int | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    approved_by: str
    approved_at: datetime | None
    start_date: date | None
    revision: int


@dataclass(frozen=True)
class VariantRecord:
    id: int | None
    cycle_id: int
    subgroup: str
    data: dict[str, Any]
    summary: dict[str, Any]
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class JobRecord:
    id: str
    kind: str
    status: str
    progress: float
    message: str
    params: dict[str, Any]
    error: dict[str, Any] | None
    cycle_id: int | None
    variant_id: int | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class SettlementRecord:
    id: int | None
    center_id: str
    month: str
    budget_q: float
    spent_q: float
    balance_q: float
    receipts: list[dict[str, Any]]
    details: dict[str, Any]
    notes: str
    settled_by: str
    settled_at: datetime
    superseded_by_id: int | None
    is_current: bool


@dataclass(frozen=True)
class AuditRecord:
    id: int | None
    at: datetime
    username: str
    role: str
    action: str
    entity: str
    entity_id: str
    details: dict[str, Any]


@dataclass(frozen=True)
class ExchangeRuleRecord:
    id: int | None
    food_group: str
    food_id: str
    exchange_group: str
    nutrients: list[str]
    min_ratio: float
    max_ratio: float
    source: str
    note: str
    updated_by: str
    updated_at: datetime
    revision: int


@dataclass(frozen=True)
class ExclusionRecord:
    id: int | None
    original: str
    replacement: str
    program: str
    symmetric: bool
    reason: str
    updated_by: str
    updated_at: datetime
    revision: int


@dataclass(frozen=True)
class SpecialTargetRecord:
    id: int | None
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
    updated_at: datetime
    revision: int
