"""The aggregated master LP of the decomposition (a relaxation of the cycle problem).

Variables: lambda[c, k] = how many days of day class c (days sharing pins/exclusions)
are served day menu k, continuous. Rows (each with a penalized slack, so the LP is always
feasible and infeasibility shows as slack):
- `days[c]`: the days of each class are covered;
- `target[...]`: each weekly target, summed over the cycle's weeks;
- `cap[...]`: each per-week cap summed over the weeks, each per-cycle cap as is;
- `consecutive[...]`: a dish never on two consecutive days is on at most half the days.
Rules that tell days apart (consecutive days, weeks differing, weekly targets per week)
enter only the integer master. Dropping or summing rows only relaxes the problem, so
the Lagrangian bound of this LP (with exact pricing) is a valid lower bound for the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.families import (
    DistinctDays,
    Families,
    NoConsecutive,
    WeeklyTarget,
    WeeksDiffer,
)
from menu_planner.optimizer.features import Features, Mode, day_scale
from menu_planner.optimizer.highs_util import INF, LinearModel, run
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.pricing import DayClass


@dataclass(frozen=True)
class LpSolution:
    """Value, duals turned into per-feature prices, slack used, and day-menu weights."""

    value: float
    phi: np.ndarray  # per-feature reduced-cost prices (phi[one] = 0)
    day_duals: np.ndarray  # dual of each class's `days` row
    slack: float
    weights: dict[tuple[int, int], float]  # (class, column) -> days

    def phi_for(self, c: int) -> np.ndarray:
        """Reduced-cost prices of class c (the constant term is minus its days dual)."""
        out = self.phi.copy()
        out[0] = -self.day_duals[c]
        return out


class AggregateMaster:
    """Restricted master LP; columns are added as pricing finds them."""

    def __init__(self, inst: Instance, fe: Features, fam: Families,
                 classes: tuple[DayClass, ...], mode: Mode) -> None:
        self.inst, self.fe, self.fam, self.classes, self.mode = inst, fe, fam, classes, mode
        self.obj = fe.objective(inst, mode)
        self.penalty = 10.0 * day_scale(inst, mode)  # per broken count or relative unit/day
        self.m = LinearModel()
        self.R: list[np.ndarray] = []  # feature coefficients of each non-`days` row
        self._slack_cols: list[int] = []
        self._build()
        self.R_matrix = np.array(self.R) if self.R else np.zeros((0, fe.n))
        self.h = self.m.to_highs(threads=1)
        self.columns: list[DayColumn] = []
        # when every day menu must differ, a menu fills at most one day (still a
        # relaxation: two menus alike for a group may together fill more)
        self.most_days = 1.0 if fam.distinct_groups else INF
        self.var_of: list[tuple[int, int]] = [(-1, -1)] * self.m.n_cols  # col -> (c, k)

    # -- rows ---------------------------------------------------------------------------
    def _build(self) -> None:
        for c, cls in enumerate(self.classes):
            art = self.m.var(f"slack_days_{c}", 0, INF, 100 * self.penalty)
            self._slack_cols.append(art)
            self.m.row(f"days_{c}", [(art, 1.0)], lb=len(cls.days), ub=len(cls.days))
        self.fam.write(self, self.mode)

    def _feature_row(self, name: str, coef: dict[int, float], lb: float, ub: float,
                     slack_sign: float, slack_scale: float, slack_cost: float) -> None:
        i = len(self.m.row_names)
        vec = np.zeros(self.fe.n)
        for f, v in coef.items():
            vec[f] += v
        self.R.append(vec)
        s = self.m.var(f"slack_{name}", 0, INF, slack_cost)
        self._slack_cols.append(s)
        self.m.row(name, [(s, slack_sign * slack_scale)], lb, ub)
        assert self.m.row_index[name] == i

    # -- the rules, as a families.CycleModel (the master sees no weeks: weekly rows are
    #    summed over the cycle's weeks, which only relaxes them) --------------------------
    def target(self, rule: WeeklyTarget) -> None:
        T, row = self.inst.n_days, rule.row
        cost = float(T) if self.mode is Mode.ELASTIC else T * self.penalty
        if row.bound == "min":
            self._feature_row(f"target_{row.name}", {rule.feature: 1.0}, T * row.rhs, INF,
                              1.0, T * row.scale, cost)
        else:
            self._feature_row(f"target_{row.name}", {rule.feature: 1.0}, -INF, T * row.rhs,
                              -1.0, T * row.scale, cost)

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        spans = self.inst.weeks if period == "week" else 1
        if lb <= 0.0 and ub * spans >= self.inst.n_days * len(features) * 4:
            return  # cannot bind
        self._feature_row(name, dict.fromkeys(features, 1.0), lb * spans, ub * spans,
                          1.0 if lb > -INF else -1.0, 1.0, self.penalty)

    def consecutive(self, rule: NoConsecutive) -> None:
        """Never on two consecutive days: on at most half the days."""
        self._feature_row(rule.name, dict.fromkeys(rule.features, 1.0), -INF,
                          self.inst.n_days // 2, -1.0, 1.0, self.penalty)

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        """Tells weeks apart: only the integer masters see it."""

    def distinct(self, rule: DistinctDays) -> None:
        """A menu fills at most one day: the columns' upper bound (`most_days`)."""

    def variety(self) -> None:
        weight = self.inst.request.variety_weight
        for d in range(len(self.inst.dishes)):
            used = self.m.var(f"used_{d}", 0, 1, -weight)
            i = len(self.m.row_names)
            vec = np.zeros(self.fe.n)
            vec[self.fe.base_used[d]] = -1.0
            vec[self.fe.alt_used[d]] = -1.0
            self.R.append(vec)
            self.m.row(f"variety_{d}", [(used, 1.0)], -INF, 0.0)
            assert self.m.row_index[f"variety_{d}"] == i

    # -- columns and solving ------------------------------------------------------------
    def add(self, column: DayColumn) -> int:
        """Add a day menu for every class it fits; returns how many variables were added."""
        k = len(self.columns)
        self.columns.append(column)
        n_days = len(self.classes)
        body = self.R_matrix @ column.features
        nz = np.nonzero(np.abs(body) > 1e-12)[0]
        added = 0
        for c, cls in enumerate(self.classes):
            if not column.fits(self.inst, cls.forced, cls.banned):
                continue
            rows = np.concatenate(([c], nz + n_days)).astype(np.int32)
            vals = np.concatenate(([1.0], body[nz]))
            self.h.addCol(float(self.obj @ column.features), 0.0, self.most_days, len(rows),
                          rows, vals)
            self.var_of.append((c, k))
            added += 1
        return added

    def solve(self) -> LpSolution:
        """Solve the restricted master (warm-started) and read duals as feature prices."""
        out = run(self.h)
        if out.row_duals is None:
            raise RuntimeError(f"el problema maestro no se resolvió ({out.status})")
        y = out.row_duals
        n_days = len(self.classes)
        phi = self.obj.copy()
        if len(self.R):
            phi -= self.R_matrix.T @ y[n_days:]
        phi[0] = 0.0
        slack = float(sum(out.values[s] for s in self._slack_cols))
        weights = {self.var_of[i]: float(v) for i, v in enumerate(out.values)
                   if i >= self.m.n_cols and v > 1e-9}
        return LpSolution(float(out.objective or 0.0), phi, y[:n_days].copy(), slack, weights)
