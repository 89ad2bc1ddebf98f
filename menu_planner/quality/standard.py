"""The menu-quality standard as data a nutritionist edits (`data/menus/quality_rules.csv`).

What a nutritionist checks before signing a cycle (`../shared/domain/menu-quality.md`):
the Guías Alimentarias para Guatemala (MSPAS 2012) for everyone over two years, the
WHO/UNICEF 2021 infant-feeding indicators for 6-23 months, a real 6-week rotation and
energy at the goal. One row per rule: `program, age_groups, rule, subject, value,
min_grams, source, note`.

Rules (for each age group listed; "foods" is a `;`-joined subject, see below):
- `distinct_days`, value n (0 = every day): at least n different day menus, a day menu
  being the set of dishes served to the group.
- `max_per_cycle`, subject `SLOT:COMPONENT`, value n: a dish of that component in that
  slot is served on at most n days of the cycle.
- `group_each_meal`, foods, min_grams g: every meal (slot) served holds g grams or more.
- `group_each_day`, foods, g: every day holds g grams or more of those foods.
- `group_days_per_week`, foods, value n, g: at least n days a week hold g grams or more.
- `dietary_diversity`, value n, g: every day, at least n of the seven WHO food groups
  other than breast milk, each with g grams or more.
- `forbidden`, foods and `tag:T`: no dish served holds those foods or carries those tags.
- `energy_week_mean`, subject `LOW-HIGH` (%), value = goal kcal: each week's mean energy
  lies within LOW-HIGH % of the goal.

Foods are `;`-joined: a food group of `foods.csv` (`carnes`) or one food (`food:huevo_gallina`).
Grams are what the group is served: a dish's grams per reference portion times the
group's portion. `program` is `cadi`, `mad` or `*`; `age_groups` is `*` or `;`-joined ids.
Without the file no quality rule applies (a data directory with only the contract files).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from menu_planner.domain import FOOD_GROUPS, DataError, Dataset, Food, Problem, Recipe
from menu_planner.tabular import Column, Row, read_table

QUALITY_FILE = "menus/quality_rules.csv"

QUALITY_RULES = ("distinct_days", "max_per_cycle", "group_each_meal", "group_each_day",
                 "group_days_per_week", "dietary_diversity", "forbidden", "energy_week_mean")
_NEEDS_FOODS = ("group_each_meal", "group_each_day", "group_days_per_week", "forbidden")
_NEEDS_GRAMS = ("group_each_meal", "group_each_day", "group_days_per_week",
                "dietary_diversity")
_NEEDS_VALUE = ("max_per_cycle", "group_days_per_week", "dietary_diversity",
                "energy_week_mean")

COLUMNS = [
    Column("program"),
    Column("age_groups", "list"),
    Column("rule", choices=QUALITY_RULES),
    Column("subject", required=False, default=""),
    Column("value", "float", required=False, min=0.0),
    Column("min_grams", "float", required=False, min=0.0),
    Column("source"),
    Column("note", required=False, default=""),
]

# WHO/UNICEF 2021 minimum dietary diversity: the seven groups besides breast milk.
DIVERSITY_GROUPS: dict[str, str] = {
    "granos": "cereales, raíces y tubérculos",
    "leguminosas": "leguminosas, nueces y semillas",
    "lacteos": "lácteos",
    "carnes": "carnes, aves, pescado y vísceras",
    "huevos": "huevos",
    "vitamina_a": "frutas y verduras ricas en vitamina A",
    "otras_frutas_verduras": "otras frutas y verduras",
}
VITAMIN_A_RICH_UG_PER_100G = 120.0  # menu-quality.md: at least 120 µg RAE per 100 g
_SEEDS = frozenset({"mani", "pepitoria", "ajonjoli"})
_EGGS = frozenset({"huevo_gallina"})


@dataclass(frozen=True)
class QualityRule:
    """One rule of the standard (see the module docstring)."""

    program: str
    age_groups: tuple[str, ...]  # () = every age group of the program
    rule: str
    subject: str
    value: float
    min_grams: float
    source: str
    note: str = ""
    line: int | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        """The `;`-joined parts of the subject."""
        return tuple(t for t in self.subject.split(";") if t)

    @property
    def band(self) -> tuple[float, float]:
        """(low, high) percent of an `energy_week_mean` rule."""
        low, _, high = self.subject.partition("-")
        return float(low), float(high)

    @property
    def slot_component(self) -> tuple[str, str]:
        """(slot, component) of a `max_per_cycle` rule."""
        slot, _, component = self.subject.partition(":")
        return slot, component

    def applies_to(self, age_group: str) -> bool:
        """Whether the rule covers `age_group`."""
        return not self.age_groups or age_group in self.age_groups


@dataclass(frozen=True)
class QualityStandard:
    """The rules of the standard and the file they came from."""

    rules: tuple[QualityRule, ...]
    source: str = "sin reglas de calidad"

    def for_program(self, program: str) -> tuple[QualityRule, ...]:
        """The rules that apply to `program` (its own rows and the `*` rows)."""
        return tuple(r for r in self.rules if r.program in (program, "*"))


NO_QUALITY_RULES = QualityStandard(())


def load_quality_standard(data_dir: Path | None) -> QualityStandard:
    """The standard in `data_dir/menus/quality_rules.csv` (the shipped data when None);
    an empty standard when the file is absent. Raises DataError naming every wrong row."""
    from menu_planner.reference_data import SHIPPED_DATA

    path = (Path(data_dir) if data_dir is not None else SHIPPED_DATA) / QUALITY_FILE
    if not path.is_file():
        return NO_QUALITY_RULES
    return read_quality_standard(path)


def read_quality_standard(path: Path) -> QualityStandard:
    """The standard read from one CSV file; DataError when a row is wrong."""
    rows, problems = read_table(path, COLUMNS, label=QUALITY_FILE)
    rules = []
    for r in rows:
        wrong = _check_row(r)
        if wrong:
            problems.append(Problem(QUALITY_FILE, r["_line"], wrong[0], wrong[1]))
            continue
        ages = tuple(a for a in r["age_groups"] if a != "*")
        rules.append(QualityRule(r["program"], ages, r["rule"], r["subject"] or "",
                                 r["value"] or 0.0, r["min_grams"] or 0.0, r["source"],
                                 r["note"] or "", r["_line"]))
    if problems:
        raise DataError(problems)
    return QualityStandard(tuple(rules), source=str(path))


def _check_row(r: Row) -> tuple[str, str] | None:
    rule, subject = r["rule"], r["subject"] or ""
    if rule in _NEEDS_FOODS:
        for token in subject.split(";"):
            kind, sep, name = token.partition(":")
            if not token or (not sep and token not in FOOD_GROUPS) or (
                    sep and (kind not in ("food", "tag") or not name)):
                return "subject", (f"'{token}' no es un grupo de alimentos, 'food:ID' ni "
                                   "'tag:ETIQUETA'")
            if kind == "tag" and rule != "forbidden":
                return "subject", "'tag:' solo sirve para la regla forbidden"
    if rule == "max_per_cycle" and subject.count(":") != 1:
        return "subject", "use 'TIEMPO:COMPONENTE', p. ej. 'almuerzo:plato_principal'"
    if rule == "energy_week_mean":
        low, _, high = subject.partition("-")
        try:
            if not 0 < float(low) <= float(high):
                raise ValueError
        except ValueError:
            return "subject", "use 'MÍNIMO-MÁXIMO' en por ciento, p. ej. '98-105'"
    if rule in _NEEDS_GRAMS and r["min_grams"] is None:
        return "min_grams", "la regla necesita min_grams"
    if rule in _NEEDS_VALUE and not r["value"]:
        return "value", "la regla necesita un valor mayor que 0"
    return None


def food_matches(tokens: Iterable[str], food: Food) -> bool:
    """Whether `food` is one of the foods named by `tokens` (groups or `food:ID`)."""
    for token in tokens:
        kind, sep, name = token.partition(":")
        if (not sep and food.food_group == token) or (kind == "food" and name == food.food_id):
            return True
    return False


def grams_per_portion(tokens: Iterable[str], recipe: Recipe,
                      foods: Mapping[str, Food]) -> float:
    """Grams of the foods named by `tokens` in one reference portion of `recipe`."""
    toks = tuple(tokens)
    return sum(i.grams for i in recipe.ingredients if food_matches(toks, foods[i.food_id]))


def is_forbidden(tokens: Iterable[str], recipe: Recipe, foods: Mapping[str, Food]) -> bool:
    """Whether `recipe` holds a food or carries a tag named by `tokens`."""
    toks = tuple(tokens)
    tags = {t.partition(":")[2] for t in toks if t.startswith("tag:")}
    if tags & recipe.tags:
        return True
    return any(food_matches(toks, foods[i.food_id]) for i in recipe.ingredients)


def diversity_group(food: Food) -> str | None:
    """The WHO/UNICEF 2021 diversity group of a food, None for foods outside the seven
    (sugars, fats, condiments, drinks)."""
    g = food.food_group
    if g == "cereales":
        return "granos"
    if g == "leguminosas" or food.food_id in _SEEDS:
        return "leguminosas"
    if g == "lacteos_huevos":
        return "huevos" if food.food_id in _EGGS else "lacteos"
    if g == "carnes":
        return "carnes"
    if g in ("frutas", "verduras"):
        vit_a = food.nutrients.get("vitamin_a_ug_rae")
        rich = vit_a is not None and vit_a >= VITAMIN_A_RICH_UG_PER_100G
        return "vitamina_a" if rich else "otras_frutas_verduras"
    return None


def diversity_grams(recipe: Recipe, foods: Mapping[str, Food]) -> dict[str, float]:
    """Grams per reference portion of `recipe` in each WHO diversity group it touches."""
    out: dict[str, float] = {}
    for i in recipe.ingredients:
        group = diversity_group(foods[i.food_id])
        if group is not None:
            out[group] = out.get(group, 0.0) + i.grams
    return out


def standard_problems(standard: QualityStandard, dataset: Dataset) -> list[Problem]:
    """What the standard names that the data lacks: programs, age groups, foods, tags,
    slots and components (file, line and column of each, in Spanish)."""
    out: list[Problem] = []
    for rule in standard.rules:
        def bad(column: str, message: str, line: int | None = rule.line) -> None:
            out.append(Problem(QUALITY_FILE, line, column, message))

        if rule.program != "*" and rule.program not in dataset.programs:
            bad("program", f"programa desconocido '{rule.program}' (los datos tienen "
                           f"{', '.join(sorted(dataset.programs))})")
            continue
        groups = {g.age_group for g in dataset.age_groups
                  if rule.program in ("*", g.program)}
        for g in rule.age_groups:
            if g not in groups:
                bad("age_groups", f"el grupo de edad '{g}' no existe en menus/age_groups.csv"
                                  + ("" if rule.program == "*" else
                                     f" para el programa '{rule.program}'"))
        for token in rule.tokens if rule.rule in _NEEDS_FOODS else ():
            kind, _, name = token.partition(":")
            if kind == "food" and name not in dataset.foods:
                bad("subject", f"el alimento '{name}' no está en foods/foods.csv")
            if kind == "tag" and not any(name in r.tags for r in dataset.recipes.values()):
                bad("subject", f"ninguna receta de menus/recipes.csv lleva la etiqueta "
                               f"'{name}'")
        if rule.rule == "max_per_cycle":
            slot, component = rule.slot_component
            pattern = [c for c in dataset.meal_patterns if rule.program in ("*", c.program)]
            if slot not in {c.slot for c in pattern}:
                bad("subject", f"el tiempo de comida '{slot}' no está en "
                               "menus/meal_patterns.csv")
            elif component not in {c.component for c in pattern if c.slot == slot}:
                bad("subject", f"el componente '{component}' no está en el tiempo "
                               f"'{slot}' de menus/meal_patterns.csv")
    return out
