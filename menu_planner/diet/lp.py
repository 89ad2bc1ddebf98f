"""Solver choice and an honest reading of the solver's own status.

PuLP maps HiGHS time-limit and interrupted runs to "Optimal" (coin-or/pulp issues 383,
649, 711), so with the HiGHS library we ask HiGHS itself for its model status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulp

OPTIMAL = "optimal"
INFEASIBLE = "infeasible"
UNBOUNDED = "unbounded"
OTHER = "other"


@dataclass(frozen=True)
class LpOutcome:
    """How a solve ended: one of the four kinds above, and the solver's own words."""

    kind: str
    detail: str
    solver: str


def default_solver() -> Any:
    """HiGHS through highspy when it loads; else the HiGHS binary; else CBC."""
    for kind in (pulp.HiGHS, pulp.HiGHS_CMD, pulp.PULP_CBC_CMD):
        solver = kind(msg=False)
        if solver.available():
            return solver
    raise RuntimeError("no hay ningún solucionador de programación lineal disponible")


def solve(prob: pulp.LpProblem, solver: Any | None = None) -> LpOutcome:
    """Solve `prob` and classify the result by the solver's own status."""
    solver = solver if solver is not None else default_solver()
    name = type(solver).__name__
    try:
        prob.solve(solver)
    except (pulp.PulpSolverError, KeyError) as exc:  # KeyError: status PuLP does not map
        return LpOutcome(OTHER, f"error del solucionador: {exc}", name)
    model = getattr(prob, "solverModel", None)
    if isinstance(solver, pulp.HiGHS) and model is not None:
        return _highs_outcome(model, name)
    return _pulp_outcome(prob, name)


def _highs_outcome(model: Any, name: str) -> LpOutcome:
    import highspy  # only reached when pulp.HiGHS ran, so highspy is importable

    status = model.getModelStatus()
    text = str(model.modelStatusToString(status))
    codes = highspy.HighsModelStatus
    if status == codes.kOptimal:
        return LpOutcome(OPTIMAL, text, name)
    if status in (codes.kInfeasible, codes.kUnboundedOrInfeasible):
        return LpOutcome(INFEASIBLE, text, name)
    if status == codes.kUnbounded:
        return LpOutcome(UNBOUNDED, text, name)
    return LpOutcome(OTHER, text, name)


def _pulp_outcome(prob: pulp.LpProblem, name: str) -> LpOutcome:
    text = f"{pulp.LpStatus.get(prob.status, '?')} / {pulp.LpSolution.get(prob.sol_status, '?')}"
    if prob.status == pulp.LpStatusOptimal and prob.sol_status == pulp.LpSolutionOptimal:
        return LpOutcome(OPTIMAL, text, name)
    if prob.status == pulp.LpStatusInfeasible:
        return LpOutcome(INFEASIBLE, text, name)
    if prob.status == pulp.LpStatusUnbounded:
        return LpOutcome(UNBOUNDED, text, name)
    return LpOutcome(OTHER, text, name)
