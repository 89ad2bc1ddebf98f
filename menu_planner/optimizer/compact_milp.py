"""The straightforward per-dish MILP of the same cycle problem, solved through PuLP.

One copy of the day model per service day (a binary per dish per slot per day, portions
per group), and every cross-day rule written out: weekly targets per week, caps per
week or cycle, no dish on consecutive days, weeks that differ, every day menu of a group
that the quality standard names different from the others, pins and exclusions. It
is the baseline the benchmark compares the decomposition with, and an independent
solver path for the tests on tiny instances. The status, incumbent and bound are read
from HiGHS itself, not from PuLP's status string (PuLP reports "Optimal" for runs that
stopped on their time limit).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from menu_planner.optimizer.day_model import DayModel
from menu_planner.optimizer.families import (
    DistinctDays,
    NoConsecutive,
    WeeklyTarget,
    WeeksDiffer,
    build_families,
)
from menu_planner.optimizer.features import Features, Mode, layout
from menu_planner.optimizer.highs_util import LinearModel
from menu_planner.optimizer.instance import Instance

Terms = list[tuple[int, float]]
IMPROVING_SOLUTION = highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution


@dataclass(frozen=True)
class CompactResult:
    """What HiGHS established on the per-dish model (objective in total, not per day)."""

    status: str  # optimal | time_limit | infeasible | error
    objective: float | None
    bound: float | None
    seconds: float
    build_seconds: float
    n_vars: int
    n_rows: int
    first_seconds: float | None = None  # solve time to the first cycle found, if any

    @property
    def gap(self) -> float | None:
        """Relative gap between incumbent and bound."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.objective - self.bound) / max(abs(self.objective), 1e-9)


def build_compact_model(inst: Instance, mode: Mode = Mode.COST) -> LinearModel:
    """The per-dish MILP as a LinearModel (one day-model copy per day + linking rows)."""
    return build_compact(inst, mode)[0]


def build_compact(inst: Instance, mode: Mode = Mode.COST
                  ) -> tuple[LinearModel, DayModel, list[int]]:
    """The per-dish MILP, the day model it copies, and the first column of each day."""
    fe = layout(inst)
    day = DayModel(inst, fe, mode)
    m = LinearModel()
    costs = day.F.T @ fe.objective(inst, mode)
    offsets = [_add_day(m, inst, day, t, costs) for t in range(inst.n_days)]
    build_families(inst, fe).write(_Linking(m, inst, fe, day, offsets), mode)
    return m, day, offsets


def _add_day(m: LinearModel, inst: Instance, day: DayModel, t: int, costs: np.ndarray) -> int:
    off = m.n_cols
    banned = inst.forbidden.get(t, frozenset())
    zero = {col for pl in inst.placements if pl.dish in banned
            for col in (day.x.get(pl.index), day.a.get(pl.index)) if col is not None}
    for i in range(day.m.n_cols):
        m.var(f"{day.m.col_names[i]}_d{t}", day.m.col_lb[i],
              0.0 if i in zero else day.m.col_ub[i], float(costs[i]), day.m.col_int[i])
    rows: dict[int, Terms] = {}
    for r, c, v in day.m.entries:
        rows.setdefault(r, []).append((c + off, v))
    forced = {day.listed_row[j] for j in inst.forced.get(t, ())}
    for r in range(len(day.m.row_names)):
        m.row(f"{day.m.row_names[r]}_d{t}", rows.get(r, []),
              1.0 if r in forced else day.m.row_lb[r], day.m.row_ub[r])
    return off


class _Linking:
    """The cross-day rules written out over the days' own variables (every row hard):
    a `families.CycleModel`."""

    def __init__(self, m: LinearModel, inst: Instance, fe: Features, day: DayModel,
                 offsets: list[int]) -> None:
        self.m, self.inst, self.fe, self.day, self.offsets = m, inst, fe, day, offsets
        D, W = inst.days_per_week, inst.weeks
        self.weeks = [range((w - 1) * D, w * D) for w in range(1, W + 1)]

    def feat(self, t: int, feats: tuple[int, ...]) -> Terms:
        """Terms of the sum of `feats` on day t."""
        out: Terms = []
        for f in feats:
            nz = np.nonzero(self.day.F[f])[0]
            out += [(self.offsets[t] + int(i), float(self.day.F[f, i])) for i in nz]
        return out

    def target(self, rule: WeeklyTarget) -> None:
        D, row = self.inst.days_per_week, rule.row
        for w, days in enumerate(self.weeks, start=1):
            terms = [x for t in days for x in self.feat(t, (rule.feature,))]
            if row.bound == "min":
                self.m.row(f"target_w{w}_{row.name}", terms, lb=D * row.rhs)
            else:
                self.m.row(f"target_w{w}_{row.name}", terms, ub=D * row.rhs)

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        spans = (list(enumerate(self.weeks, start=1)) if period == "week"
                 else [(0, range(self.inst.n_days))])  # 0: the whole cycle
        for w, days in spans:
            self.m.row(f"{name}_{w}", [x for t in days for x in self.feat(t, features)],
                       lb, ub)

    def consecutive(self, rule: NoConsecutive) -> None:
        T, D = self.inst.n_days, self.inst.days_per_week
        for t in range(T if T > 1 else 0):
            if rule.within_week or (t + 1) % D == 0:
                self.m.row(f"consecutive_{rule.name}_{t}",
                           self.feat(t, rule.features) + self.feat((t + 1) % T, rule.features),
                           ub=1)

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        D, W, m = self.inst.days_per_week, self.inst.weeks, self.m
        for w1 in range(1, W + 1):
            for w2 in range(w1 + 1, W + 1):
                diffs: Terms = []
                for j in range(D):
                    t1, t2 = (w1 - 1) * D + j, (w2 - 1) * D + j
                    for d, feats in rule.dishes:
                        e = m.var(f"differ_{w1}_{w2}_{j}_{d}", 0, 1)
                        m.row(f"differ_in_{w1}_{w2}_{j}_{d}",
                              [(e, 1.0)] + [(v, -c) for v, c in self.feat(t1, feats)], ub=0)
                        m.row(f"differ_out_{w1}_{w2}_{j}_{d}",
                              [(e, 1.0), *self.feat(t2, feats)], ub=1)
                        diffs.append((e, 1.0))
                m.row(f"{rule.name}_{w1}_{w2}", diffs, lb=rule.value)

    def distinct(self, rule: DistinctDays) -> None:
        _add_distinct_rows(self.m, self.inst, self.day, self.offsets, rule.groups)

    def variety(self) -> None:
        inst, fe, T = self.inst, self.fe, self.inst.n_days
        for d in range(len(inst.dishes)):
            feats = (int(fe.base_used[d]), int(fe.alt_used[d]))
            used = self.m.var(f"used_{d}", 0, 1, -inst.request.variety_weight)
            self.m.row(f"variety_{d}", [(used, 1.0)] + [(v, -c) for t in range(T)
                                                        for v, c in self.feat(t, feats)],
                       ub=0)


def _add_distinct_rows(m: LinearModel, inst: Instance, day: DayModel, offsets: list[int],
                       groups: tuple[int, ...]) -> None:
    """Every two days serve each group of `groups` different sets of dishes (the key of
    families.served_key). served[t][d] is 1 when dish d is served to the group on day t
    (in any slot, as a base dish or as an alternative); for each pair of days,
    common[d] >= served[t1][d] + served[t2][d] - 1 (1 when both serve it), and the
    dishes served on one of the two days only, sum(served[t1] + served[t2] - 2 common),
    are at least one."""
    T = inst.n_days
    for g in groups:
        by_dish: dict[int, list[int]] = {}
        for pl in inst.placements:
            cols = [day.x[pl.index]] if g in pl.serves else []  # as DayModel._served
            if (pl.index, g) in day.w:
                cols.append(day.w[pl.index, g])
            by_dish.setdefault(pl.dish, []).extend(cols)
        dishes = sorted(d for d, cols in by_dish.items() if cols)
        served: list[dict[int, int]] = []
        for t in range(T):
            here: dict[int, int] = {}
            for d in dishes:
                cols = [offsets[t] + c for c in by_dish[d]]
                if len(cols) == 1 and m.col_int[cols[0]]:
                    here[d] = cols[0]  # one binary already says it
                    continue
                u = m.var(f"served_{g}_{t}_{d}", 0, 1, integer=True)
                for c in cols:
                    m.row(f"served_if_{g}_{t}_{d}_{c}", [(u, 1.0), (c, -1.0)], lb=0)
                m.row(f"served_only_if_{g}_{t}_{d}", [(u, 1.0)] + [(c, -1.0) for c in cols],
                      ub=0)
                here[d] = u
            served.append(here)
        for t1 in range(T):
            for t2 in range(t1 + 1, T):
                terms: Terms = []
                for d in dishes:
                    u1, u2 = served[t1][d], served[t2][d]
                    z = m.var(f"common_{g}_{t1}_{t2}_{d}", 0, 1)
                    m.row(f"common_{g}_{t1}_{t2}_{d}", [(z, 1.0), (u1, -1.0), (u2, -1.0)],
                          lb=-1)
                    terms += [(u1, 1.0), (u2, 1.0), (z, -2.0)]
                m.row(f"distinct_{g}_{t1}_{t2}", terms, lb=1)


def solve_compact_pulp(inst: Instance, time_limit: float, gap: float, threads: int = 1,
                       mode: Mode = Mode.COST) -> CompactResult:
    """Build the per-dish MILP with PuLP and solve it with HiGHS; report honestly.
    `time_limit` counts the building too: HiGHS gets what is left of it."""
    import pulp

    t0 = time.perf_counter()
    lm = build_compact_model(inst, mode)
    prob = pulp.LpProblem("ciclo_por_plato", pulp.LpMinimize)
    xs = [prob.add_variable(f"v{i}", lm.col_lb[i],
                            None if lm.col_ub[i] == float("inf") else lm.col_ub[i],
                            cat=pulp.LpInteger if lm.col_int[i] else pulp.LpContinuous)
          for i in range(lm.n_cols)]
    prob += pulp.lpSum(c * x for c, x in zip(lm.col_cost, xs, strict=True) if c)
    rows: dict[int, Terms] = {}
    for r, c, v in lm.entries:
        rows.setdefault(r, []).append((c, v))
    for r in range(len(lm.row_names)):
        expr = pulp.LpAffineExpression([(xs[c], v) for c, v in rows.get(r, [])])
        lb, ub = lm.row_lb[r], lm.row_ub[r]
        if lb == ub:
            prob += (expr == lb, f"r{r}")
        else:
            if lb > -float("inf"):
                prob += (expr >= lb, f"r{r}_lb")
            if ub < float("inf"):
                prob += (expr <= ub, f"r{r}_ub")
    build = time.perf_counter() - t0
    first: list[float] = []

    def on_solution(*_: object) -> None:  # HiGHS: an improving MIP solution was found
        if not first:
            first.append(time.perf_counter() - t1)

    solver = pulp.HiGHS(msg=False, timeLimit=max(0.1, time_limit - build), gapRel=gap,
                        threads=threads,
                        callbackTuple=(on_solution, None),
                        callbacksToActivate=[IMPROVING_SOLUTION])
    t1 = time.perf_counter()
    prob.solve(solver)
    seconds = time.perf_counter() - t1
    h = prob.solverModel
    info = h.getInfo()
    status = {"Optimal": "optimal", "Time limit reached": "time_limit",
              "Infeasible": "infeasible"}.get(h.modelStatusToString(h.getModelStatus()),
                                              "error")
    has = info.primal_solution_status == 2
    bound = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None
    return CompactResult(status, info.objective_function_value if has else None, bound,
                         seconds, build, lm.n_cols, len(lm.row_names),
                         first[0] if first and has else None)
