"""SQLModel tables. Reference data mirrors the CSV contract; JSON columns hold lists and
per-nutrient maps so the schema does not change when a nutrient is added."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, LargeBinary, UniqueConstraint, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def _when(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kw)


def _when_opt(**kw: Any) -> Any:
    return Field(default=None, sa_type=DateTime(timezone=True), **kw)


class Revisioned:
    """Optimistic locking for a record people edit: its `revision` column is SQLAlchemy's
    version counter, so every UPDATE or DELETE reads `WHERE ... AND revision = <the one
    loaded>` and bumps it; a write that lost a race matches no row (StaleDataError)."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.revision}  # type: ignore[attr-defined]


class MetaRow(SQLModel, table=True):
    """Key/value facts about the database (seed date, data revision)."""

    __tablename__ = "app_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="")


class FoodRow(SQLModel, table=True):
    __tablename__ = "food"
    food_id: str = Field(primary_key=True, max_length=80)
    name_es: str
    food_group: str = Field(max_length=40)
    edible_fraction: float
    nutrients: dict[str, float | None] = Field(default_factory=dict, sa_type=JSON)
    source: str = ""
    market_section: str = ""
    keeps: bool = False


class PriceSurveyRow(SQLModel, table=True):
    """One uploaded price survey of a department (kept for the record)."""

    __tablename__ = "price_survey"
    id: int | None = Field(default=None, primary_key=True)
    department: str = Field(max_length=40, index=True)
    filename: str = ""
    rows: int = 0
    uploaded_by: str = ""
    uploaded_at: datetime = _when()


class PriceRow(SQLModel, table=True):
    __tablename__ = "price"
    __table_args__ = (UniqueConstraint("food_id", "department", "purchase_unit",
                                       name="uq_price_food_department_unit"),)
    id: int | None = Field(default=None, primary_key=True)
    food_id: str = Field(foreign_key="food.food_id", index=True, max_length=80)
    department: str = Field(max_length=40, index=True)
    purchase_unit: str = Field(max_length=60)
    unit_grams: float
    price_q: float
    price_date: date
    source: str = ""
    survey_id: int | None = Field(default=None, foreign_key="price_survey.id")


class ProgramRow(SQLModel, table=True):
    __tablename__ = "program"
    program: str = Field(primary_key=True, max_length=40)
    name_es: str
    service_days_per_week: int
    daily_budget_q: float


class AgeGroupRow(SQLModel, table=True):
    __tablename__ = "age_group"
    __table_args__ = (UniqueConstraint("program", "age_group", name="uq_age_group"),)
    id: int | None = Field(default=None, primary_key=True)
    program: str = Field(foreign_key="program.program", max_length=40)
    age_group: str = Field(max_length=40)
    name_es: str
    portion_min: float
    portion_max: float
    requires_tag: str = ""
    position: int = 0


class MealComponentRow(SQLModel, table=True):
    __tablename__ = "meal_component"
    id: int | None = Field(default=None, primary_key=True)
    program: str = Field(foreign_key="program.program", max_length=40)
    slot: str = Field(max_length=40)
    component: str = Field(max_length=60)
    min_items: int
    max_items: int
    position: int = 0


class RecipeRow(SQLModel, table=True):
    __tablename__ = "recipe"
    recipe_id: str = Field(primary_key=True, max_length=80)
    name_es: str
    component: str = Field(max_length=60)
    slots: list[str] = Field(default_factory=list, sa_type=JSON)
    programs: list[str] = Field(default_factory=list, sa_type=JSON)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    acceptability: float | None = None


class IngredientRow(SQLModel, table=True):
    __tablename__ = "recipe_ingredient"
    id: int | None = Field(default=None, primary_key=True)
    recipe_id: str = Field(foreign_key="recipe.recipe_id", index=True, max_length=80)
    food_id: str = Field(foreign_key="food.food_id", max_length=80)
    grams: float
    position: int = 0


class TargetRow(Revisioned, SQLModel, table=True):
    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("program", "age_group", "nutrient", "basis",
                                       name="uq_target"),)
    id: int | None = Field(default=None, primary_key=True)
    program: str = Field(foreign_key="program.program", max_length=40)
    age_group: str = Field(max_length=40)
    nutrient: str = Field(max_length=40)
    min: float | None = None
    max: float | None = None
    basis: str = Field(max_length=8)
    position: int = 0
    updated_by: str = ""
    updated_at: datetime | None = _when_opt()
    revision: int = 1


class CenterRow(Revisioned, SQLModel, table=True):
    __tablename__ = "center"
    center_id: str = Field(primary_key=True, max_length=40)
    name: str
    program: str = Field(foreign_key="program.program", max_length=40)
    center_type: str = Field(max_length=40)
    department: str = Field(max_length=40, index=True)
    municipality: str
    enrolled: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    attendance: float | None = None  # expected share of enrolled present each day
    # people of each special-menu subgroup, per age group (part of `enrolled`)
    special_counts: dict[str, dict[str, int]] = Field(default_factory=dict, sa_type=JSON)
    position: int = 0
    updated_at: datetime = _when()
    revision: int = 1


class UserRow(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=80)
    full_name: str = ""
    role: str = Field(max_length=32)
    password_hash: str
    active: bool = True
    created_at: datetime = _when()
    # tokens issued before this moment are refused (set when the password changes)
    sessions_since: datetime | None = _when_opt()


class UserCenterRow(SQLModel, table=True):
    """Which centers a center administrator may see."""

    __tablename__ = "user_center"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    center_id: str = Field(foreign_key="center.center_id", primary_key=True, max_length=40)


class CycleRow(SQLModel, table=True):
    """A menu cycle: a draft, or an approved (signed, immutable) version of its program."""

    __tablename__ = "menu_cycle"
    __table_args__ = (UniqueConstraint("program", "version", name="uq_cycle_version"),)
    id: int | None = Field(default=None, primary_key=True)
    program: str = Field(foreign_key="program.program", max_length=40, index=True)
    name: str = ""
    status: str = Field(default="draft", max_length=16, index=True)
    version: int | None = None  # set on approval: 1, 2, ... per program
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    based_on_id: int | None = Field(default=None, foreign_key="menu_cycle.id")
    superseded_by_id: int | None = Field(default=None, foreign_key="menu_cycle.id")
    created_by: str = ""
    created_at: datetime = _when()
    updated_by: str = ""
    updated_at: datetime = _when()
    approved_by: str = ""
    approved_at: datetime | None = _when_opt()
    start_date: date | None = None  # the Monday cycle week 1 is first served (on approval)
    revision: int = 1  # bumped on each edit of a draft (optimistic concurrency)


class JobRow(SQLModel, table=True):
    """A background job (cycle generation) and its progress."""

    __tablename__ = "job"
    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=32)
    status: str = Field(default="queued", max_length=16, index=True)
    progress: float = 0.0
    message: str = ""
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    error: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    cycle_id: int | None = Field(default=None, foreign_key="menu_cycle.id")
    variant_id: int | None = Field(default=None, foreign_key="cycle_variant.id")
    created_by: str = ""
    created_at: datetime = _when()
    started_at: datetime | None = _when_opt()
    finished_at: datetime | None = _when_opt()


class SettlementRow(SQLModel, table=True):
    """A liquidación: a center's petty cash of one month settled against receipts."""

    __tablename__ = "settlement"
    # One current settlement per center and month, held by the database itself: two
    # simultaneous settlements cannot both stay current.
    __table_args__ = (Index("uq_settlement_current", "center_id", "month", unique=True,
                            sqlite_where=text("is_current"),
                            postgresql_where=text("is_current")),)
    id: int | None = Field(default=None, primary_key=True)
    center_id: str = Field(foreign_key="center.center_id", max_length=40, index=True)
    month: str = Field(max_length=7, index=True)
    budget_q: float
    spent_q: float
    balance_q: float
    receipts: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    notes: str = ""
    settled_by: str = ""
    settled_at: datetime = _when()
    superseded_by_id: int | None = Field(default=None, foreign_key="settlement.id")
    is_current: bool = True  # False once a later settlement replaces it


class AuditRow(SQLModel, table=True):
    """Who did what to which record, and when."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(index=True)
    username: str = Field(default="", max_length=80, index=True)
    role: str = ""
    action: str = Field(max_length=40, index=True)
    entity: str = Field(max_length=40)
    entity_id: str = ""
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class ExchangeRuleRow(Revisioned, SQLModel, table=True):
    """How a food group (food_id "") or one food is exchanged (exchange_rules.csv)."""

    __tablename__ = "exchange_rule"
    __table_args__ = (UniqueConstraint("food_group", "food_id", name="uq_exchange_rule"),)
    id: int | None = Field(default=None, primary_key=True)
    food_group: str = Field(max_length=40)
    food_id: str = Field(default="", max_length=80)
    exchange_group: str = Field(default="", max_length=80)
    nutrients: list[str] = Field(default_factory=list, sa_type=JSON)
    min_ratio: float = 0.33
    max_ratio: float = 3.0
    source: str = ""
    note: str = ""
    position: int = 0
    updated_by: str = ""
    updated_at: datetime = _when()
    revision: int = 1


class ExchangeExclusionRow(Revisioned, SQLModel, table=True):
    """A replacement that is never offered (exchange_exclusions.csv)."""

    __tablename__ = "exchange_exclusion"
    id: int | None = Field(default=None, primary_key=True)
    original: str = Field(max_length=90)
    replacement: str = Field(max_length=90)
    program: str = Field(default="", max_length=40)
    symmetric: bool = False
    reason: str = ""
    position: int = 0
    updated_by: str = ""
    updated_at: datetime = _when()
    revision: int = 1


class SpecialTargetRow(Revisioned, SQLModel, table=True):
    """A subgroup's special target (special_targets.csv)."""

    __tablename__ = "special_target"
    __table_args__ = (UniqueConstraint("program", "subgroup", "age_group", "nutrient",
                                       "basis", name="uq_special_target"),)
    id: int | None = Field(default=None, primary_key=True)
    program: str = Field(foreign_key="program.program", max_length=40)
    subgroup: str = Field(max_length=40)
    age_group: str = Field(max_length=40)
    nutrient: str = Field(max_length=40)
    min: float | None = None
    max: float | None = None
    basis: str = Field(default="day", max_length=8)
    min_factor: float | None = None
    max_factor: float | None = None
    source: str = ""
    note: str = ""
    position: int = 0
    updated_by: str = ""
    updated_at: datetime = _when()
    revision: int = 1


class CycleVariantRow(SQLModel, table=True):
    """A subgroup's special menu derived from a cycle: the variant cycle file (with its
    `variant` report) and its workbook, as written when it was derived."""

    __tablename__ = "cycle_variant"
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="menu_cycle.id", index=True)
    subgroup: str = Field(max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    xlsx: bytes = Field(default=b"", sa_type=LargeBinary)
    created_by: str = ""
    created_at: datetime = _when()


class RevokedTokenRow(SQLModel, table=True):
    """A session token ended before it expired (sign-out); kept until it would have
    expired anyway."""

    __tablename__ = "revoked_token"
    jti: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(index=True)
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    revoked_at: datetime = _when()
