"""The exchange list (lista de intercambio) of a menu cycle: for every food the cycle uses,
the foods that may replace it, in an amount that keeps the nutrient the food is valued
for, in kitchen measures, with the cost difference at the center's prices and a warning
wherever the replacement makes a day miss a target or the budget.

Amounts are given for the food's *reference amount*: its grams in one reference portion of
the dish of the cycle that uses the most of it (the same factor applies to every dish:
grams of replacement = grams of original x factor).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from menu_planner.domain import Dataset, Food, MenuCycle
from menu_planner.exchanges.core import (
    Basis,
    Candidate,
    Omitted,
    basis_of,
    candidates_for,
    reference_amounts,
)
from menu_planner.exchanges.impact import Breach, CycleImpact
from menu_planner.exchanges.measures import KitchenMeasures, MeasuredAmount, load_kitchen_measures
from menu_planner.exchanges.rules import ExchangeRules, load_exchange_rules


@dataclass(frozen=True)
class Usage:
    """A dish of the cycle that uses the food: grams per reference portion, and on how
    many service days the dish is served."""

    recipe_id: str
    recipe_name: str
    grams: float
    days: int


@dataclass(frozen=True)
class ExchangeOption:
    """One replacement: grams and kitchen measure for the reference amount, cost difference
    (replacement - original, Q, same amount), and the targets or budget it breaks."""

    food: Food
    factor: float
    amount: MeasuredAmount
    cost_difference_q: float
    breaches: tuple[Breach, ...]
    # nutrients with a target that the original provides and the replacement has no value of
    unknown_nutrients: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the replacement keeps every target and the budget on every day."""
        return not self.breaches


@dataclass(frozen=True)
class ExchangeEntry:
    """A food of the cycle, what it is valued for, and its replacement options."""

    food: Food
    basis: Basis
    usages: tuple[Usage, ...]
    reference: Usage
    amount: MeasuredAmount
    cost_q: float  # cost of the reference amount at the list's prices
    options: tuple[ExchangeOption, ...]
    omitted: tuple[Omitted, ...]

    @property
    def exchanged(self) -> bool:
        """Whether the food has a basis nutrient (it may have no option left, though)."""
        return self.basis.nutrient is not None


@dataclass(frozen=True)
class ExchangeList:
    """The exchange list of one cycle at one region's prices."""

    program: str
    program_name: str
    region: str
    daily_budget_q: float
    weeks: int
    entries: tuple[ExchangeEntry, ...]
    sources: dict[str, str]


def food_usages(dataset: Dataset, cycle: MenuCycle) -> dict[str, list[Usage]]:
    """food_id -> the dishes of the cycle that use it (the one with the most grams per
    reference portion first, then the most served)."""
    served: dict[str, int] = {}
    for d in cycle.days:
        for rid in {i.recipe_id for m in d.meals for i in m.items}:
            served[rid] = served.get(rid, 0) + 1
    out: dict[str, list[Usage]] = {}
    for rid, n in served.items():
        recipe = dataset.recipes[rid]
        for ing in recipe.ingredients:
            out.setdefault(ing.food_id, []).append(Usage(rid, recipe.name_es, ing.grams, n))
    for usages in out.values():
        usages.sort(key=lambda u: (-u.grams, -u.days, u.recipe_id))
    return out


def build_exchange_list(
    dataset: Dataset, cycle: MenuCycle, *, region: str | None = None,
    rules: ExchangeRules | None = None, measures: KitchenMeasures | None = None,
    data_dir: Path | None = None, budget_q: float | None = None,
) -> ExchangeList:
    """The exchange list of `cycle` at the prices of `region` (default: the cycle's).

    Every food of the cycle gets an entry, in food-group then name order; foods that are
    not exchanged (condiments) have no options and say why. Options are sorted: those
    that break nothing first, then by cost difference. Rules and measures are read from
    `data_dir` (shipped data by default) unless given.
    """
    region = region or cycle.price_region
    rules = rules or load_exchange_rules(dataset, data_dir)
    measures = measures or load_kitchen_measures(dataset, data_dir)
    refs = reference_amounts(dataset, cycle.program)
    impact = CycleImpact(dataset, cycle, region, budget_q=budget_q)
    target_nutrients = {t.nutrient for t in dataset.targets_of(cycle.program)}
    entries: list[ExchangeEntry] = []
    for food_id, usages in food_usages(dataset, cycle).items():
        food = dataset.foods[food_id]
        basis = basis_of(food, rules.rule_for(food), refs)
        cands, omitted = candidates_for(dataset, rules, food, basis, cycle.program)
        ref = usages[0]
        cost = ref.grams * dataset.cost_per_edible_gram(food_id, region)
        options = [_option(dataset, impact, food, c, ref.grams, cost, region, measures,
                           target_nutrients) for c in cands]
        options.sort(key=lambda o: (not o.ok, o.cost_difference_q, o.food.name_es))
        entries.append(ExchangeEntry(food, basis, tuple(usages), ref,
                                     measures.measure(food, ref.grams), cost, tuple(options),
                                     tuple(omitted)))
    entries.sort(key=lambda e: (_GROUP_ORDER.get(e.food.food_group, 99), e.food.name_es))
    program = dataset.programs[cycle.program]
    return ExchangeList(cycle.program, program.name_es, region,
                        impact.budget_q, cycle.weeks, tuple(entries),
                        {**rules.sources, "menus/kitchen_measures.csv": measures.source})


_GROUP_ORDER = {g: i for i, g in enumerate(
    ("cereales", "leguminosas", "lacteos_huevos", "carnes", "verduras", "frutas", "grasas",
     "azucares", "otros"))}


def _option(
    dataset: Dataset, impact: CycleImpact, food: Food, cand: Candidate, grams: float,
    cost: float, region: str, measures: KitchenMeasures, target_nutrients: set[str],
) -> ExchangeOption:
    new_grams = grams * cand.factor
    new_cost = new_grams * dataset.cost_per_edible_gram(cand.food.food_id, region)
    breaches = impact.breaches({food.food_id: (cand.food.food_id, cand.factor)})
    unknown = tuple(sorted(n for n in target_nutrients if n in cand.food.nutrients
                           and cand.food.nutrients[n] is None and food.nutrients.get(n)))
    return ExchangeOption(cand.food, cand.factor, measures.measure(cand.food, new_grams),
                          new_cost - cost, tuple(breaches), unknown)
