"""The per-dish MILP keeps the quality standard's distinct day menus (every day menu of
an age group differs from every other day's), on tiny instances whose optimum is known."""

from __future__ import annotations

import pytest
from fixtures.optimizer.builders import DishSpec, build, group, line

from menu_planner.optimizer import PlanRequest, VarietyRules
from menu_planner.optimizer.compact_milp import CompactResult, solve_compact_pulp
from menu_planner.optimizer.instance import build_instance
from menu_planner.quality.standard import NO_QUALITY_RULES, QualityRule, QualityStandard

DISTINCT = QualityStandard((QualityRule("p", (), "distinct_days", "", 0.0, 0.0, "prueba"),),
                           "prueba")
A = DishSpec("a", "plato_principal", "almuerzo", 1.0, {})
B = DishSpec("b", "plato_principal", "almuerzo", 2.0, {})


def solve(dishes: list[DishSpec], days: int, lo: int = 1, hi: int = 1,
          standard: QualityStandard = DISTINCT) -> CompactResult:
    ds = build(dishes, [group("g")], [line("almuerzo", "plato_principal", lo, hi)], [],
               days_per_week=days)
    req = PlanRequest("p", weeks=1, rules=VarietyRules(()), gap=0.0, quality=standard)
    return solve_compact_pulp(build_instance(ds, req), time_limit=60, gap=0.0)


def test_without_the_rule_both_days_serve_the_cheaper_dish():
    """a (Q1) on both days: Q2.00 in all."""
    res = solve([A, B], 2, standard=NO_QUALITY_RULES)
    assert res.status == "optimal" and res.objective == pytest.approx(2.0)


def test_with_the_rule_the_two_days_serve_two_different_dishes():
    """One main dish a day: Q3.00 in all is a on one day and b on the other (a twice is
    Q2.00, b twice Q4.00), so the two days serve different dishes; the bound agrees."""
    res = solve([A, B], 2)
    assert res.status == "optimal" and res.objective == pytest.approx(3.0)
    assert res.bound is not None and res.bound == pytest.approx(3.0, abs=1e-6)


def test_two_dishes_cannot_fill_three_different_days_of_one_dish():
    """With one main dish a day only {a} and {b} exist: three days cannot all differ."""
    assert solve([A, B], 3).status == "infeasible"


def test_a_day_with_both_dishes_is_a_third_day_menu():
    """With one or two main dishes a day, {a}, {b} and {a, b} are three day menus:
    Q1 + Q2 + Q3 = Q6.00 in all."""
    res = solve([A, B], 3, lo=1, hi=2)
    assert res.status == "optimal" and res.objective == pytest.approx(6.0)
