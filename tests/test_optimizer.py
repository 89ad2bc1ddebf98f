"""The optimizer on tiny instances whose optimal cycle is known exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.optimizer.builders import DishSpec, build, group, line, target

from menu_planner.domain import cycle_to_dict
from menu_planner.nutrition import day_totals
from menu_planner.optimizer import (
    Exclusion,
    Pin,
    PlanRequest,
    VarietyRules,
    plan_cycle,
    verify_cycle,
)
from menu_planner.optimizer.rules import VarietyRule, read_variety_rules

TINY_RULES = Path(__file__).parent / "fixtures" / "optimizer" / "tiny_rules.csv"
NO_RULES = VarietyRules(())
ONCE_A_WEEK = VarietyRules((
    VarietyRule("*", "max_per_week", "component", "plato_principal", 1, scope="menu"),
    VarietyRule("*", "no_consecutive_days", "component", "plato_principal", scope="menu"),
))


@pytest.fixture(scope="module")
def tiny_rules() -> VarietyRules:
    """The tiny data has only four main dishes: these rules let each be served twice a
    week (the default rules ask for once, which the tiny data cannot do)."""
    return read_variety_rules(TINY_RULES)


def served(cycle, week, weekday):  # type: ignore[no-untyped-def]
    """{recipe_id: portions} of one day."""
    day = cycle.day(week, weekday)
    return {i.recipe_id: dict(i.portions) for m in day.meals for i in m.items}


def test_a_main_dish_once_a_week_takes_the_two_cheapest_dishes():
    """Two service days, one main dish a day, fixed portion of 1, each dish at most once a
    week: dishes cost Q1, Q2 and Q4, each enough energy. The only cheapest week serves the
    Q1 and the Q2 dish (on either day): Q3 over two days, Q1.50 a day. The relaxation
    cannot do better either (each dish at most half the days), so the bound is 1.5 too."""
    ds = build([DishSpec(n, "plato_principal", "almuerzo", c, {"energy_kcal": 100})
                for n, c in (("a", 1.0), ("b", 2.0), ("c", 4.0))],
               [group("g")], [line("almuerzo", "plato_principal")],
               [target("g", "energy_kcal", lo=50)])
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=ONCE_A_WEEK, gap=0.0))
    assert res.cycle is not None
    assert res.cost_q == pytest.approx(1.5)
    assert res.lower_bound == pytest.approx(1.5, abs=1e-6)
    assert res.status == "optimal"
    dishes = sorted(r for d in (1, 2) for r in served(res.cycle, 1, d))
    assert dishes == ["a", "b"]


def test_portions_grow_just_enough_to_meet_the_energy_target():
    """One dish, Q1 and 80 kcal per reference portion, portions between 0.5 and 1.5, at
    least 100 kcal a day: the least portion is 100/80 = 1.25, costing Q1.25 a day.
    Without the target the portion would be 0.5 (Q0.50): meeting it costs Q0.75 a day,
    and each more kcal costs 1/80 = Q0.0125."""
    ds = build([DishSpec("d", "plato_principal", "almuerzo", 1.0, {"energy_kcal": 80})],
               [group("g", 0.5, 1.5)], [line("almuerzo", "plato_principal")],
               [target("g", "energy_kcal", lo=100)], days_per_week=1)
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES, gap=0.0))
    assert res.cycle is not None
    assert served(res.cycle, 1, 1) == {"d": {"g": 1.25}}
    assert res.cost_q == pytest.approx(1.25)
    [price] = res.target_prices
    assert (price.nutrient, price.bound) == ("energy_kcal", "min")
    assert price.q_per_day == pytest.approx(0.75, abs=1e-4)
    assert price.q_per_unit == pytest.approx(0.0125, abs=1e-5)
    assert "Q0.75" in price.message_es


def test_a_group_that_needs_soft_food_gets_the_alternative_and_the_others_the_main_dish():
    """Kids eat any dish (1 portion); babies only dishes tagged 'suave' (0.5 portion).
    Dish A costs Q1, soft dish S costs Q3 per portion. Listing A for everyone and S as the
    babies' alternative costs kids Q1 and babies Q1.50: mean Q1.25. Listing S alone costs
    Q3 and Q1.50 (mean Q2.25), so the optimum is A plus S for babies only."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}),
                DishSpec("s", "plato_principal", "almuerzo", 3.0, {}, tags=("suave",))],
               [group("kid"), group("baby", 0.5, 0.5, tag="suave")],
               [line("almuerzo", "plato_principal")], [], days_per_week=1)
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES, gap=0.0))
    assert res.cycle is not None
    assert served(res.cycle, 1, 1) == {"a": {"kid": 1.0, "baby": 0.0},
                                       "s": {"kid": 0.0, "baby": 0.5}}
    assert res.cost_q == pytest.approx(1.25)


def test_a_weekly_iron_target_is_met_on_the_weekly_average_at_its_price():
    """Five days, one dish a day, portion 1. Dish A costs Q1 and has no iron, dish B costs
    Q2 and has 10 mg. The weekly average must reach 4 mg: 20 mg in five days, so two B
    days and three A days, Q7 / 5 = Q1.40 a day. Without the target every day would be A
    (Q1.00): meeting the iron target costs Q0.40 per person per day."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {"iron_mg": 0.0}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {"iron_mg": 10.0})],
               [group("g")], [line("almuerzo", "plato_principal")],
               [target("g", "iron_mg", lo=4, basis="week")], days_per_week=5)
    res = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES, gap=0.0))
    assert res.cycle is not None
    assert res.cost_q == pytest.approx(1.4)
    assert sum("b" in served(res.cycle, 1, d) for d in range(1, 6)) == 2
    [price] = res.target_prices
    assert price.q_per_day == pytest.approx(0.4, abs=1e-4)
    assert "hierro" in price.message_es and "Q0.40" in price.message_es


def test_a_cap_over_the_cycle_is_planned_for_all_weeks_at_once():
    """Two weeks of two days, each dish at most once in the cycle, iron at least 1 mg a
    day on the weekly average (2 mg over a week's two days). Dishes (cost, iron): a (Q1, 0),
    c (Q1.5, 2), e (Q0.5, 1), f (Q2, 1). Week 1 alone is cheapest as {c, e} (Q2), which
    leaves {a, f} with 1 mg for week 2: choosing week by week finds no cycle. The only
    cycle is {a, c} and {e, f} (in either order): Q5 over four days, Q1.25 a day."""
    ds = build([DishSpec(n, "plato_principal", "almuerzo", c, {"iron_mg": fe})
                for n, c, fe in (("a", 1.0, 0.0), ("c", 1.5, 2.0), ("e", 0.5, 1.0),
                                 ("f", 2.0, 1.0))],
               [group("g")], [line("almuerzo", "plato_principal")],
               [target("g", "iron_mg", lo=1, basis="week")])
    once = VarietyRules((VarietyRule("*", "max_per_cycle", "dish", "*", 1, scope="menu"),))
    req = PlanRequest("p", weeks=2, rules=once, gap=0.0)
    res = plan_cycle(ds, req)
    assert res.cycle is not None, res.diagnosis
    weeks = [{r for d in (1, 2) for r in served(res.cycle, w, d)} for w in (1, 2)]
    assert sorted(map(sorted, weeks)) == [["a", "c"], ["e", "f"]]
    assert res.cost_q == pytest.approx(1.25)
    assert verify_cycle(ds, res.cycle, req) == []


def test_the_budget_is_kept_at_every_region_when_asked_for_all():
    """Dish A costs Q1 nationally but Q5 in Petén; dish B costs Q2 everywhere; budget Q3.
    At national prices alone A is best (Q1); with every region's prices A is over budget
    in Petén, so B (Q2) is the answer."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {},
                         regional_cost={"Petén": 5.0}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {})],
               [group("g")], [line("almuerzo", "plato_principal")], [], days_per_week=1,
               budget=3.0)
    national = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES))
    everywhere = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES, department="all"))
    assert national.cycle is not None and everywhere.cycle is not None
    assert list(served(national.cycle, 1, 1)) == ["a"]
    assert list(served(everywhere.cycle, 1, 1)) == ["b"]
    assert verify_cycle(ds, everywhere.cycle,
                        PlanRequest("p", weeks=1, rules=NO_RULES, department="all")) == []


def test_the_variety_objective_prefers_better_liked_dishes_within_budget():
    """Same two dishes: A cheap but little liked (0.2), B dearer and liked (0.9). Cost
    picks A, variety picks B; both stay within the Q5 budget."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {}, acceptability=0.2),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {}, acceptability=0.9)],
               [group("g")], [line("almuerzo", "plato_principal")], [], days_per_week=1,
               budget=5.0)
    cost = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES))
    variety = plan_cycle(ds, PlanRequest("p", weeks=1, rules=NO_RULES, objective="variety"))
    assert cost.cycle is not None and variety.cycle is not None
    assert list(served(cost.cycle, 1, 1)) == ["a"]
    assert list(served(variety.cycle, 1, 1)) == ["b"]


def three_dish_week():  # type: ignore[no-untyped-def]
    return build([DishSpec(n, "plato_principal", "almuerzo", c, {"energy_kcal": 100})
                  for n, c in (("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 4.0))],
                 [group("g")], [line("almuerzo", "plato_principal")],
                 [target("g", "energy_kcal", lo=50)], days_per_week=2)


def test_a_pinned_dish_is_served_where_pinned_and_the_rest_is_reoptimized():
    """Pinning the dearest dish D on week 1 day 2 leaves day 1 to the cheapest, A."""
    ds = three_dish_week()
    req = PlanRequest("p", weeks=1, rules=ONCE_A_WEEK, pins=(Pin("d", 1, 2, "almuerzo"),))
    res = plan_cycle(ds, req)
    assert res.cycle is not None
    assert served(res.cycle, 1, 2) == {"d": {"g": 1.0}}
    assert served(res.cycle, 1, 1) == {"a": {"g": 1.0}}
    assert verify_cycle(ds, res.cycle, req) == []


def test_an_excluded_dish_never_appears_in_its_weeks():
    """Excluding A (out of season) in week 1 only: week 1 uses B and C, week 2 uses A."""
    ds = three_dish_week()
    req = PlanRequest("p", weeks=2, rules=ONCE_A_WEEK, exclusions=(Exclusion("a", (1,)),))
    res = plan_cycle(ds, req)
    assert res.cycle is not None
    week1 = {r for d in (1, 2) for r in served(res.cycle, 1, d)}
    week2 = {r for d in (1, 2) for r in served(res.cycle, 2, d)}
    assert "a" not in week1 and week1 == {"b", "c"}
    assert "a" in week2
    assert verify_cycle(ds, res.cycle, req) == []


def test_the_same_request_gives_the_same_cycle(tiny, tiny_rules):
    """Deterministic: fixed seeds, sorted iteration, work-based schedule."""
    req = PlanRequest("cadi", weeks=2, rules=tiny_rules)
    a, b = plan_cycle(tiny, req), plan_cycle(tiny, req)
    assert a.cycle is not None and b.cycle is not None

    def strip(d):  # type: ignore[no-untyped-def]
        return {k: v for k, v in d.items() if k not in ("solve_seconds", "stats")}

    assert strip(cycle_to_dict(a.cycle)) == strip(cycle_to_dict(b.cycle))


def test_totals_in_the_cycle_match_a_recomputation(tiny, tiny_rules):
    res = plan_cycle(tiny, PlanRequest("cadi", weeks=2, rules=tiny_rules))
    assert res.cycle is not None
    for day in res.cycle.days:
        for g, totals in day.totals.items():
            again = day_totals(tiny, day, g).values
            for key, value in totals.items():
                assert value == pytest.approx(again[key], rel=1e-6, abs=1e-3)


def test_progress_is_reported_in_spanish_from_zero_to_one(tiny, tiny_rules):
    seen: list[tuple[float, str]] = []
    plan_cycle(tiny, PlanRequest("cadi", weeks=1, rules=tiny_rules,
                                 progress=lambda f, m: seen.append((f, m))))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert seen[-1][1] == "Listo"


def test_an_invalid_request_is_refused_in_spanish(tiny):
    with pytest.raises(ValueError, match="Programa desconocido"):
        plan_cycle(tiny, PlanRequest("nada"))
    with pytest.raises(ValueError, match="Departamento desconocido"):
        plan_cycle(tiny, PlanRequest("cadi", department="Marte"))


def test_the_optimizer_loads_no_web_database_or_spreadsheet_module():
    import subprocess
    import sys

    code = ("import sys, menu_planner.optimizer\n"
            "bad = {'fastapi', 'sqlmodel', 'sqlalchemy', 'openpyxl', 'starlette'}\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
