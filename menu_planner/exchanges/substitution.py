"""Replacing foods that are unavailable (or too expensive) this week: the best exchange for
each, the dishes rewritten with it, and what the change breaks.

The best exchange of a food is the cheapest option (Q per gram of the original it
replaces, at the region's prices) that breaks no target nor the budget on the week's days;
when every option breaks something, the one breaking least (fewest breaches, then the
smallest sum of relative misses, then the cheapest). Foods are chosen in the order given,
each one checked together with the replacements already chosen.

The purchase lists themselves are computed by `menu_planner.procurement` from a dataset
whose recipes use the replacement (`substitute_recipes`), so every rule of the purchase
lists (edible fraction, waste, units, carry-over) applies unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from menu_planner.domain import (
    DataError,
    Dataset,
    Food,
    Ingredient,
    MenuCycle,
    Problem,
    nutrient_label_es,
)
from menu_planner.exchanges.core import (
    Candidate,
    basis_of,
    candidates_for,
    reference_amounts,
)
from menu_planner.exchanges.impact import Breach, CycleImpact, Swaps, severity
from menu_planner.exchanges.rules import ExchangeRules, load_exchange_rules


@dataclass(frozen=True)
class Substitution:
    """What replaces an unavailable food this week (None when nothing can), why, and
    what it breaks (checked together with the other substitutions)."""

    original: Food
    replacement: Food | None
    factor: float
    nutrient: str | None
    q_per_gram_difference: float  # cost of replacement x factor - cost of original, per g
    breaches: tuple[Breach, ...]
    options_checked: int
    note_es: str

    @property
    def swap(self) -> tuple[str, float] | None:
        """(replacement food_id, factor), or None when the food is not replaced."""
        return None if self.replacement is None else (self.replacement.food_id, self.factor)

    def summary_es(self) -> str:
        """One Spanish line for a person."""
        if self.replacement is None:
            return f"{self.original.name_es}: sin reemplazo ({self.note_es})"
        return (f"{self.original.name_es} -> {self.replacement.name_es}: {self.factor:.2f} g "
                f"por cada g, a igual {nutrient_label_es(self.nutrient or '')}; {self.note_es}")


def substitute_recipes(dataset: Dataset, swaps: Swaps) -> Dataset:
    """The dataset with every recipe using `factor` x grams of the replacement instead of
    each swapped food (merged with the replacement when the recipe already has it)."""
    recipes = {}
    for rid, recipe in dataset.recipes.items():
        if not any(ing.food_id in swaps for ing in recipe.ingredients):
            recipes[rid] = recipe
            continue
        grams: dict[str, float] = {}
        for ing in recipe.ingredients:
            food_id, factor = swaps.get(ing.food_id, (ing.food_id, 1.0))
            grams[food_id] = grams.get(food_id, 0.0) + ing.grams * factor
        recipes[rid] = replace(recipe, ingredients=tuple(
            Ingredient(f, round(g, 4)) for f, g in grams.items()))
    return replace(dataset, recipes=recipes)


def week_days(cycle: MenuCycle, week: int, weekdays: Sequence[int] | None = None) -> list[
        int]:
    """The weekdays of cycle week `week` (all of them, or those in `weekdays`)."""
    return [d.weekday for d in cycle.days_of_week(week)
            if weekdays is None or d.weekday in weekdays]


def choose_substitutions(
    dataset: Dataset, cycle: MenuCycle, week: int, unavailable: Sequence[str], *,
    region: str | None = None, rules: ExchangeRules | None = None,
    data_dir: Path | None = None, weekdays: Sequence[int] | None = None,
) -> list[Substitution]:
    """The best exchange of each unavailable food for the days of cycle week `week`.

    DataError when a food id is unknown or the week is not in the cycle."""
    problems = [Problem("--unavailable", None, "food_id", f"alimento desconocido '{f}'")
                for f in unavailable if f not in dataset.foods]
    if week not in {d.week for d in cycle.days}:
        problems.append(Problem("--week", None, "week", f"el ciclo no tiene la semana {week}"))
    if problems:
        raise DataError(problems)
    region = region or cycle.price_region
    rules = rules or load_exchange_rules(dataset, data_dir)
    days = [d for d in cycle.days_of_week(week) if weekdays is None or d.weekday in weekdays]
    impact = CycleImpact(dataset, cycle, region, days)
    refs = reference_amounts(dataset, cycle.program)
    blocked = frozenset(unavailable)
    chosen: dict[str, tuple[str, float]] = {}
    out: list[Substitution] = []
    for food_id in dict.fromkeys(unavailable):
        food = dataset.foods[food_id]
        if not impact.days_with([food_id]):
            out.append(Substitution(food, None, 0.0, None, 0.0, (), 0,
                                    "no se usa en el menú de esta semana"))
            continue
        basis = basis_of(food, rules.rule_for(food), refs)
        cands, _ = candidates_for(dataset, rules, food, basis, cycle.program, blocked)
        if not cands:
            note = basis.reason_es if basis.nutrient is None else "ningún alimento lo reemplaza"
            out.append(Substitution(food, None, 0.0, basis.nutrient, 0.0, (), 0, note))
            continue
        sub = _best(dataset, impact, food, cands, chosen, region, basis.nutrient)
        if sub.swap is not None:
            chosen[food_id] = sub.swap
        out.append(sub)
    return _final_breaches(impact, out, chosen)


def _best(
    dataset: Dataset, impact: CycleImpact, food: Food, cands: list[Candidate],
    chosen: Mapping[str, tuple[str, float]], region: str, nutrient: str | None,
) -> Substitution:
    own = dataset.cost_per_edible_gram(food.food_id, region)
    scored = []
    for c in cands:
        diff = c.factor * dataset.cost_per_edible_gram(c.food.food_id, region) - own
        breaches = impact.breaches({**chosen, food.food_id: (c.food.food_id, c.factor)})
        scored.append((len(breaches), round(severity(breaches), 9), diff, c.food.name_es, c,
                       tuple(breaches)))
    n, _, diff, _, best, found = min(scored, key=lambda s: s[:4])
    note = ("el más barato que cumple todas las metas y el presupuesto" if n == 0 else
            "todas las opciones incumplen algo: es la que menos incumple")
    return Substitution(food, best.food, best.factor, nutrient, diff, found, len(cands), note)


def _final_breaches(
    impact: CycleImpact, subs: list[Substitution], chosen: Mapping[str, tuple[str, float]]
) -> list[Substitution]:
    """Each substitution's breaches recomputed with all replacements in place: a day that
    holds several replaced foods is attributed to each of them."""
    if len(chosen) <= 1:
        return subs
    every = impact.breaches(chosen)
    out = []
    for s in subs:
        if s.swap is None:
            out.append(s)
            continue
        days = {(d.week, d.weekday) for d in impact.days_with([s.original.food_id])}
        mine = tuple(b for b in every if (b.week, b.weekday) in days or (
            b.weekday is None and any(w == b.week for w, _ in days)))
        note = s.note_es
        if mine and not s.breaches:
            note = ("cumple todo por sí solo, pero junto con los otros reemplazos incumple "
                    "algo")
        out.append(replace(s, breaches=mine, note_es=note))
    return out


def swaps_of(subs: Sequence[Substitution]) -> dict[str, tuple[str, float]]:
    """original food_id -> (replacement food_id, factor) of the substitutions made."""
    return {s.original.food_id: s.swap for s in subs if s.swap is not None}
