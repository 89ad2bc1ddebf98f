"""The least-cost diet as a linear program, and the diagnosis when none exists.

    minimize    sum_f cost_f x_f
    subject to  sum_f a_fn x_f >= min_n,  sum_f a_fn x_f <= max_n   (each requirement n)
                0 <= x_f <= max_units_f

When no diet meets every requirement, an elastic program adds a shortfall (or excess)
variable to each requirement and minimizes the sum of violations relative to their
limits; a second pass keeps that sum and minimizes cost, giving the closest, cheapest diet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulp

from menu_planner.diet import lp
from menu_planner.diet.problem import (
    MAX,
    MIN,
    BindingRequirement,
    DietInfeasible,
    DietProblem,
    DietSolution,
    SolverError,
    Violation,
)
from menu_planner.diet.wording import infeasible_message_es

ZERO = 1e-9  # quantities and violations below this are reported as zero
BINDING_TOL = 1e-7  # relative slack under which a requirement counts as binding


def solve_diet(problem: DietProblem, solver: Any | None = None) -> DietSolution | DietInfeasible:
    """The least-cost diet, or the closest diet and its violations when none is feasible.

    Raises SolverError when the solver proves neither optimality nor infeasibility.
    """
    prob, x = _variables(problem, "diet")
    prob += pulp.lpSum(f.cost * x[i] for i, f in enumerate(problem.foods)), "cost"
    rows = _requirement_rows(problem, prob, x, elastic=None)
    outcome = lp.solve(prob, solver)
    if outcome.kind == lp.OPTIMAL:
        return _solution(problem, x, rows, outcome.solver)
    if outcome.kind == lp.INFEASIBLE:
        return diagnose_infeasible(problem, solver)
    raise SolverError(f"el solucionador {outcome.solver} terminó sin una solución óptima "
                      f"demostrada (estado: {outcome.detail})")


def diagnose_infeasible(problem: DietProblem, solver: Any | None = None) -> DietInfeasible:
    """Which requirements cannot be met and by how much (elastic program, two passes)."""
    prob, x = _variables(problem, "elastic")
    slack: dict[tuple[int, str], pulp.LpVariable] = {}
    _requirement_rows(problem, prob, x, elastic=slack)
    weighted = pulp.lpSum(v / _scale(problem, k) for k, v in slack.items())
    prob += weighted, "violation"
    first = lp.solve(prob, solver)
    if first.kind != lp.OPTIMAL:
        raise SolverError(f"no se pudo diagnosticar la infactibilidad ({first.detail})")
    least = pulp.value(weighted) or 0.0
    if least <= ZERO:
        raise SolverError("el solucionador declaró el problema infactible, pero existe una "
                          "dieta que cumple todos los requerimientos")
    quantities, solver_name = _quantities(problem, x), first.solver
    misses = {k: v.varValue or 0.0 for k, v in slack.items()}
    # Second pass: keep the least violation (exactly: the row is tight at the vertex, so
    # quantities come out exact) and take the cheapest such diet; if the solver balks at
    # the tight row, the first-pass diet stands.
    prob += weighted <= least, "least_violation"
    prob.setObjective(pulp.lpSum(f.cost * x[i] for i, f in enumerate(problem.foods)))
    second = lp.solve(prob, solver)
    if second.kind == lp.OPTIMAL:
        quantities, solver_name = _quantities(problem, x), second.solver
        misses = {k: v.varValue or 0.0 for k, v in slack.items()}
    violations = tuple(_violations(problem, misses, quantities))
    cost = sum(f.cost * quantities.get(f.food_id, 0.0) for f in problem.foods)
    return DietInfeasible(violations, _clean(cost), quantities,
                          infeasible_message_es(violations), solver_name)


def _variables(problem: DietProblem, name: str) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    prob = pulp.LpProblem(name, pulp.LpMinimize)
    # Food ids may hold characters PuLP rewrites, so variables are named by position.
    x = [prob.add_variable(f"x_{i}", lowBound=0, upBound=f.max_units)
         for i, f in enumerate(problem.foods)]
    return prob, x


def _requirement_rows(
    problem: DietProblem, prob: pulp.LpProblem, x: list[pulp.LpVariable],
    elastic: dict[tuple[int, str], pulp.LpVariable] | None,
) -> dict[tuple[int, str], pulp.LpConstraint]:
    """One named row per bound of each requirement: `min_<i>` and `max_<i>`."""
    rows: dict[tuple[int, str], pulp.LpConstraint] = {}
    for i, req in enumerate(problem.requirements):
        amount = pulp.lpSum(
            f.nutrients[req.nutrient] * x[j] for j, f in enumerate(problem.foods)
            if f.nutrients[req.nutrient] != 0
        )
        for side, limit in req.bounds():
            expr = amount
            if elastic is not None:
                var = prob.add_variable(f"{side}_violation_{i}", lowBound=0)
                elastic[(i, side)] = var
                expr = amount + var if side == MIN else amount - var
            row = expr >= limit if side == MIN else expr <= limit
            prob += row, f"{side}_{i}"
            rows[(i, side)] = prob.get_constraint_by_name(f"{side}_{i}")
    return rows


def _scale(problem: DietProblem, key: tuple[int, str]) -> float:
    i, side = key
    req = problem.requirements[i]
    limit = req.min if side == MIN else req.max
    return limit if limit is not None and limit > 0 else 1.0


def _solution(
    problem: DietProblem, x: list[pulp.LpVariable],
    rows: Mapping[tuple[int, str], pulp.LpConstraint], solver: str,
) -> DietSolution:
    quantities = _quantities(problem, x)
    nutrients = {r.nutrient: _clean(problem.amount(quantities, r.nutrient))
                 for r in problem.requirements}
    binding: list[BindingRequirement] = []
    prices: dict[str, float] = {r.nutrient: 0.0 for r in problem.requirements}
    for (i, side), row in rows.items():
        req = problem.requirements[i]
        limit = req.min if side == MIN else req.max
        assert limit is not None
        value = problem.amount(quantities, req.nutrient)
        dual = _clean(row.pi or 0.0)
        prices[req.nutrient] = _clean(prices[req.nutrient] + dual)
        if abs(value - limit) <= BINDING_TOL * max(1.0, abs(limit)):
            binding.append(BindingRequirement(req.nutrient, side, limit, _clean(value), dual))
    cost = sum(f.cost * quantities.get(f.food_id, 0.0) for f in problem.foods)
    return DietSolution(_clean(cost), quantities, nutrients, tuple(binding), prices, solver)


def _quantities(problem: DietProblem, x: list[pulp.LpVariable]) -> dict[str, float]:
    out: dict[str, float] = {}
    for f, var in zip(problem.foods, x, strict=True):
        value = var.varValue or 0.0
        if value > ZERO:
            out[f.food_id] = _clean(value)
    return out


def _violations(
    problem: DietProblem, misses: Mapping[tuple[int, str], float],
    quantities: Mapping[str, float],
) -> list[Violation]:
    out: list[Violation] = []
    for (i, side), amount in misses.items():
        if amount <= ZERO * _scale(problem, (i, side)):
            continue
        req = problem.requirements[i]
        limit = req.min if side == MIN else req.max
        assert limit is not None
        achieved = problem.amount(quantities, req.nutrient)
        miss = limit - achieved if side == MIN else achieved - limit
        out.append(Violation(req.nutrient, side, limit, _clean(achieved), _clean(miss)))
    return out


def _clean(value: float) -> float:
    """Rounded to 10 decimals, without a negative zero."""
    return round(value, 10) + 0.0


__all__ = ["MAX", "MIN", "diagnose_infeasible", "solve_diet"]
