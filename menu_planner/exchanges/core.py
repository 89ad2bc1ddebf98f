"""The arithmetic of an exchange: which nutrient a food is valued for, which foods may
replace it, and how many grams of the replacement keep that nutrient.

Replacement grams = original grams x value of the original / value of the replacement
(both per 100 g of edible portion, from foods.csv). Example (tests/fixtures/tiny): 50 g of
egg at 12.6 g protein/100 g = 6.3 g protein; cooked black beans have 8.9 g/100 g, so
6.3 / 8.9 x 100 = 70.8 g of beans. An unknown value (ND) never gives an amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from menu_planner.domain import Dataset, Food, nutrient_label_es
from menu_planner.exchanges.rules import ExchangeRule, ExchangeRules

# Reference amounts when a program has no minimum target for a nutrient: NASEM RDA/AI for
# children of 4-8 years (energy: SOSEP's 1,200 kcal per child per day). Only their ratios
# matter: they decide which vitamin a vegetable is valued for.
FALLBACK_REFERENCE: dict[str, float] = {
    "energy_kcal": 1200.0, "protein_g": 19.0, "fat_g": 40.0, "carbohydrate_g": 130.0,
    "fiber_g": 25.0, "calcium_mg": 1000.0, "iron_mg": 10.0, "zinc_mg": 5.0,
    "vitamin_a_ug_rae": 400.0, "vitamin_c_mg": 25.0, "folate_ug_dfe": 200.0,
    "sodium_mg": 1500.0,
}


def reference_amounts(dataset: Dataset, program: str) -> dict[str, float]:
    """nutrient -> the mean of the program's minimum targets over its age groups (any
    basis), or the fallback reference when the program sets no minimum for it."""
    mins: dict[str, list[float]] = {}
    for t in dataset.targets_of(program):
        if t.min is not None and t.min > 0:
            mins.setdefault(t.nutrient, []).append(t.min)
    out = dict(FALLBACK_REFERENCE)
    out.update({n: sum(v) / len(v) for n, v in mins.items()})
    return out


@dataclass(frozen=True)
class Basis:
    """The nutrient a food is exchanged for (None: not exchanged) and why, in Spanish."""

    nutrient: str | None
    value: float | None  # per 100 g of edible portion
    reason_es: str


def basis_of(food: Food, rule: ExchangeRule | None, references: Mapping[str, float]) -> Basis:
    """Which nutrient keeps the value when `food` is replaced.

    One nutrient in the rule: that one. Several (vegetables and fruits: vitamin A or C):
    the one the food is richest in relative to the program's targets, i.e. the largest
    value per 100 g / reference amount. A food with no known value, or none of it, is
    not exchanged.
    """
    if rule is None or not rule.exchanged:
        return Basis(None, None, "este alimento no se intercambia (sazonador u otro)")
    known = [(n, food.nutrients.get(n)) for n in rule.nutrients]
    values = [(n, v) for n, v in known if v is not None]
    if not values:
        names = " ni ".join(nutrient_label_es(n) for n in rule.nutrients)
        return Basis(None, None, f"no se conoce su contenido de {names} (ND): no se calcula "
                                 "ninguna cantidad")
    nutrient, value = max(values, key=lambda nv: nv[1] / references.get(nv[0], 1.0))
    if value <= 0:
        return Basis(None, value,
                     f"no aporta {nutrient_label_es(nutrient)}: no hay con qué igualarlo")
    if len(rule.nutrients) == 1:
        reason = f"se iguala el aporte de {nutrient_label_es(nutrient)}"
    else:
        reason = (f"se iguala el aporte de {nutrient_label_es(nutrient)}: es lo que más "
                  "aporta respecto de las metas del programa")
    missing = [n for n, v in known if v is None]
    if missing:
        reason += f" (sin dato de {', '.join(nutrient_label_es(n) for n in missing)})"
    return Basis(nutrient, value, reason)


@dataclass(frozen=True)
class Candidate:
    """A food that may replace the original: `factor` grams of it per gram of original."""

    food: Food
    factor: float


@dataclass(frozen=True)
class Omitted:
    """A food of the same exchange group left out of the options, and why (Spanish)."""

    food: Food
    reason_es: str


def replacement_factor(original_value: float, replacement_value: float) -> float:
    """Grams of replacement per gram of original that keep the nutrient."""
    return original_value / replacement_value


def candidates_for(
    dataset: Dataset, rules: ExchangeRules, food: Food, basis: Basis, program: str,
    unavailable: frozenset[str] = frozenset(),
) -> tuple[list[Candidate], list[Omitted]]:
    """The foods that may replace `food` (same exchange group, not excluded, with a known,
    non-zero value, weighing between the rule's min and max ratio of the original), and
    those left out with the reason. Foods in `unavailable` are never candidates."""
    rule = rules.rule_for(food)
    if rule is None or basis.nutrient is None or basis.value is None:
        return [], []
    nutrient = basis.nutrient
    out: list[Candidate] = []
    omitted: list[Omitted] = []
    for other in sorted(dataset.foods.values(), key=lambda f: f.name_es):
        other_rule = rules.rule_for(other)
        if (other.food_id == food.food_id or other.food_id in unavailable
                or other_rule is None or other_rule.exchange_group != rule.exchange_group):
            continue
        excluded = rules.excluded(food, other, program)
        if excluded is not None:
            omitted.append(Omitted(other, f"excluido: {excluded.reason}"))
            continue
        value = other.nutrients.get(nutrient)
        if value is None:
            omitted.append(Omitted(other, "no se conoce su contenido de "
                                          f"{nutrient_label_es(nutrient)} (ND): no se "
                                          "calcula la cantidad"))
            continue
        if value <= 0:
            omitted.append(Omitted(other, f"no aporta {nutrient_label_es(nutrient)}"))
            continue
        factor = replacement_factor(basis.value, value)
        if not rule.min_ratio <= factor <= rule.max_ratio:
            omitted.append(Omitted(other, f"haría falta {factor:.2f} veces el peso (se admite "
                                          f"de {rule.min_ratio:g} a {rule.max_ratio:g})"))
            continue
        out.append(Candidate(other, factor))
    return out, omitted
