"""What the master problem needs to know about a day's menu, as a vector of features.

A day column is summarized by its features: cost per age group (at each price region),
the amount of each weekly-target row, how many times each dish is listed as a base dish
or as an alternative, which foods are used, the acceptability of what is listed, and (in
the elastic diagnosis) how far each daily target is missed. Every master row is linear in
the features of the days it spans, so column coefficients and pricing objectives are
both one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from menu_planner.optimizer.instance import Instance

VARIETY_COST_EPS = 1e-3  # Q of cost worth one point of acceptability, as a tie-break


class Mode(Enum):
    """What the decomposition optimizes."""

    COST = "cost"  # least cost
    VARIETY = "variety"  # best acceptability and variety within budget
    ELASTIC = "elastic"  # smallest relative violations of the targets (diagnosis)
    BUDGET = "budget"  # least daily budget that meets every target (diagnosis)


@dataclass(frozen=True)
class Features:
    """Index layout of the feature vector."""

    n: int
    one: int
    cost: np.ndarray  # [group] at the objective's prices
    cost_region: dict[tuple[int, str], int]
    week_row: np.ndarray  # [week target row]
    base_used: np.ndarray  # [dish]
    alt_used: np.ndarray  # [dish]
    food_used: dict[str, int]
    acceptability: int
    violation: np.ndarray  # [day target row]
    indicator: np.ndarray  # [quality indicator] 0/1: the day serves enough of some foods
    slot_used: dict[tuple[str, int], tuple[int, int]]  # (slot, dish) -> (base, alt) features

    def objective(self, inst: Instance, mode: Mode) -> np.ndarray:
        """The per-feature objective weights of a day column."""
        obj = np.zeros(self.n)
        weights = inst.weights
        if mode is Mode.COST:
            obj[self.cost] = weights
        elif mode is Mode.VARIETY:
            obj[self.cost] = VARIETY_COST_EPS * weights
            obj[self.acceptability] = -1.0
        elif mode is Mode.ELASTIC:
            obj[self.violation] = 1.0
            obj[self.cost] = VARIETY_COST_EPS * weights
        return obj


def day_scale(inst: Instance, mode: Mode) -> float:
    """The most a day's objective can be worth; penalties on broken rules are set to ten
    times this so that a rule is broken only when no menu can keep it."""
    if mode is Mode.COST:
        return max(min(inst.budget, inst.max_day_cost), 1.0)
    if mode is Mode.VARIETY:
        return 2.0 * sum(line.max_items for line in inst.slot_components) + 1.0
    return 10.0


def food_rule_foods(inst: Instance) -> tuple[str, ...]:
    """Foods named by food-level count rules."""
    return tuple(sorted({r.subject for r in inst.rules
                         if r.subject_kind == "food" and r.period is not None}))


def layout(inst: Instance) -> Features:
    """The feature layout of an instance."""
    n = 1
    G, D = len(inst.groups), len(inst.dishes)

    def take(k: int) -> np.ndarray:
        nonlocal n
        out = np.arange(n, n + k)
        n += k
        return out

    cost = take(G)
    cost_region = {}
    for g in range(G):
        for r in inst.budget_regions:
            cost_region[(g, r)] = int(take(1)[0])
    week_row = take(len(inst.week_rows))
    base_used, alt_used = take(D), take(D)
    foods = food_rule_foods(inst)
    food_used = {f: int(i) for f, i in zip(foods, take(len(foods)), strict=True)}
    acceptability = int(take(1)[0])
    violation = take(len(inst.day_rows))
    indicator = take(len(inst.quality.indicators))
    slot_used = {}
    for key in slot_rule_dishes(inst):
        base, alt = take(2)
        slot_used[key] = (int(base), int(alt))
    return Features(n, 0, cost, cost_region, week_row, base_used, alt_used, food_used,
                    acceptability, violation, indicator, slot_used)


def slot_rule_dishes(inst: Instance) -> list[tuple[str, int]]:
    """(slot, dish) pairs counted by a rule limited to one slot."""
    out: dict[tuple[str, int], None] = {}
    for rule in inst.rules:
        if rule.slot:
            for d, r in enumerate(inst.dishes):
                if rule.slot in r.slots and (rule.subject_kind != "component"
                                             or r.component == rule.subject):
                    out[(rule.slot, d)] = None
    return list(out)
