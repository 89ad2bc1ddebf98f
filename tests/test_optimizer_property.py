"""Property: on random feasible data, every cycle returned keeps every target, the budget
and every variety rule (checked independently by recomputing from the cycle)."""

from __future__ import annotations

from fixtures.optimizer.builders import DishSpec, build, group, line, target
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from menu_planner.domain import Dataset
from menu_planner.nutrition import day_totals
from menu_planner.optimizer import PlanRequest, VarietyRules, plan_cycle, verify_cycle
from menu_planner.optimizer.rules import VarietyRule

RULES = VarietyRules((
    VarietyRule("*", "max_per_week", "component", "plato_principal", 1, scope="menu"),
    VarietyRule("*", "no_consecutive_days", "component", "plato_principal", scope="menu"),
    VarietyRule("*", "weeks_differ", "component", "plato_principal", 1, scope="menu"),
    VarietyRule("*", "max_per_day", "dish", "*", 1),
    VarietyRule("*", "daily_food_group", "group", "leguminosas;carnes", 1, 50.0),
))


@st.composite
def feasible_data(draw: st.DrawFn) -> tuple[Dataset, int]:
    """Main dishes (more than the service days, some soft for babies), optional sides,
    and targets every main dish meets at a reference portion, so a cycle exists."""
    days = draw(st.integers(2, 3))
    n_mains = draw(st.integers(days + 1, days + 3))
    energy = st.floats(150, 400)
    mains = [DishSpec(f"m{i}", "plato_principal", "almuerzo",
                      draw(st.floats(0.5, 4.0)),
                      {"energy_kcal": draw(energy), "protein_g": draw(st.floats(3, 15)),
                       "iron_mg": draw(st.floats(0, 3))},
                      food_group=draw(st.sampled_from(["leguminosas", "carnes"])),
                      tags=("suave",) if i < days + 1 else ())
             for i in range(n_mains)]
    sides = [DishSpec(f"s{i}", "acompanamiento", "almuerzo", draw(st.floats(0.2, 2.0)),
                      {"energy_kcal": draw(st.floats(50, 150)),
                       "iron_mg": draw(st.floats(0, 2))},
                      tags=("suave",) if draw(st.booleans()) else ())
             for i in range(draw(st.integers(1, 3)))]
    e_min = min(d.nutrients["energy_kcal"] or 0 for d in mains)
    iron = min(d.nutrients["iron_mg"] or 0 for d in mains)
    targets = [target("kid", "energy_kcal", lo=0.9 * e_min, hi=2000),
               target("kid", "iron_mg", lo=0.9 * iron, basis="week"),
               target("baby", "energy_kcal", lo=0.4 * e_min)]
    ds = build(mains + sides, [group("kid", 0.8, 1.2), group("baby", 0.5, 0.6, "suave")],
               [line("almuerzo", "plato_principal"),
                line("almuerzo", "acompanamiento", 0, 1)],
               targets, days_per_week=days, budget=20.0)
    return ds, draw(st.integers(1, 2))


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(feasible_data())
def test_every_cycle_returned_keeps_every_target_budget_and_rule(case):
    ds, weeks = case
    request = PlanRequest("p", weeks=weeks, rules=RULES, time_limit_s=30, gap=0.02,
                          diagnose=False, price_targets=False)
    res = plan_cycle(ds, request)
    assert res.cycle is not None, res.status  # feasible by construction
    assert verify_cycle(ds, res.cycle, request) == []
    for day in res.cycle.days:
        for g, totals in day.totals.items():
            assert totals["cost_q"] <= 20.0 + 1e-9
            assert abs(totals["cost_q"] - day_totals(ds, day, g).values["cost_q"]) < 1e-3
    assert res.lower_bound is not None and res.cost_q is not None
    assert res.lower_bound <= res.cost_q + 1e-9
