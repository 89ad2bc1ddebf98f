"""Loads a data directory laid out like the shipped `data/` into a checked Dataset.

Every problem (types, ranges, units, references between tables) is collected and raised
together in one DataError, naming file, line and column.
"""

from __future__ import annotations

from pathlib import Path

from menu_planner.domain import (
    DEPARTMENTS,
    DERIVED_NUTRIENTS,
    FOOD_GROUPS,
    NATIONAL,
    NUTRIENTS,
    AgeGroup,
    DataError,
    Dataset,
    Food,
    Ingredient,
    MealComponent,
    Price,
    Problem,
    Program,
    Recipe,
    Target,
)
from menu_planner.domain.constants import UNKNOWN_MARK
from menu_planner.tabular import Column, Row, check_unique, read_table

SHIPPED_DATA = Path(__file__).resolve().parent.parent / "data"


def data_file(data_dir: Path | None, rel: str) -> Path | None:
    """`DIR/rel` (or the shipped `data/rel`) when it exists; None means: use the defaults."""
    path = (Path(data_dir) if data_dir is not None else SHIPPED_DATA) / rel
    return path if path.is_file() else None


FOODS = "foods/foods.csv"
PRICES = "foods/prices.csv"
RECIPES = "menus/recipes.csv"
INGREDIENTS = "menus/recipe_ingredients.csv"
PROGRAMS = "menus/programs.csv"
AGE_GROUPS = "menus/age_groups.csv"
PATTERNS = "menus/meal_patterns.csv"
TARGETS = "menus/targets.csv"

FOOD_COLUMNS = [
    Column("food_id"),
    Column("name_es"),
    Column("food_group", choices=tuple(FOOD_GROUPS)),
    Column("edible_fraction", "float", min=0.0, max=1.0, min_exclusive=True),
    *(Column(n, "float", min=0.0, unknown=UNKNOWN_MARK) for n in NUTRIENTS),
    Column("source"),
    Column("market_section", required=False, default=""),
    Column("keeps", "bool", required=False, default=None),
]
PRICE_COLUMNS = [
    Column("food_id"),
    Column("department", choices=(NATIONAL, *DEPARTMENTS)),
    Column("purchase_unit"),
    Column("unit_grams", "float", min=0.0, min_exclusive=True),
    Column("price_q", "float", min=0.0, min_exclusive=True),
    Column("price_date", "date"),
    Column("source"),
]
RECIPE_COLUMNS = [
    Column("recipe_id"),
    Column("name_es"),
    Column("component"),
    Column("slots", "list"),
    Column("programs", "list"),
    Column("tags", "list", required=False, default=()),
    Column("acceptability", "float", required=False, min=0.0, max=1.0),
]
INGREDIENT_COLUMNS = [
    Column("recipe_id"),
    Column("food_id"),
    Column("grams", "float", min=0.0, min_exclusive=True),
]
PROGRAM_COLUMNS = [
    Column("program"),
    Column("name_es"),
    Column("service_days_per_week", "int", min=1, max=7),
    Column("daily_budget_q", "float", min=0.0, min_exclusive=True),
]
AGE_GROUP_COLUMNS = [
    Column("program"),
    Column("age_group"),
    Column("name_es"),
    Column("portion_min", "float", min=0.0),
    Column("portion_max", "float", min=0.0, min_exclusive=True),
    Column("requires_tag", required=False, default=""),
]
PATTERN_COLUMNS = [
    Column("program"),
    Column("slot"),
    Column("component"),
    Column("min_items", "int", min=0),
    Column("max_items", "int", min=1),
]
TARGET_COLUMNS = [
    Column("program"),
    Column("age_group"),
    Column("nutrient", choices=(*NUTRIENTS, *DERIVED_NUTRIENTS)),
    Column("min", "float", required=False, min=0.0),
    Column("max", "float", required=False, min=0.0),
    Column("basis", choices=("day", "week")),
]

# Foods that keep (leftovers carry into next week) when foods.csv does not say.
_KEEPING_GROUPS = {"cereales", "leguminosas", "azucares", "grasas", "otros"}


def load_dataset(data_dir: Path | None = None) -> Dataset:
    """The checked dataset in `data_dir` (the shipped data by default); DataError otherwise."""
    root = Path(data_dir) if data_dir is not None else SHIPPED_DATA
    problems: list[Problem] = []

    def table(rel: str, cols: list[Column]) -> list[Row]:
        rows, probs = read_table(root / rel, cols, label=rel)
        problems.extend(probs)
        return rows

    food_rows = table(FOODS, FOOD_COLUMNS)
    price_rows = table(PRICES, PRICE_COLUMNS)
    recipe_rows = table(RECIPES, RECIPE_COLUMNS)
    ingredient_rows = table(INGREDIENTS, INGREDIENT_COLUMNS)
    program_rows = table(PROGRAMS, PROGRAM_COLUMNS)
    group_rows = table(AGE_GROUPS, AGE_GROUP_COLUMNS)
    pattern_rows = table(PATTERNS, PATTERN_COLUMNS)
    target_rows = table(TARGETS, TARGET_COLUMNS)

    problems += check_unique(food_rows, lambda r: r["food_id"], FOODS, "food_id", "food_id")
    problems += check_unique(recipe_rows, lambda r: r["recipe_id"], RECIPES, "recipe_id",
                             "recipe_id")
    problems += check_unique(program_rows, lambda r: r["program"], PROGRAMS, "program",
                             "programa")
    problems += check_unique(group_rows, lambda r: (r["program"], r["age_group"]), AGE_GROUPS,
                             "age_group", "grupo de edad")
    problems += check_unique(pattern_rows, lambda r: (r["program"], r["slot"], r["component"]),
                             PATTERNS, "component", "componente")
    problems += check_unique(
        target_rows, lambda r: (r["program"], r["age_group"], r["nutrient"], r["basis"]),
        TARGETS, "nutrient", "meta")
    problems += check_unique(
        price_rows, lambda r: (r["food_id"], r["department"], r["purchase_unit"]),
        PRICES, "purchase_unit", "precio")

    foods = {r["food_id"]: _food(r) for r in food_rows}
    programs = {r["program"]: _program(r) for r in program_rows}
    groups = tuple(_age_group(r) for r in group_rows)
    patterns = tuple(_pattern(r) for r in pattern_rows)
    targets = tuple(_target(r) for r in target_rows)
    prices = tuple(_price(r) for r in price_rows)
    ingredients: dict[str, list[Ingredient]] = {}
    for r in ingredient_rows:
        ingredients.setdefault(r["recipe_id"], []).append(Ingredient(r["food_id"], r["grams"]))
    recipes = {r["recipe_id"]: _recipe(r, ingredients) for r in recipe_rows}

    problems += _check_prices(price_rows, foods)
    problems += _check_ingredients(ingredient_rows, recipes, foods)
    problems += _check_recipes(recipe_rows, recipes, programs, patterns)
    problems += _check_program_refs(group_rows, pattern_rows, target_rows, programs, groups)
    if problems:
        raise DataError(sorted(set(problems), key=_problem_order))
    return Dataset(foods, prices, recipes, programs, groups, patterns, targets)


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line or 0, p.column or "", p.message)


def _food(r: Row) -> Food:
    keeps = r["keeps"] if r["keeps"] is not None else r["food_group"] in _KEEPING_GROUPS
    return Food(
        food_id=r["food_id"], name_es=r["name_es"], food_group=r["food_group"],
        edible_fraction=r["edible_fraction"], nutrients={n: r[n] for n in NUTRIENTS},
        source=r["source"], market_section=r["market_section"] or "", keeps=bool(keeps),
    )


def _price(r: Row) -> Price:
    return Price(r["food_id"], r["department"], r["purchase_unit"], r["unit_grams"],
                 r["price_q"], r["price_date"], r["source"])


def _recipe(r: Row, ingredients: dict[str, list[Ingredient]]) -> Recipe:
    return Recipe(
        recipe_id=r["recipe_id"], name_es=r["name_es"], component=r["component"],
        slots=r["slots"], programs=r["programs"],
        ingredients=tuple(ingredients.get(r["recipe_id"], [])),
        tags=frozenset(r["tags"] or ()), acceptability=r["acceptability"],
    )


def _program(r: Row) -> Program:
    return Program(r["program"], r["name_es"], r["service_days_per_week"], r["daily_budget_q"])


def _age_group(r: Row) -> AgeGroup:
    return AgeGroup(r["program"], r["age_group"], r["name_es"], r["portion_min"],
                    r["portion_max"], r["requires_tag"] or "")


def _pattern(r: Row) -> MealComponent:
    return MealComponent(r["program"], r["slot"], r["component"], r["min_items"],
                         r["max_items"])


def _target(r: Row) -> Target:
    return Target(r["program"], r["age_group"], r["nutrient"], r["min"], r["max"], r["basis"])


def _check_prices(rows: list[Row], foods: dict[str, Food]) -> list[Problem]:
    out = [Problem(PRICES, r["_line"], "food_id", f"alimento desconocido '{r['food_id']}'")
           for r in rows if r["food_id"] not in foods]
    national = {r["food_id"] for r in rows if r["department"] == NATIONAL}
    out += [Problem(FOODS, None, "food_id",
                    f"el alimento '{f}' no tiene precio 'Nacional' en {PRICES}")
            for f in sorted(foods) if f not in national]
    return out


def _check_ingredients(
    rows: list[Row], recipes: dict[str, Recipe], foods: dict[str, Food]
) -> list[Problem]:
    out: list[Problem] = []
    for r in rows:
        if r["recipe_id"] not in recipes:
            out.append(Problem(INGREDIENTS, r["_line"], "recipe_id",
                               f"receta desconocida '{r['recipe_id']}'"))
        if r["food_id"] not in foods:
            out.append(Problem(INGREDIENTS, r["_line"], "food_id",
                               f"alimento desconocido '{r['food_id']}'"))
    return out


def _check_recipes(
    rows: list[Row], recipes: dict[str, Recipe], programs: dict[str, Program],
    patterns: tuple[MealComponent, ...],
) -> list[Problem]:
    out: list[Problem] = []
    placed = {(c.program, c.slot, c.component) for c in patterns}
    for r in rows:
        rec = recipes[r["recipe_id"]]
        line = r["_line"]
        if not rec.ingredients:
            out.append(Problem(RECIPES, line, "recipe_id",
                               f"la receta '{rec.recipe_id}' no tiene ingredientes en "
                               f"{INGREDIENTS}"))
        for p in rec.programs:
            if p not in programs:
                out.append(Problem(RECIPES, line, "programs", f"programa desconocido '{p}'"))
        if not rec.slots:
            out.append(Problem(RECIPES, line, "slots", "la receta no tiene tiempo de comida"))
        fits = [s for s in rec.slots for p in rec.programs if (p, s, rec.component) in placed]
        if rec.slots and not fits:
            out.append(Problem(
                RECIPES, line, "slots",
                f"ningún patrón de comida de {'/'.join(rec.programs)} tiene el componente "
                f"'{rec.component}' en {'/'.join(rec.slots)}: la receta no cabe en ningún "
                "tiempo de comida"))
    return out


def _check_program_refs(
    group_rows: list[Row], pattern_rows: list[Row], target_rows: list[Row],
    programs: dict[str, Program], groups: tuple[AgeGroup, ...],
) -> list[Problem]:
    out: list[Problem] = []
    known_groups = {(g.program, g.age_group) for g in groups}
    for file, rows in ((AGE_GROUPS, group_rows), (PATTERNS, pattern_rows),
                       (TARGETS, target_rows)):
        out += [Problem(file, r["_line"], "program", f"programa desconocido '{r['program']}'")
                for r in rows if r["program"] not in programs]
    for r in group_rows:
        if r["portion_min"] > r["portion_max"]:
            out.append(Problem(AGE_GROUPS, r["_line"], "portion_min",
                               "portion_min es mayor que portion_max"))
    for r in pattern_rows:
        if r["min_items"] > r["max_items"]:
            out.append(Problem(PATTERNS, r["_line"], "min_items",
                               "min_items es mayor que max_items"))
    for r in target_rows:
        line = r["_line"]
        if r["program"] in programs and (r["program"], r["age_group"]) not in known_groups:
            out.append(Problem(TARGETS, line, "age_group",
                               f"grupo de edad desconocido '{r['age_group']}'"))
        if r["min"] is None and r["max"] is None:
            out.append(Problem(TARGETS, line, "min", "la meta no tiene mínimo ni máximo"))
        elif r["min"] is not None and r["max"] is not None and r["min"] > r["max"]:
            out.append(Problem(TARGETS, line, "min", "el mínimo es mayor que el máximo"))
    for p in programs:
        if not any(g.program == p for g in groups):
            out.append(Problem(AGE_GROUPS, None, "program",
                               f"el programa '{p}' no tiene grupos de edad"))
    return out
