"""Pricing: find day menus of negative reduced cost for the master's duals.

Two ways, both on the day MILP of `day_model`:
- `core`: the MILP restricted to a core of dishes (those the LP relaxation uses plus the
  few of least reduced cost in each meal line, a RENS-like restriction); fast and usually
  within a fraction of a percent; no proof.
- `exact`: HiGHS branch-and-bound on the whole day with an objective bound at reduced
  cost 0, so it only searches for improving menus. Its answer includes a *valid* lower
  bound on the least reduced cost: with `objective_bound` set, HiGHS may report a dual
  bound above the true optimum when no solution beats the objective bound (measured), so
  the valid bound is the smaller of the two (min(objective_bound, reported dual bound)).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from menu_planner.optimizer.day_model import DayColumn, DayModel
from menu_planner.optimizer.highs_util import run
from menu_planner.optimizer.instance import Instance

EXACT_GAP = 1e-4
RC_TOL = 1e-7
_EXACT_OPTIONS: dict[str, bool | float] = {
    # Measured on the shipped cadi data: without restarts and sub-MIP heuristics the
    # day MILP proves optimality 3-6x faster (0.1-0.6 s instead of 0.3-4 s).
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_effort": 0.0,
    "mip_allow_restart": False,
    "mip_improving_solution_save": True,
}


@dataclass(frozen=True)
class DayClass:
    """Days that share pins and exclusions, hence the same set of possible menus."""

    forced: tuple[int, ...]
    banned: frozenset[int]
    days: tuple[int, ...]


def day_classes(inst: Instance) -> tuple[DayClass, ...]:
    """The days grouped by (pins, exclusions), in order of their first day."""
    groups: dict[tuple[tuple[int, ...], frozenset[int]], list[int]] = {}
    for t in range(inst.n_days):
        key = inst.day_kind(t)
        groups.setdefault(key, []).append(t)
    return tuple(DayClass(k[0], k[1], tuple(v)) for k, v in groups.items())


@dataclass(frozen=True)
class Priced:
    """Improving menus found (best first), the best reduced cost and a valid lower bound
    on the least reduced cost of the class (None when not proven)."""

    columns: tuple[DayColumn, ...]
    reduced_cost: float | None
    bound: float | None
    status: str


class _Bounds:
    """Tracks the pin/exclusion bounds set on one HiGHS model, to undo them."""

    def __init__(self, model: DayModel, h: highspy.Highs) -> None:
        self.model, self.h = model, h
        self.rows: list[int] = []
        self.cols: list[int] = []

    def apply(self, cls: DayClass) -> None:
        for r in self.rows:
            self.h.changeRowBounds(r, 0.0, 1.0)
        for c in self.cols:
            self.h.changeColBounds(c, 0.0, 1.0)
        self.rows, self.cols = [], []
        for j in cls.forced:
            row = self.model.listed_row[j]
            self.h.changeRowBounds(row, 1.0, 1.0)
            self.rows.append(row)
        for pl in self.model.inst.placements:
            if pl.dish in cls.banned:
                for col in (self.model.x.get(pl.index), self.model.a.get(pl.index)):
                    if col is not None:
                        self.h.changeColBounds(col, 0.0, 0.0)
                        self.cols.append(col)


class Pricer:
    """A day model with its MILP and LP-relaxation solvers (one per worker thread)."""

    def __init__(self, model: DayModel) -> None:
        self.model = model
        self.milp = model.m.to_highs(threads=1, mip_gap=EXACT_GAP)
        for key, value in _EXACT_OPTIONS.items():
            self.milp.setOptionValue(key, value)
        self.lp = replace(model.m, col_int=[False] * model.m.n_cols).to_highs()
        self._milp_bounds = _Bounds(model, self.milp)
        self._lp_bounds = _Bounds(model, self.lp)
        lines: dict[tuple[int, bool], list[int]] = {}
        for j, c in model.x.items():
            lines.setdefault((model.inst.placements[j].sc, False), []).append(c)
        for j, c in model.a.items():
            lines.setdefault((model.inst.placements[j].sc, True), []).append(c)
        self._line_binaries = [lines[k] for k in sorted(lines)]

    def _costs(self, h: highspy.Highs, phi: np.ndarray) -> None:
        costs = self.model.F.T @ phi
        h.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)

    def core(self, phi: np.ndarray, cls: DayClass, per_line: int, time_limit: float,
             jitter: np.ndarray | None = None) -> Priced:
        """The best menu among a core of dishes: those the LP relaxation uses plus the
        `per_line` of least reduced cost in every meal line (a RENS-like restriction;
        fast, often within a fraction of a percent, no bound). `jitter` (added to the
        dish prices) varies which core is taken."""
        model = self.model
        lp_phi = phi if jitter is None else phi + jitter
        self._costs(self.lp, lp_phi)
        self._lp_bounds.apply(cls)
        out = run(self.lp)
        rc = out.col_duals
        if not out.optimal or rc is None:
            return Priced((), None, None, out.status)
        keep = {b for b in model.binaries if out.values[b] > 1e-6}
        for cols in self._line_binaries:
            keep.update(sorted(cols, key=lambda c: rc[c])[:per_line])
        drop = np.array([b for b in model.binaries if b not in keep], dtype=np.int32)
        self.milp.changeColsBounds(len(drop), drop, np.zeros(len(drop)), np.zeros(len(drop)))
        try:
            found = self.exact(phi, cls, time_limit)
        finally:
            self.milp.changeColsBounds(len(drop), drop, np.zeros(len(drop)), np.ones(len(drop)))
            self._milp_bounds.apply(cls)
        return Priced(found.columns, found.reduced_cost, None, found.status)

    def exact(self, phi: np.ndarray, cls: DayClass, time_limit: float,
              first_only: bool = False, seed: int = 0) -> Priced:
        """Menus of negative reduced cost by branch-and-bound, with a valid bound.

        With `first_only`, HiGHS is first stopped at its first incumbent (fast, often
        improving); when that one is not improving, the search goes on to proven
        optimality. The returned bound is valid either way."""
        deadline = time.perf_counter() + time_limit
        self._costs(self.milp, phi)
        self._milp_bounds.apply(cls)
        threshold = -float(phi[0])  # objective below this <=> reduced cost below 0
        self.milp.setOptionValue("objective_bound", threshold)
        self.milp.setOptionValue("random_seed", seed)
        for limit in ((1, 2**30) if first_only else (2**30,)):
            self.milp.setOptionValue("mip_max_improving_sols", limit)
            out = run(self.milp, max(0.01, deadline - time.perf_counter()), is_mip=True)
            columns = self._harvest(phi, out.values if out.has_solution else None)
            if columns or limit > 1:
                break
        bound: float | None = None
        if out.status == "infeasible" or (out.status == "optimal" and not out.has_solution):
            bound = 0.0  # nothing below the objective bound (or nothing at all)
        elif out.bound is not None:  # valid even when stopped early (see module doc)
            bound = min(threshold, out.bound) + float(phi[0])
        best = min((float(c.features @ phi) for c in columns), default=None)
        return Priced(tuple(columns), best, bound, out.status)

    def different(self, phi: np.ndarray, cls: DayClass, menus: list[DayColumn],
                  time_limit: float) -> Priced:
        """`exact`, but none of `menus`: a no-good row per menu on the menu binaries
        (removed afterwards). Its bound holds only for the menus not excluded."""
        model = self.model
        binaries = {**{(j, False): c for j, c in model.x.items()},
                    **{(j, True): c for j, c in model.a.items()}}
        idx = np.array(sorted(binaries.values()), dtype=np.int32)
        first = self.milp.getNumRow()
        for col in menus:
            on = {binaries[key] for key in col.listed if key in binaries}
            val = np.array([1.0 if c in on else -1.0 for c in idx])
            self.milp.addRow(-highspy.kHighsInf, len(on) - 1.0, len(idx), idx, val)
        try:
            return self.exact(phi, cls, time_limit)
        finally:
            n = self.milp.getNumRow() - first
            if n:
                self.milp.deleteRows(n, np.arange(first, first + n, dtype=np.int32))

    def _harvest(self, phi: np.ndarray, final: np.ndarray | None) -> list[DayColumn]:
        """Every improving solution HiGHS met (negative reduced cost), best first."""
        found: dict[tuple[object, ...], DayColumn] = {}
        pool = [np.array(s.col_value) for s in self.milp.getSavedMipSolutions()]
        if final is not None:
            pool.append(final)
        for values in pool:
            col = self.model.column_from(values)
            if float(col.features @ phi) < -RC_TOL:
                found.setdefault(col.key, col)
        return sorted(found.values(), key=lambda c: float(c.features @ phi))
