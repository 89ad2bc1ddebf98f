"""The menu-quality standard (`menu_planner.quality.standard`) as optimizer rows.

Each rule of the standard becomes one of the shapes the models already know, so every
model (day pricing MILP, masters, per-dish MILP, portion LPs) keeps it:

| rule | becomes |
| --- | --- |
| `forbidden` | the dish is not served to the group (as if it did not suit it) |
| `group_each_day`, `group_each_meal` | a daily minimum row on served grams (per slot for meals) |
| `energy_week_mean` | two weekly target rows on energy (LOW % and HIGH % of the goal) |
| `group_days_per_week` | a 0/1 indicator of the day (grams >= g) and a weekly minimum on it |
| `dietary_diversity` | seven indicators (one per WHO group) and a daily row: at least n on |
| `max_per_cycle` | a variety rule `max_per_cycle` on the component in that slot (every role) |
| `distinct_days` | groups whose day menus must all differ (kept by the integer masters) |
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from menu_planner.domain import AgeGroup, Dataset, Recipe, Target
from menu_planner.optimizer.rules import VarietyRule
from menu_planner.quality.standard import (
    DIVERSITY_GROUPS,
    QualityRule,
    diversity_grams,
    grams_per_portion,
    is_forbidden,
)

FloatArray = np.ndarray


@dataclass(frozen=True)
class Indicator:
    """A day 'counts' for group `group` when it is served `min_grams` g or more of some
    foods: a 0/1 feature y of the day with grams >= min_grams * y."""

    name: str
    group: int
    coef: FloatArray  # grams per reference portion of each dish
    min_grams: float
    label_es: str


@dataclass(frozen=True)
class WeekMinimum:
    """At least `days` days of every week have indicator `indicator` on."""

    name: str
    indicator: int
    days: int
    label_es: str


@dataclass(frozen=True)
class Diversity:
    """At least `at_least` of the `indicators` are on, every day."""

    name: str
    group: int
    indicators: tuple[int, ...]
    at_least: int


@dataclass(frozen=True)
class GramRow:
    """A daily minimum of served grams for one group (in one slot, or the whole day)."""

    name: str
    group: int
    coef: FloatArray
    min_grams: float
    slot: str | None
    label_es: str


@dataclass
class QualityRows:
    """The standard of one program, as rows over the instance's dishes and groups."""

    unsuitable: dict[int, frozenset[str]] = field(default_factory=dict)  # group -> recipes
    gram_rows: list[GramRow] = field(default_factory=list)
    energy_targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    week_minima: list[WeekMinimum] = field(default_factory=list)
    diversity: list[Diversity] = field(default_factory=list)
    variety_rules: list[VarietyRule] = field(default_factory=list)
    distinct_groups: tuple[int, ...] = ()


def forbidden_by_group(dataset: Dataset, rules: tuple[QualityRule, ...],
                       groups: tuple[AgeGroup, ...]) -> dict[int, frozenset[str]]:
    """group index -> recipes that must not be served to it (`forbidden` rules)."""
    out: dict[int, frozenset[str]] = {}
    for g, grp in enumerate(groups):
        banned = {rid for rule in rules if rule.rule == "forbidden"
                  and rule.applies_to(grp.age_group)
                  for rid, recipe in dataset.recipes.items()
                  if is_forbidden(rule.tokens, recipe, dataset.foods)}
        if banned:
            out[g] = frozenset(banned)
    return out


def build_quality_rows(dataset: Dataset, program: str, rules: tuple[QualityRule, ...],
                       groups: tuple[AgeGroup, ...], dishes: tuple[Recipe, ...]
                       ) -> QualityRows:
    """The rows of `rules` (already those of `program`) over `dishes` and `groups`."""
    out = QualityRows(unsuitable=forbidden_by_group(dataset, rules, groups))
    foods = dataset.foods
    distinct: set[int] = set()
    for k, rule in enumerate(rules):
        for g, grp in enumerate(groups):
            if not rule.applies_to(grp.age_group):
                continue
            name = f"q{k}_{grp.age_group}"
            if rule.rule in ("group_each_day", "group_each_meal", "group_days_per_week"):
                coef = np.array([grams_per_portion(rule.tokens, r, foods) for r in dishes])
                what = _foods_es(rule, dataset)
                if rule.rule == "group_days_per_week":
                    out.indicators.append(Indicator(name, g, coef, rule.min_grams,
                                                    f"{rule.min_grams:g} g de {what}"))
                    out.week_minima.append(WeekMinimum(
                        name, len(out.indicators) - 1, round(rule.value),
                        f"{what} al menos {rule.value:g} días por semana"))
                elif rule.rule == "group_each_day":
                    out.gram_rows.append(GramRow(name, g, coef, rule.min_grams, None,
                                                 f"{what} cada día"))
                else:
                    for slot in _slots(dataset, program):
                        out.gram_rows.append(GramRow(f"{name}_{slot}", g, coef,
                                                     rule.min_grams, slot,
                                                     f"{what} en cada tiempo de comida"))
            elif rule.rule == "dietary_diversity":
                first = len(out.indicators)
                grams = [diversity_grams(r, foods) for r in dishes]
                for key, label in DIVERSITY_GROUPS.items():
                    coef = np.array([gr.get(key, 0.0) for gr in grams])
                    out.indicators.append(Indicator(f"{name}_{key}", g, coef, rule.min_grams,
                                                    f"{rule.min_grams:g} g de {label}"))
                out.diversity.append(Diversity(name, g,
                                               tuple(range(first, len(out.indicators))),
                                               round(rule.value)))
            elif rule.rule == "energy_week_mean":
                low, high = rule.band
                out.energy_targets.append(Target(
                    program, grp.age_group, "energy_kcal", rule.value * low / 100,
                    rule.value * high / 100, "week"))
            elif rule.rule == "distinct_days":
                distinct.add(g)
        if rule.rule == "max_per_cycle":
            slot, component = rule.slot_component
            out.variety_rules.append(VarietyRule("*", "max_per_cycle", "component", component,
                                                 round(rule.value), 0.0, "todos", slot))
    out.distinct_groups = tuple(sorted(distinct))
    return out


def _slots(dataset: Dataset, program: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(line.slot for line in dataset.pattern_of(program)))


def _foods_es(rule: QualityRule, dataset: Dataset) -> str:
    from menu_planner.domain import FOOD_GROUPS

    names = []
    for token in rule.tokens:
        _kind, sep, name = token.partition(":")
        if not sep:
            names.append(FOOD_GROUPS.get(token, token).lower())
        elif name in dataset.foods:
            names.append(dataset.foods[name].name_es.split(",")[0].lower())
    return " o ".join(names)
