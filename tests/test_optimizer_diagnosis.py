"""When no cycle meets every target and rule: the Spanish diagnosis, with the least budget."""

from __future__ import annotations

import pytest
from fixtures.optimizer.builders import DishSpec, build, group, line, target

from menu_planner.optimizer import Pin, PlanRequest, VarietyRules, plan_cycle
from menu_planner.optimizer.rules import VarietyRule

NO_RULES = VarietyRules(())


def one_dish(budget: float, protein: float = 5.0):  # type: ignore[no-untyped-def]
    """One dish, Q3 and 100 kcal per portion; portions 0.5 to 1.5; 100 kcal a day."""
    return build([DishSpec("d", "plato_principal", "almuerzo", 3.0,
                           {"energy_kcal": 100, "protein_g": protein})],
                 [group("g", 0.5, 1.5)], [line("almuerzo", "plato_principal")],
                 [target("g", "energy_kcal", lo=100), target("g", "protein_g", lo=4)],
                 days_per_week=2, budget=budget)


def test_a_budget_too_small_is_diagnosed_with_the_shortfall_and_the_least_budget():
    """With Q2 a day the portion can be at most 2/3, i.e. 66.7 kcal: 33.3 kcal (33 %)
    short every day, and protein 3.33 g of 4. The least budget is the price of one full
    portion, Q3.00, and no day meeting the targets costs less."""
    res = plan_cycle(one_dish(budget=2.0), PlanRequest("p", weeks=1, rules=NO_RULES))
    assert res.cycle is None and res.status == "infeasible"
    diag = res.diagnosis
    assert diag is not None
    energy = [v for v in diag.violations if v.nutrient == "energy_kcal"]
    assert len(energy) == 2  # both days
    assert all(v.amount == pytest.approx(100 / 3, abs=0.05) for v in energy)
    assert diag.least_budget_q == pytest.approx(3.0)
    assert diag.least_budget_bound_q == pytest.approx(3.0, abs=1e-3)
    text = "\n".join(diag.lines_es)
    assert "energía" in text and "falta hasta 33.3" in text
    assert "Presupuesto mínimo: con Q3.00" in text
    feasible = plan_cycle(one_dish(budget=3.0), PlanRequest("p", weeks=1, rules=NO_RULES))
    assert feasible.cycle is not None


def test_a_target_no_money_can_meet_is_said_so():
    """Protein 4 g a day, but the dish has 2 g per portion and at most 1.5 portions."""
    res = plan_cycle(one_dish(budget=100.0, protein=2.0),
                     PlanRequest("p", weeks=1, rules=NO_RULES))
    assert res.cycle is None
    diag = res.diagnosis
    assert diag is not None and diag.least_budget_q is None
    assert any(v.nutrient == "protein_g" and v.amount == pytest.approx(1.0, abs=0.01)
               for v in diag.violations)
    assert any("cueste lo que cueste" in line for line in diag.lines_es)


def test_a_slot_no_dish_can_fill_for_a_group_is_explained():
    """Babies need dishes tagged 'suave'; the only main dish is not."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {})],
               [group("kid"), group("baby", 0.5, 0.5, tag="suave")],
               [line("almuerzo", "plato_principal")], [], days_per_week=1)
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES))
    assert res.cycle is None and res.diagnosis is not None
    [problem] = res.diagnosis.problems_es
    assert "baby" in problem and "suave" in problem and "plato principal" in problem
    assert "plato_principal" not in problem and "'almuerzo'" not in problem  # words


def test_a_pin_that_breaks_a_rule_is_explained():
    ds = build([DishSpec(n, "plato_principal", "almuerzo", 1.0, {}) for n in "abc"],
               [group("g")], [line("almuerzo", "plato_principal")], [], days_per_week=2)
    rules = VarietyRules((VarietyRule("*", "no_consecutive_days", "component",
                                      "plato_principal", scope="menu"),))
    pins = (Pin("a", 1, 1, "almuerzo"), Pin("a", 1, 2, "almuerzo"))
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=rules, pins=pins))
    assert res.cycle is None and res.diagnosis is not None
    assert any("seguidos" in p for p in res.diagnosis.problems_es)


def test_a_pin_of_an_unknown_dish_or_slot_is_explained():
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {})], [group("g")],
               [line("almuerzo", "plato_principal")], [], days_per_week=1)
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES,
                                     pins=(Pin("zz", 1, 1, "almuerzo"),
                                           Pin("a", 1, 1, "cena"))))
    assert res.diagnosis is not None
    problems = " ".join(res.diagnosis.problems_es)
    assert "no existe esa receta" in problems and "no se sirve en 'cena'" in problems


def test_the_default_rules_on_data_with_too_few_main_dishes_are_explained(tiny):
    """The tiny data has 4 main dishes; the default rules want 5 different ones a week."""
    res = plan_cycle(tiny, PlanRequest("cadi"))
    assert res.cycle is None and res.diagnosis is not None
    assert any("plato principal" in p and "4 platos distintos" in p
               for p in res.diagnosis.problems_es)
