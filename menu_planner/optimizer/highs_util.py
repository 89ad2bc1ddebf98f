"""A small model builder over highspy, and an honest reading of what HiGHS reports.

Every variable and row has a name (families use `family[index]`-like names with
underscores); the builder keeps the names so diagnosis and tests can look rows up.
The status is read from HiGHS itself: a run stopped by its time limit is reported as such,
with the solver's own incumbent, dual bound and gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

INF = highspy.kHighsInf
SOLVER_NAME = (f"HiGHS {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
               f"{highspy.HIGHS_VERSION_PATCH} (highspy)")


@dataclass
class LinearModel:
    """Columns and rows accumulated in Python, passed to HiGHS in one call."""

    col_names: list[str] = field(default_factory=list)
    col_lb: list[float] = field(default_factory=list)
    col_ub: list[float] = field(default_factory=list)
    col_cost: list[float] = field(default_factory=list)
    col_int: list[bool] = field(default_factory=list)
    row_names: list[str] = field(default_factory=list)
    row_lb: list[float] = field(default_factory=list)
    row_ub: list[float] = field(default_factory=list)
    entries: list[tuple[int, int, float]] = field(default_factory=list)  # (row, col, value)
    row_index: dict[str, int] = field(default_factory=dict)

    def var(self, name: str, lb: float = 0.0, ub: float = INF, cost: float = 0.0,
            integer: bool = False) -> int:
        """A new column; returns its index."""
        self.col_names.append(name)
        self.col_lb.append(lb)
        self.col_ub.append(ub)
        self.col_cost.append(cost)
        self.col_int.append(integer)
        return len(self.col_names) - 1

    def row(self, name: str, terms: Sequence[tuple[int, float]], lb: float = -INF,
            ub: float = INF) -> int:
        """A new row lb <= sum(coef * col) <= ub; returns its index."""
        i = len(self.row_names)
        self.row_names.append(name)
        self.row_index[name] = i
        self.row_lb.append(lb)
        self.row_ub.append(ub)
        self.entries.extend((i, c, v) for c, v in terms if v != 0.0)
        return i

    @property
    def n_cols(self) -> int:
        """Number of columns."""
        return len(self.col_names)

    def to_highs(self, threads: int = 1, mip_gap: float = 1e-6) -> highspy.Highs:
        """A silent HiGHS instance holding this model, with fixed seed and threads."""
        h = new_highs(threads, mip_gap)
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_cols
        lp.num_row_ = len(self.row_names)
        lp.col_cost_ = np.array(self.col_cost, dtype=float)
        lp.col_lower_ = np.array(self.col_lb, dtype=float)
        lp.col_upper_ = np.array(self.col_ub, dtype=float)
        lp.row_lower_ = np.array(self.row_lb, dtype=float)
        lp.row_upper_ = np.array(self.row_ub, dtype=float)
        start, index, value = _colwise(self.entries, self.n_cols)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        if any(self.col_int):
            lp.integrality_ = [highspy.HighsVarType.kInteger if i
                               else highspy.HighsVarType.kContinuous for i in self.col_int]
        h.passModel(lp)
        return h


def _colwise(entries: list[tuple[int, int, float]],
             n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not entries:
        return np.zeros(n_cols + 1, dtype=np.int32), np.zeros(0, np.int32), np.zeros(0)
    arr = np.array(entries, dtype=float)
    order = np.lexsort((arr[:, 0], arr[:, 1]))
    rows = arr[order, 0].astype(np.int32)
    cols = arr[order, 1].astype(np.int64)
    start = np.zeros(n_cols + 1, dtype=np.int32)
    np.add.at(start, cols + 1, 1)
    return np.cumsum(start).astype(np.int32), rows, arr[order, 2]


def new_highs(threads: int = 1, mip_gap: float = 1e-6) -> highspy.Highs:
    """A silent HiGHS with deterministic settings.

    HiGHS sizes one process-wide scheduler at its first run and refuses (silently: the
    model is then not solved) a later run asking for a different `threads`; so every
    model here keeps the default (0: use the scheduler as it is), which cannot clash
    with other code in the same process. Parallelism comes from solving several models
    at once (see colgen). `threads` is accepted for readability and ignored."""
    del threads
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.silent()
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", mip_gap)
    return h


@dataclass(frozen=True)
class Outcome:
    """What one HiGHS run established, read from HiGHS's own status and info."""

    status: str  # optimal | time_limit | infeasible | unbounded | error
    has_solution: bool
    objective: float | None
    bound: float | None  # a proven lower bound (minimization)
    values: np.ndarray
    row_duals: np.ndarray | None = None
    col_duals: np.ndarray | None = None

    @property
    def optimal(self) -> bool:
        """True only when HiGHS proved optimality (within its gap setting)."""
        return self.status == "optimal"


_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInterrupt: "time_limit",
    highspy.HighsModelStatus.kIterationLimit: "time_limit",
    highspy.HighsModelStatus.kSolutionLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
}


def run(h: highspy.Highs, time_limit: float | None = None, is_mip: bool = False) -> Outcome:
    """Solve and report honestly: status, incumbent, dual bound, values, duals (LP)."""
    h.setOptionValue("time_limit", float(max(time_limit, 0.01)) if time_limit else INF)
    h.run()
    if h.getModelStatus() in (highspy.HighsModelStatus.kNotset,
                              highspy.HighsModelStatus.kModelError,
                              highspy.HighsModelStatus.kSolveError):
        raise RuntimeError(f"HiGHS no resolvió el modelo: "
                           f"{h.modelStatusToString(h.getModelStatus())}")
    status = _STATUS.get(h.getModelStatus(), "error")
    info = h.getInfo()
    has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    sol = h.getSolution()
    values = np.array(sol.col_value) if has_solution else np.zeros(h.getNumCol())
    objective = info.objective_function_value if has_solution else None
    if is_mip:
        bound = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None
        if status == "optimal" and objective is not None and bound is None:
            bound = objective
    else:
        bound = objective if status == "optimal" else None
    duals = (np.array(sol.row_dual), np.array(sol.col_dual)) if (
        not is_mip and status == "optimal" and sol.dual_valid) else (None, None)
    return Outcome(status, has_solution, objective, bound, values, duals[0], duals[1])
