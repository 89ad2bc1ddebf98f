"""Use cases about reference data: foods, prices and price surveys, recipes, targets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from menu_planner.domain import (
    DEPARTMENTS,
    DERIVED_NUTRIENTS,
    NATIONAL,
    NUTRIENTS,
    Dataset,
    Price,
    Problem,
    Target,
)
from menu_planner.nutrition import Totals, portion_totals
from menu_planner.services.auth import ADMIN, FINANCE, NUTRITIONIST, Actor
from menu_planner.services.base import ServiceContext, check_revision
from menu_planner.services.errors import Conflict, Invalid, NotFound, problem_detail
from menu_planner.services.records import (
    FoodRecord,
    IngredientRecord,
    PriceRecord,
    ProgramRecord,
    RecipeRecord,
    SurveyRecord,
    TargetRecord,
    record,
    records,
)
from menu_planner.spanish import day_date
from menu_planner.storage.models import TargetRow
from menu_planner.tabular import Column, check_unique, read_table

SURVEY_COLUMNS = [
    Column("food_id"),
    Column("department", required=False, default=""),
    Column("purchase_unit"),
    Column("unit_grams", "float", min=0.0, min_exclusive=True),
    Column("price_q", "float", min=0.0, min_exclusive=True),
    Column("price_date", "date"),
    Column("source", required=False, default=""),
]
REGIONS: tuple[str, ...] = (NATIONAL, *DEPARTMENTS)
PRICE_OUTLIER_RATIO = 10.0  # warn when a price per gram is 10x above or below the national


class ReferenceService:
    """Foods, prices, recipes and targets, and the Dataset the core computes with."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def dataset(self) -> Dataset:
        """The reference data as the core's Dataset, current with the database."""
        return self.ctx.dataset()

    def data_revision(self) -> int:
        """How many times the reference data changed (Unavailable when the database does
        not answer)."""
        with self.ctx.unit() as uow:
            return uow.meta.data_revision()

    def program_names(self) -> dict[str, str]:
        """Program code -> its Spanish name, for what people read."""
        return self.ctx.program_names()

    def foods(self, group: str | None = None, search: str | None = None, offset: int = 0,
              limit: int = 100) -> tuple[list[FoodRecord], int]:
        with self.ctx.unit() as uow:
            rows, total = uow.reference.foods(group, search, offset, limit)
        return records(FoodRecord, rows), total

    def food(self, food_id: str) -> FoodRecord:
        with self.ctx.unit() as uow:
            row = uow.reference.food(food_id)
        if row is None:
            raise NotFound(f"No existe el alimento '{food_id}'.")
        return record(FoodRecord, row)

    def prices(self, food_id: str | None = None, department: str | None = None,
               offset: int = 0, limit: int = 100) -> tuple[list[PriceRecord], int]:
        with self.ctx.unit() as uow:
            rows, total = uow.reference.prices(food_id, department, offset, limit)
        return records(PriceRecord, rows), total

    def surveys(self, department: str | None = None, offset: int = 0,
                limit: int = 100) -> tuple[list[SurveyRecord], int]:
        with self.ctx.unit() as uow:
            rows, total = uow.reference.surveys(department, offset, limit)
        return records(SurveyRecord, rows), total

    def upload_price_survey(self, actor: Actor, department: str, path: Path,
                            filename: str) -> tuple[SurveyRecord, list[str]]:
        """Store a department's price survey (CSV in the prices.csv layout; `department`
        may be blank). Every line is checked first: one bad line stores nothing. Returns
        the survey and warnings (prices far from the national one)."""
        actor.require(FINANCE, NUTRITIONIST, ADMIN, action="cargar encuestas de precios")
        if department not in REGIONS:
            raise Invalid(f"Departamento desconocido '{department}'.",
                          [{"field": "department", "message": "use uno de los 22 "
                            "departamentos o 'Nacional'"}])
        with self.ctx.unit() as uow:
            ds = self.ctx.dataset(uow)
            prices, problems = _survey_prices(path, filename, department, ds)
            if problems:
                raise Invalid(f"La encuesta tiene {len(problems)} problema(s); no se guardó "
                              "ningún precio.", [problem_detail(p) for p in problems])
            survey = uow.reference.add_price_survey(department, filename, actor.username, prices)
            self.ctx.audit(uow, actor, "cargar_precios", "encuesta_precios", survey.id,
                           department=department, filename=filename, rows=len(prices))
            return record(SurveyRecord, survey), _price_warnings(prices, ds)

    def programs(self) -> list[ProgramRecord]:
        with self.ctx.unit() as uow:
            return records(ProgramRecord, uow.reference.programs())

    def recipes(self, program: str | None = None) -> list[RecipeRecord]:
        with self.ctx.unit() as uow:
            return records(RecipeRecord, uow.reference.recipes(program))

    def recipe(self, recipe_id: str) -> tuple[RecipeRecord, list[IngredientRecord], Totals]:
        """A recipe, its ingredients and what one reference portion delivers."""
        with self.ctx.unit() as uow:
            row = uow.reference.recipe(recipe_id)
            if row is None:
                raise NotFound(f"No existe la receta '{recipe_id}'.")
            return (record(RecipeRecord, row),
                    records(IngredientRecord, uow.reference.ingredients_of(recipe_id)),
                    portion_totals(self.ctx.dataset(uow), recipe_id))

    def targets(self, program: str | None = None,
                age_group: str | None = None) -> list[TargetRecord]:
        with self.ctx.unit() as uow:
            return records(TargetRecord, uow.reference.targets(program, age_group))

    def save_target(self, actor: Actor, target: Target,
                    target_id: int | None = None,
                    expected_revision: int | None = None) -> TargetRecord:
        """Add a target, or change the bounds of target `target_id` (Conflict if it
        changed since `expected_revision`)."""
        actor.require(NUTRITIONIST, ADMIN, action="modificar metas nutricionales")
        with self.ctx.unit() as uow:
            ds = self.ctx.dataset(uow)  # read before the row changes (one UPDATE, one revision)
            if target_id is not None:
                row = uow.reference.target(target_id)
                if row is None:
                    raise NotFound(f"No existe la meta {target_id}.")
                check_revision(row, expected_revision, f"La meta {target_id}")
                before = {"min": row.min, "max": row.max}
                row.min, row.max = target.min, target.max
            else:
                row, before = TargetRow(program=target.program, age_group=target.age_group,
                                        nutrient=target.nutrient, basis=target.basis,
                                        min=target.min, max=target.max), {}
                same = uow.reference.targets(target.program, target.age_group)
                if any(t.nutrient == target.nutrient and t.basis == target.basis
                       for t in same):
                    raise Conflict("Ya existe esa meta (programa, grupo, nutriente, base); "
                                   "modifíquela en lugar de crear otra.",
                                   code="meta_existe")
            _check_target(row, ds)
            saved = uow.reference.save_target(row, actor.username)
            self.ctx.audit(uow, actor, "modificar_meta" if target_id else "crear_meta", "meta",
                           saved.id, program=saved.program, age_group=saved.age_group,
                           nutrient=saved.nutrient, basis=saved.basis, before=before,
                           after={"min": saved.min, "max": saved.max})
            return record(TargetRecord, saved)


def _survey_prices(path: Path, label: str, department: str,
                   ds: Dataset) -> tuple[list[Price], list[Problem]]:
    rows, problems = read_table(path, SURVEY_COLUMNS, label=label)
    problems += check_unique(rows, lambda r: (r["food_id"], r["purchase_unit"].lower()),
                             label, "purchase_unit", "alimento y unidad")
    latest = date.today() + timedelta(days=1)
    prices: list[Price] = []
    for r in rows:
        line = r["_line"]
        if r["food_id"] not in ds.foods:
            problems.append(Problem(label, line, "food_id",
                                    f"alimento desconocido '{r['food_id']}'"))
        if r["department"] and r["department"] != department:
            problems.append(Problem(label, line, "department",
                                    f"la fila es de '{r['department']}' pero la encuesta es "
                                    f"de '{department}'"))
        if r["price_date"] > latest:
            problems.append(Problem(label, line, "price_date",
                                    f"la fecha {day_date(r['price_date'])} está en el "
                                    "futuro"))
        source = r["source"] or f"Encuesta de precios {department} ({label})"
        prices.append(Price(r["food_id"], department, r["purchase_unit"], r["unit_grams"],
                            r["price_q"], r["price_date"], source))
    if not rows and not problems:
        problems.append(Problem(label, None, None, "la encuesta no tiene precios"))
    return prices, sorted(set(problems), key=lambda p: (p.line or 0, p.column or ""))


def _price_warnings(prices: list[Price], ds: Dataset) -> list[str]:
    out: list[str] = []
    for p in prices:
        try:
            national = ds.price_for(p.food_id, NATIONAL).q_per_purchased_gram
        except KeyError:
            continue
        ratio = p.q_per_purchased_gram / national
        if ratio > PRICE_OUTLIER_RATIO or ratio < 1 / PRICE_OUTLIER_RATIO:
            out.append(f"{p.food_id} ({p.purchase_unit}): el precio por gramo es "
                       f"{ratio:.1f} veces el nacional; revise la unidad o el precio.")
    return out


def _check_target(t: TargetRow, ds: Dataset) -> None:
    problems: list[dict[str, str]] = []
    if t.program not in ds.programs:
        problems.append({"field": "program", "message": f"Programa desconocido '{t.program}'."})
    elif t.age_group not in {g.age_group for g in ds.age_groups_of(t.program)}:
        problems.append({"field": "age_group",
                         "message": f"Grupo de edad desconocido '{t.age_group}'."})
    if t.nutrient not in (*NUTRIENTS, *DERIVED_NUTRIENTS):
        problems.append({"field": "nutrient",
                         "message": f"Nutriente desconocido '{t.nutrient}'."})
    if t.basis not in ("day", "week"):
        problems.append({"field": "basis", "message": "La base debe ser 'day' o 'week'."})
    if t.min is None and t.max is None:
        problems.append({"field": "min", "message": "La meta necesita un mínimo o un máximo."})
    for name, v in (("min", t.min), ("max", t.max)):
        if v is not None and v < 0:
            problems.append({"field": name, "message": "No puede ser negativo."})
    if t.min is not None and t.max is not None and t.min > t.max:
        problems.append({"field": "min", "message": "El mínimo es mayor que el máximo."})
    if problems:
        raise Invalid("La meta no es válida.", problems)
