"""Reference data in the database (foods, prices, menus, targets, centers) and the Dataset
built from it. Every change bumps the data revision so cached Datasets are rebuilt."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from menu_planner.domain import (
    AgeGroup,
    Center,
    Dataset,
    Food,
    Ingredient,
    MealComponent,
    Price,
    Program,
    Recipe,
    Target,
)
from menu_planner.storage.models import (
    AgeGroupRow,
    CenterRow,
    FoodRow,
    IngredientRow,
    MealComponentRow,
    MetaRow,
    PriceRow,
    PriceSurveyRow,
    ProgramRow,
    RecipeRow,
    TargetRow,
    utcnow,
)

REVISION_KEY = "data_revision"
SEEDED_KEY = "seeded_at"


class MetaRepo:
    """Bookkeeping values (seeding, the data revision) inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(MetaRow, key)
        return None if row is None else row.value

    def set(self, key: str, value: str) -> None:
        row = self.session.get(MetaRow, key) or MetaRow(key=key)
        row.value = value
        self.session.add(row)

    def data_revision(self) -> int:
        return int(self.get(REVISION_KEY) or 0)

    def bump_revision(self) -> int:
        rev = self.data_revision() + 1
        self.set(REVISION_KEY, str(rev))
        return rev

    def is_seeded(self) -> bool:
        return self.get(SEEDED_KEY) is not None


class ReferenceRepo:
    """Reference-data reads and writes inside one Session; every change bumps the data
    revision kept by `meta`."""

    def __init__(self, session: Session, meta: MetaRepo) -> None:
        self.session = session
        self.meta = meta

    # -- seeding -------------------------------------------------------------------------
    def store_dataset(self, ds: Dataset) -> None:
        """Write every table of a (validated) dataset; used once, on an empty database."""
        s = self.session
        s.add_all(ProgramRow(program=p.program, name_es=p.name_es,
                             service_days_per_week=p.service_days_per_week,
                             daily_budget_q=p.daily_budget_q) for p in ds.programs.values())
        s.add_all(_food_row(f) for f in ds.foods.values())
        s.flush()
        s.add_all(_price_row(p) for p in ds.prices)
        s.add_all(AgeGroupRow(program=g.program, age_group=g.age_group, name_es=g.name_es,
                              portion_min=g.portion_min, portion_max=g.portion_max,
                              requires_tag=g.requires_tag, position=i)
                  for i, g in enumerate(ds.age_groups))
        s.add_all(MealComponentRow(program=c.program, slot=c.slot, component=c.component,
                                   min_items=c.min_items, max_items=c.max_items, position=i)
                  for i, c in enumerate(ds.meal_patterns))
        s.add_all(RecipeRow(recipe_id=r.recipe_id, name_es=r.name_es, component=r.component,
                            slots=list(r.slots), programs=list(r.programs),
                            tags=sorted(r.tags), acceptability=r.acceptability)
                  for r in ds.recipes.values())
        s.flush()
        s.add_all(IngredientRow(recipe_id=r.recipe_id, food_id=i.food_id, grams=i.grams,
                                position=k)
                  for r in ds.recipes.values() for k, i in enumerate(r.ingredients))
        s.add_all(TargetRow(program=t.program, age_group=t.age_group, nutrient=t.nutrient,
                            min=t.min, max=t.max, basis=t.basis, position=i)
                  for i, t in enumerate(ds.targets))
        self.meta.set(SEEDED_KEY, utcnow().isoformat())
        self.meta.bump_revision()

    # -- the Dataset ---------------------------------------------------------------------
    def load_dataset(self) -> Dataset:
        """The reference data as the core's Dataset (same order as the CSV files)."""
        s = self.session
        foods = {r.food_id: _food(r)
                 for r in s.exec(select(FoodRow).order_by(col(FoodRow.food_id)))}
        prices = tuple(_price(r) for r in s.exec(select(PriceRow).order_by(col(PriceRow.id))))
        ingredients: dict[str, list[Ingredient]] = {}
        for i in s.exec(select(IngredientRow).order_by(col(IngredientRow.recipe_id),
                                                        col(IngredientRow.position))):
            ingredients.setdefault(i.recipe_id, []).append(Ingredient(i.food_id, i.grams))
        recipes = {
            r.recipe_id: Recipe(r.recipe_id, r.name_es, r.component, tuple(r.slots),
                                tuple(r.programs), tuple(ingredients.get(r.recipe_id, [])),
                                frozenset(r.tags), r.acceptability)
            for r in s.exec(select(RecipeRow).order_by(col(RecipeRow.recipe_id)))
        }
        programs = {p.program: Program(p.program, p.name_es, p.service_days_per_week,
                                       p.daily_budget_q)
                    for p in s.exec(select(ProgramRow).order_by(col(ProgramRow.program)))}
        groups = tuple(AgeGroup(g.program, g.age_group, g.name_es, g.portion_min,
                                g.portion_max, g.requires_tag)
                       for g in s.exec(select(AgeGroupRow).order_by(col(AgeGroupRow.position))))
        patterns = tuple(MealComponent(c.program, c.slot, c.component, c.min_items,
                                       c.max_items)
                         for c in s.exec(select(MealComponentRow)
                                         .order_by(col(MealComponentRow.position))))
        targets = tuple(_target(t) for t in s.exec(select(TargetRow).order_by(
            col(TargetRow.position), col(TargetRow.id))))
        return Dataset(foods, prices, recipes, programs, groups, patterns, targets)

    # -- foods and prices ----------------------------------------------------------------
    def foods(self, group: str | None = None, search: str | None = None,
                   offset: int = 0, limit: int = 100) -> tuple[list[FoodRow], int]:
        q = select(FoodRow)
        if group:
            q = q.where(FoodRow.food_group == group)
        if search:
            like = f"%{search.lower()}%"
            q = q.where(func.lower(FoodRow.name_es).like(like)
                        | func.lower(FoodRow.food_id).like(like))
        return self._page(q.order_by(col(FoodRow.food_id)), offset, limit)

    def food(self, food_id: str) -> FoodRow | None:
        return self.session.get(FoodRow, food_id)

    def food_ids(self) -> set[str]:
        return set(self.session.exec(select(FoodRow.food_id)))

    def prices(self, food_id: str | None = None, department: str | None = None,
                    offset: int = 0, limit: int = 100) -> tuple[list[PriceRow], int]:
        q = select(PriceRow)
        if food_id:
            q = q.where(PriceRow.food_id == food_id)
        if department:
            q = q.where(PriceRow.department == department)
        order = (col(PriceRow.food_id), col(PriceRow.department), col(PriceRow.purchase_unit))
        return self._page(q.order_by(*order), offset, limit)

    def add_price_survey(self, department: str, filename: str, username: str,
                         prices: Sequence[Price]) -> PriceSurveyRow:
        """Store a survey: each (food, unit) it lists replaces the department's old price."""
        survey = PriceSurveyRow(department=department, filename=filename, rows=len(prices),
                                uploaded_by=username)
        self.session.add(survey)
        self.session.flush()
        for p in prices:
            old = self.session.exec(select(PriceRow).where(
                PriceRow.food_id == p.food_id, PriceRow.department == p.department,
                PriceRow.purchase_unit == p.purchase_unit)).first()
            row = old or PriceRow(food_id=p.food_id, department=p.department,
                                  purchase_unit=p.purchase_unit, unit_grams=p.unit_grams,
                                  price_q=p.price_q, price_date=p.price_date)
            row.unit_grams, row.price_q, row.price_date = p.unit_grams, p.price_q, p.price_date
            row.source, row.survey_id = p.source, survey.id
            self.session.add(row)
        self.meta.bump_revision()
        return survey

    def surveys(self, department: str | None = None, offset: int = 0,
                     limit: int = 100) -> tuple[list[PriceSurveyRow], int]:
        q = select(PriceSurveyRow)
        if department:
            q = q.where(PriceSurveyRow.department == department)
        return self._page(q.order_by(col(PriceSurveyRow.id).desc()), offset, limit)

    # -- menus and targets ---------------------------------------------------------------
    def programs(self) -> list[ProgramRow]:
        return list(self.session.exec(select(ProgramRow).order_by(col(ProgramRow.program))))

    def recipes(self, program: str | None = None) -> list[RecipeRow]:
        rows = self.session.exec(select(RecipeRow).order_by(col(RecipeRow.recipe_id)))
        return [r for r in rows if program is None or program in r.programs]

    def recipe(self, recipe_id: str) -> RecipeRow | None:
        return self.session.get(RecipeRow, recipe_id)

    def ingredients_of(self, recipe_id: str) -> list[IngredientRow]:
        return list(self.session.exec(select(IngredientRow).where(
            IngredientRow.recipe_id == recipe_id).order_by(col(IngredientRow.position))))

    def targets(self, program: str | None = None,
                     age_group: str | None = None) -> list[TargetRow]:
        q = select(TargetRow)
        if program:
            q = q.where(TargetRow.program == program)
        if age_group:
            q = q.where(TargetRow.age_group == age_group)
        return list(self.session.exec(q.order_by(col(TargetRow.position), col(TargetRow.id))))

    def target(self, target_id: int) -> TargetRow | None:
        return self.session.get(TargetRow, target_id)

    def save_target(self, row: TargetRow, username: str) -> TargetRow:
        if row.id is None:
            last = self.session.exec(select(func.max(TargetRow.position))).one()
            row.position = (last or 0) + 1
        row.updated_by, row.updated_at = username, utcnow()
        self.session.add(row)
        self.session.flush()
        self.meta.bump_revision()
        return row

    def _page(self, q: Any, offset: int, limit: int) -> tuple[list[Any], int]:
        total = self.session.exec(select(func.count()).select_from(q.subquery())).one()
        return list(self.session.exec(q.offset(offset).limit(limit))), int(total)



class CenterRepo:
    """Centers (and their enrollment) inside one Session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, ids: Iterable[str] | None = None, department: str | None = None,
                     program: str | None = None) -> list[CenterRow]:
        q = select(CenterRow)
        if ids is not None:
            q = q.where(col(CenterRow.center_id).in_(list(ids)))
        if department:
            q = q.where(CenterRow.department == department)
        if program:
            q = q.where(CenterRow.program == program)
        order = (col(CenterRow.position), col(CenterRow.center_id))
        return list(self.session.exec(q.order_by(*order)))

    def get(self, center_id: str) -> CenterRow | None:
        return self.session.get(CenterRow, center_id)

    def upsert(self, centers: Sequence[Center],
                       attendance: dict[str, float] | None = None) -> tuple[int, int]:
        """Add new centers and overwrite known ones; (added, updated)."""
        start = self.session.exec(select(func.max(CenterRow.position))).one() or 0
        added = updated = 0
        for i, c in enumerate(centers, start=1):
            row = self.session.get(CenterRow, c.center_id)
            if row is None:
                row = CenterRow(center_id=c.center_id, name=c.name, program=c.program,
                                center_type=c.center_type, department=c.department,
                                municipality=c.municipality, position=start + i)
                added += 1
            else:
                updated += 1
            row.name, row.program, row.center_type = c.name, c.program, c.center_type
            row.department, row.municipality = c.department, c.municipality
            row.enrolled, row.updated_at = dict(c.enrolled), utcnow()
            row.attendance = (attendance or {}).get(c.center_id)
            self.session.add(row)
        self.session.flush()
        return added, updated

    def save(self, row: CenterRow) -> CenterRow:
        row.updated_at = utcnow()
        self.session.add(row)
        self.session.flush()
        return row


def center_of(row: CenterRow) -> Center:
    """The domain Center of a stored row."""
    return Center(row.center_id, row.name, row.program, row.center_type, row.department,
                  row.municipality, {k: int(v) for k, v in row.enrolled.items()})


def _food_row(f: Food) -> FoodRow:
    return FoodRow(food_id=f.food_id, name_es=f.name_es, food_group=f.food_group,
                   edible_fraction=f.edible_fraction, nutrients=dict(f.nutrients),
                   source=f.source, market_section=f.market_section, keeps=f.keeps)


def _food(r: FoodRow) -> Food:
    return Food(r.food_id, r.name_es, r.food_group, r.edible_fraction, dict(r.nutrients),
                r.source, r.market_section, r.keeps)


def _price_row(p: Price) -> PriceRow:
    return PriceRow(food_id=p.food_id, department=p.department, purchase_unit=p.purchase_unit,
                    unit_grams=p.unit_grams, price_q=p.price_q, price_date=p.price_date,
                    source=p.source)


def _price(r: PriceRow) -> Price:
    return Price(r.food_id, r.department, r.purchase_unit, r.unit_grams, r.price_q,
                 r.price_date, r.source)


def _target(t: TargetRow) -> Target:
    return Target(t.program, t.age_group, t.nutrient, t.min, t.max, t.basis)

