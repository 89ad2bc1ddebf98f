"""Honest solving: status, incumbent and bound read from HiGHS itself; time-limited runs
never claim optimality; the decomposition agrees with the straightforward MILP."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fixtures.optimizer.builders import DishSpec, build, group, line, target

from menu_planner.optimizer import PlanRequest, VarietyRules, plan_cycle, read_variety_rules
from menu_planner.optimizer.compact_milp import solve_compact_pulp
from menu_planner.optimizer.day_model import DayModel
from menu_planner.optimizer.features import Mode, layout
from menu_planner.optimizer.highs_util import LinearModel, run
from menu_planner.optimizer.instance import build_instance
from menu_planner.optimizer.pricing import Pricer, day_classes
from menu_planner.reference_data import load_dataset

TINY_RULES = Path(__file__).parent / "fixtures" / "optimizer" / "tiny_rules.csv"


def hard_knapsacks(n: int = 60, m: int = 30) -> LinearModel:
    """Random covering knapsacks: hard enough that 0.05 s never proves optimality."""
    rng = np.random.default_rng(7)
    lm = LinearModel()
    xs = [lm.var(f"x{i}", 0, 10, float(rng.integers(5, 30)), integer=True) for i in range(n)]
    for r in range(m):
        lm.row(f"c{r}", [(x, float(a)) for x, a in zip(xs, rng.integers(1, 20, n),
                                                        strict=True)], lb=997)
    return lm


def test_a_run_stopped_by_its_time_limit_is_reported_as_such():
    out = run(hard_knapsacks().to_highs(), time_limit=0.05, is_mip=True)
    assert out.status == "time_limit"
    assert not out.optimal
    if out.objective is not None and out.bound is not None:
        assert out.bound <= out.objective


def test_a_plan_stopped_by_its_time_limit_never_claims_optimality():
    """On the shipped cadi data, one second and a zero gap cannot be proven."""
    ds = load_dataset()
    res = plan_cycle(ds, PlanRequest("cadi", time_limit_s=1.0, gap=0.0, diagnose=False,
                                     price_targets=False))
    assert res.status in ("time_limit", "no_solution")
    if res.cycle is not None:
        assert res.gap is not None and res.gap > 0
        assert res.lower_bound is not None and res.lower_bound <= res.cost_q


def test_the_pricing_bound_stays_valid_when_the_objective_bound_prunes_everything(tiny):
    """With HiGHS's objective_bound below the optimum, HiGHS may report a dual bound
    higher than the true optimum; the pricing keeps min(threshold, bound), valid both
    below and above the optimum."""
    rules = read_variety_rules(TINY_RULES)
    inst = build_instance(tiny, PlanRequest("cadi", weeks=1, rules=rules))
    fe = layout(inst)
    pricer = Pricer(DayModel(inst, fe, Mode.COST))
    cls = day_classes(inst)[0]
    phi = fe.objective(inst, Mode.COST)
    phi[0] = -1e9
    best = pricer.exact(phi, cls, 30).reduced_cost
    assert best is not None
    optimum = best + 1e9
    for threshold in (optimum * 0.9, optimum * 1.1):
        phi[0] = -threshold
        got = pricer.exact(phi, cls, 30)
        assert got.bound is not None
        assert got.bound - phi[0] <= optimum + 1e-6  # a valid lower bound


def test_the_decomposition_agrees_with_the_straightforward_milp(tiny):
    """The per-dish MILP (through PuLP) proves the optimum of two tiny weeks; the
    decomposition's cycle costs the same (up to rounding portions) and its bound is
    not above it."""
    rules = read_variety_rules(TINY_RULES)
    req = PlanRequest("cadi", weeks=2, rules=rules, gap=0.0, price_targets=False)
    res = plan_cycle(tiny, req)
    compact = solve_compact_pulp(build_instance(tiny, req), time_limit=120, gap=0.0)
    assert compact.status == "optimal" and compact.objective is not None
    optimum = compact.objective / 10
    assert res.cost_q == pytest.approx(optimum, rel=1e-3)
    assert res.lower_bound is not None and res.lower_bound <= optimum + 1e-6


def test_a_weekly_target_with_repeats_matches_the_milp():
    """Dishes with and without iron over a week: both solvers find Q1.40 a day."""
    ds = build([DishSpec("a", "plato_principal", "almuerzo", 1.0, {"iron_mg": 0.0}),
                DishSpec("b", "plato_principal", "almuerzo", 2.0, {"iron_mg": 10.0})],
               [group("g")], [line("almuerzo", "plato_principal")],
               [target("g", "iron_mg", lo=4, basis="week")], days_per_week=5)
    req = PlanRequest("p", weeks=1, rules=VarietyRules(()), gap=0.0)
    compact = solve_compact_pulp(build_instance(ds, req), time_limit=60, gap=0.0)
    assert compact.objective is not None
    assert compact.objective / 5 == pytest.approx(1.4)
    assert plan_cycle(ds, req).cost_q == pytest.approx(1.4)
