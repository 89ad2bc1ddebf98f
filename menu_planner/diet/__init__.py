"""The least-cost diet ("Cost of the Diet"): a pure core with no command-line or Excel code.

Read a problem with `read_diet_problem`, solve it with `solve_diet`.
"""

from menu_planner.diet.problem import (
    MAX,
    MIN,
    BindingRequirement,
    DietFood,
    DietInfeasible,
    DietProblem,
    DietSolution,
    Requirement,
    SolverError,
    Violation,
)
from menu_planner.diet.reading import read_diet_problem
from menu_planner.diet.solve import diagnose_infeasible, solve_diet

__all__ = [
    "MAX",
    "MIN",
    "BindingRequirement",
    "DietFood",
    "DietInfeasible",
    "DietProblem",
    "DietSolution",
    "Requirement",
    "SolverError",
    "Violation",
    "diagnose_infeasible",
    "read_diet_problem",
    "solve_diet",
]
