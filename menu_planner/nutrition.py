"""Nutrients and cost of portions, meals, days and weeks, and their adequacy to targets.

Pure functions over a Dataset. Rules (from the data contract): grams of each food = sum of
portions x ingredient grams; nutrient = grams x value / 100; cost = grams / edible fraction
/ unit grams x price, at the region's price (the national one where it lists none).
A nutrient value that no source has is never read as zero: totals count the known part
and name the foods whose value is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from menu_planner.domain import (
    FAT_ENERGY_PCT,
    NATIONAL,
    NUTRIENTS,
    Dataset,
    Meal,
    MenuDay,
    Target,
)
from menu_planner.domain.constants import KCAL_PER_G_FAT

COST = "cost_q"


@dataclass(frozen=True)
class Totals:
    """Cost and nutrients of some food; `unknown[n]` lists foods missing a value of n."""

    values: Mapping[str, float]
    unknown: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.values[key]


@dataclass(frozen=True)
class TargetCheck:
    """How a total compares with one target."""

    target: Target
    value: float
    ok: bool
    shortfall: float  # how far below min (0 if not below)
    excess: float  # how far above max (0 if not above)
    unknown_foods: frozenset[str] = frozenset()

    @property
    def share_of_min(self) -> float | None:
        """value / min (1.0 = exactly met), or None for a target with no minimum."""
        m = self.target.min
        return None if not m else self.value / m


def item_grams(dataset: Dataset, recipe_id: str, portions: float) -> dict[str, float]:
    """Edible grams of each food in `portions` reference portions of a recipe."""
    out: dict[str, float] = {}
    for ing in dataset.recipes[recipe_id].ingredients:
        out[ing.food_id] = out.get(ing.food_id, 0.0) + ing.grams * portions
    return out


def grams_of(dataset: Dataset, items: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Edible grams per food of (recipe_id, portions) pairs, summed."""
    out: dict[str, float] = {}
    for recipe_id, portions in items:
        for food_id, g in item_grams(dataset, recipe_id, portions).items():
            out[food_id] = out.get(food_id, 0.0) + g
    return out


def totals_of_grams(
    dataset: Dataset, grams: Mapping[str, float], region: str = NATIONAL
) -> Totals:
    """Cost, nutrients and fat share of energy of edible grams per food."""
    values = dict.fromkeys((COST, *NUTRIENTS), 0.0)
    unknown: dict[str, set[str]] = {}
    for food_id, g in grams.items():
        if g == 0:
            continue
        food = dataset.foods[food_id]
        values[COST] += g * dataset.cost_per_edible_gram(food_id, region)
        for n in NUTRIENTS:
            v = food.nutrients.get(n)
            if v is None:
                unknown.setdefault(n, set()).add(food_id)
            else:
                values[n] += g * v / 100.0
    values[FAT_ENERGY_PCT] = fat_energy_pct(values["fat_g"], values["energy_kcal"])
    return Totals(values, {n: frozenset(f) for n, f in unknown.items()})


def fat_energy_pct(fat_g: float, energy_kcal: float) -> float:
    """Share of energy from fat, in percent (0 when there is no energy)."""
    return 0.0 if energy_kcal <= 0 else KCAL_PER_G_FAT * fat_g / energy_kcal * 100.0


def portion_totals(
    dataset: Dataset, recipe_id: str, portions: float = 1.0, region: str = NATIONAL
) -> Totals:
    """Totals of `portions` reference portions of one recipe."""
    return totals_of_grams(dataset, item_grams(dataset, recipe_id, portions), region)


def meal_items(meals: Iterable[Meal], age_group: str) -> list[tuple[str, float]]:
    """(recipe_id, portions) that one person of `age_group` is served in `meals`."""
    return [
        (item.recipe_id, item.portions.get(age_group, 0.0))
        for meal in meals
        for item in meal.items
        if item.portions.get(age_group, 0.0) > 0
    ]


def meal_totals(
    dataset: Dataset, meal: Meal, age_group: str, region: str = NATIONAL
) -> Totals:
    """Totals of one meal for one person of `age_group`."""
    return totals_of_grams(dataset, grams_of(dataset, meal_items([meal], age_group)), region)


def day_totals(
    dataset: Dataset, day: MenuDay, age_group: str, region: str = NATIONAL
) -> Totals:
    """Totals of a whole service day for one person of `age_group`."""
    return totals_of_grams(dataset, grams_of(dataset, meal_items(day.meals, age_group)), region)


def average(totals: Iterable[Totals]) -> Totals:
    """The mean of several totals (e.g. a week's days); fat share recomputed from means."""
    items = list(totals)
    if not items:
        raise ValueError("no totals to average")
    keys = [k for k in items[0].values if k != FAT_ENERGY_PCT]
    values = {k: sum(t.values[k] for t in items) / len(items) for k in keys}
    values[FAT_ENERGY_PCT] = fat_energy_pct(values["fat_g"], values["energy_kcal"])
    unknown: dict[str, frozenset[str]] = {}
    for t in items:
        for n, foods in t.unknown.items():
            unknown[n] = unknown.get(n, frozenset()) | foods
    return Totals(values, unknown)


def check_target(totals: Totals, target: Target, tolerance: float = 1e-6) -> TargetCheck:
    """Whether `totals` meets `target`, and by how much it misses."""
    value = totals.values[target.nutrient]
    shortfall = max(0.0, target.min - value) if target.min is not None else 0.0
    excess = max(0.0, value - target.max) if target.max is not None else 0.0
    scale = max(1.0, abs(target.min or 0.0), abs(target.max or 0.0))
    ok = shortfall <= tolerance * scale and excess <= tolerance * scale
    unknown = totals.unknown.get(target.nutrient, frozenset())
    return TargetCheck(target, value, ok, shortfall, excess, unknown)


def adequacy(totals: Totals, targets: Iterable[Target]) -> list[TargetCheck]:
    """Every target checked against the same totals."""
    return [check_target(totals, t) for t in targets]
