"""The menu-quality standard as optimizer rows, on tiny instances whose optimum is known.

Each test plans with one rule of the standard (data/menus/quality_rules.csv shapes) and
checks the exact cheapest cycle that keeps it, against the cheapest cycle without it.
"""

from __future__ import annotations

import pytest
from fixtures.optimizer.builders import DishSpec, build, group, line, target

from menu_planner.optimizer import PlanRequest, VarietyRules, plan_cycle, verify_cycle
from menu_planner.quality.standard import QualityRule, QualityStandard

NO_RULES = VarietyRules(())


def rule(kind: str, subject: str = "", value: float = 0.0, min_grams: float = 0.0
         ) -> QualityStandard:
    """A standard of one rule for program 'p', every age group."""
    return QualityStandard((QualityRule("p", (), kind, subject, value, min_grams,
                                        "prueba"),), "prueba")


def plan(ds, weeks: int, standard: QualityStandard | None):  # type: ignore[no-untyped-def]
    req = PlanRequest("p", weeks=weeks, rules=NO_RULES, gap=0.0,
                      **({"quality": standard} if standard else {}))
    res = plan_cycle(ds, req)
    assert res.cycle is not None, res.diagnosis
    assert verify_cycle(ds, res.cycle, req) == []
    return res


def dishes_of(cycle, week: int, weekday: int) -> set[str]:  # type: ignore[no-untyped-def]
    day = cycle.day(week, weekday)
    return {i.recipe_id for m in day.meals for i in m.items
            if any(v > 0 for v in i.portions.values())}


def test_a_forbidden_food_group_keeps_its_dishes_off_the_menu():
    """Dish a (Q1) is sugar; b (Q2) is not. Without the rule every day is a (Q1.00);
    with sugar forbidden every day is b (Q2.00)."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}, food_group="azucares"),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {})],
               [group("g")], [line("almuerzo", "plato_principal")], [])
    assert plan(ds, 1, None).cost_q == pytest.approx(1.0)
    res = plan(ds, 1, rule("forbidden", "azucares"))
    assert res.cost_q == pytest.approx(2.0)
    assert all(dishes_of(res.cycle, 1, d) == {"b"} for d in (1, 2))


def test_vegetables_every_day_add_the_side_dish_to_every_day():
    """A main dish (Q1) and an optional vegetable side (Q0.50, 100 g a portion). Without
    the rule no side is served (Q1.00); with 40 g of vegetables a day, the side is on every
    day at its one fixed portion: Q1.50 a day."""
    ds = build([DishSpec("m", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("v", "acompanamiento", "almuerzo", 0.5, {}, food_group="verduras")],
               [group("g")], [line("almuerzo", "plato_principal"),
                              line("almuerzo", "acompanamiento", 0, 1)], [])
    assert plan(ds, 1, None).cost_q == pytest.approx(1.0)
    res = plan(ds, 1, rule("group_each_day", "verduras", min_grams=40))
    assert res.cost_q == pytest.approx(1.5)
    assert all("v" in dishes_of(res.cycle, 1, d) for d in (1, 2))


def test_meat_two_days_a_week_puts_the_meat_dish_on_exactly_two_days():
    """Five days; dish a (Q1) and meat dish c (Q3, 100 g of meat). Meat at least two days a
    week (20 g or more): two c days and three a days, (2 x 3 + 3 x 1) / 5 = Q1.80 a day."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("c", "plato_principal", "almuerzo", 3.0, {}, food_group="carnes")],
               [group("g")], [line("almuerzo", "plato_principal")], [], days_per_week=5)
    res = plan(ds, 1, rule("group_days_per_week", "carnes", value=2, min_grams=20))
    assert res.cost_q == pytest.approx(1.8)
    assert sum("c" in dishes_of(res.cycle, 1, d) for d in range(1, 6)) == 2


def test_energy_at_the_goal_raises_portions_to_98_percent_of_it():
    """One dish, Q1 and 80 kcal a reference portion, portions 0.5 to 1.5, a daily floor of
    50 kcal. Without the rule the portion is 0.625 (Q0.625); with the weekly mean between
    98 % and 105 % of a 100 kcal goal, it is 98 / 80 = 1.225 (Q1.225)."""
    ds = build([DishSpec("d", "plato_principal", "almuerzo", 1.0, {"energy_kcal": 80})],
               [group("g", 0.5, 1.5)], [line("almuerzo", "plato_principal")],
               [target("g", "energy_kcal", lo=50)])
    assert plan(ds, 1, None).cost_q == pytest.approx(0.625)
    res = plan(ds, 1, rule("energy_week_mean", "98-105", value=100))
    assert res.cost_q == pytest.approx(1.225)


def test_distinct_days_serve_a_different_menu_each_day():
    """Two days; dishes a (Q1) and b (Q2). Without the rule a is served both days (Q1.00);
    with every day menu different, a one day and b the other: Q1.50 a day."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {})],
               [group("g")], [line("almuerzo", "plato_principal")], [])
    assert plan(ds, 1, None).cost_q == pytest.approx(1.0)
    res = plan(ds, 1, rule("distinct_days", value=0))
    assert res.cost_q == pytest.approx(1.5)
    assert dishes_of(res.cycle, 1, 1) != dishes_of(res.cycle, 1, 2)


def test_five_distinct_days_take_the_five_cheapest_different_menus():
    """Five days; mains a (Q1) and b (Q2), an optional side x (Q0.10) or y (Q0.20). The
    five cheapest different menus are {a}, {a, x}, {a, y}, {b}, {b, x}: Q7.40, Q1.48 a
    day (without the rule, {a} every day: Q1.00)."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {}),
                DishSpec("x", "acompanamiento", "almuerzo", 0.1, {}),
                DishSpec("y", "acompanamiento", "almuerzo", 0.2, {})],
               [group("g")], [line("almuerzo", "plato_principal"),
                              line("almuerzo", "acompanamiento", 0, 1)], [], days_per_week=5)
    assert plan(ds, 1, None).cost_q == pytest.approx(1.0)
    res = plan(ds, 1, rule("distinct_days", value=0))
    menus = sorted(sorted(dishes_of(res.cycle, 1, d)) for d in range(1, 6))
    assert menus == [["a"], ["a", "x"], ["a", "y"], ["b"], ["b", "x"]]
    assert res.cost_q == pytest.approx(1.48)
    assert res.lower_bound is not None and res.lower_bound <= res.cost_q + 1e-9


def test_a_lunch_main_at_most_once_a_cycle_rotates_over_the_weeks():
    """Two weeks of one day; lunch mains a (Q1) and b (Q2), each at most once in the cycle
    (the standard's cap is per slot and component): one week each, Q1.50 a day."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {})],
               [group("g")], [line("almuerzo", "plato_principal")], [], days_per_week=1)
    res = plan(ds, 2, rule("max_per_cycle", "almuerzo:plato_principal", value=1))
    assert res.cost_q == pytest.approx(1.5)
    assert dishes_of(res.cycle, 1, 1) | dishes_of(res.cycle, 2, 1) == {"a", "b"}


def test_a_lower_bound_above_the_cost_is_an_error_not_a_zero_gap():
    from menu_planner.optimizer.engine import EngineResult
    from menu_planner.optimizer.solve import _check_bound

    res = EngineResult("solved", objective=10.0, lower_bound=10.5)
    assert res.gap is not None and res.gap < 0  # not clamped to 0
    with pytest.raises(RuntimeError, match="la cota inferior"):
        _check_bound(res)
    _check_bound(EngineResult("solved", objective=10.0, lower_bound=10.0 + 1e-9))


def test_a_cycle_that_fails_its_own_check_is_never_reported_as_optimal(monkeypatch):
    """The same tiny vegetable instance, with the check made to find a problem: the status
    says so instead of 'optimal', and the problem is in the warnings."""
    from menu_planner.optimizer import solve

    ds = build([DishSpec("m", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("v", "acompanamiento", "almuerzo", 0.5, {}, food_group="verduras")],
               [group("g")], [line("almuerzo", "plato_principal"),
                              line("almuerzo", "acompanamiento", 0, 1)], [])
    req = PlanRequest("p", weeks=1, rules=NO_RULES, gap=0.0,
                      quality=rule("group_each_day", "verduras", min_grams=40))
    assert plan_cycle(ds, req).status == "optimal"
    monkeypatch.setattr(solve, "verify_cycle", lambda *a: ["un problema de prueba"])
    res = plan_cycle(ds, req)
    assert res.status == "unverified"
    assert "Revisión: un problema de prueba" in res.warnings_es


def test_a_cap_per_cycle_the_dishes_cannot_meet_is_named_with_its_numbers():
    """Two weeks of two days, two lunch mains, each at most once in the cycle: four lunches
    need four different mains and there are two. The plan says which rule and why."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {})],
               [group("g")], [line("almuerzo", "plato_principal")], [])
    req = PlanRequest("p", weeks=2, rules=NO_RULES, gap=0.0,
                      quality=rule("max_per_cycle", "almuerzo:plato_principal", value=1))
    res = plan_cycle(ds, req)
    assert res.status == "infeasible" and res.cycle is None
    assert res.diagnosis is not None
    text = " ".join(res.diagnosis.lines_es)
    assert ("Cada plato principal de almuerzo a lo sumo 1 vez en el ciclo: g necesita 4 en "
            "4 días, es decir al menos 4 platos distintos, y solo 2 se le pueden servir"
            ) in text
    assert "presupuesto mayor" not in text
