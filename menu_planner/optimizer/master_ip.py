"""The integer master: one day menu per service day, under every cross-day rule.

Variables `menu[t, k]` (binary): day t is served candidate menu k. Row families: `day[t]`
one menu a day; `target[w, ...]` each weekly target per week; `cap[...]` dish and food
caps per week or per cycle; `consecutive[...]` no dish twice on consecutive service days
(across week boundaries and around the cycle); `weeks_differ[...]` every two weeks differ
in at least k (weekday, dish) positions. Rows carry a penalized slack so the best
compromise is still returned when the candidates cannot satisfy every rule (the caller
treats any slack as "no cycle found").

The master can be solved for some weeks only, the other days fixed (`fixed`): the
week-by-week search (`week_master`) uses it for weeks with pinned or excluded days.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import highspy
import numpy as np

from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.families import (
    DistinctDays,
    Families,
    NoConsecutive,
    WeeklyTarget,
    WeeksDiffer,
    alike_menus,
)
from menu_planner.optimizer.features import Features, Mode, day_scale
from menu_planner.optimizer.highs_util import INF, LinearModel, Outcome, run
from menu_planner.optimizer.instance import Instance

Terms = list[tuple[int, float]]
SLACK_TOL = 1e-6


@dataclass(frozen=True)
class CycleChoice:
    """The menu chosen for each day (pool indices) and what HiGHS proved about it."""

    status: str
    menus: tuple[int, ...] | None
    objective: float | None
    bound: float | None
    slack: float


class _Builder:
    def __init__(self, inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
                 candidates: list[int], mode: Mode, weeks: list[int],
                 fixed: dict[int, int], target_price: dict[str, float],
                 differ_pairs: set[tuple[int, int]] | None = None) -> None:
        self.inst, self.fe, self.fam, self.pool, self.mode = inst, fe, fam, pool, mode
        self.m = LinearModel()
        self.obj = fe.objective(inst, mode)
        self.penalty = 10.0 * day_scale(inst, mode)
        self.weeks, self.fixed, self.candidates = weeks, fixed, candidates
        self.target_price = target_price
        self.differ_pairs = differ_pairs  # free week pairs to keep apart (None = all)
        D = inst.days_per_week
        self.free = [t for w in weeks for t in range((w - 1) * D, w * D)]
        self.z: dict[int, list[tuple[int, int]]] = {}
        self.slacks: list[int] = []

    def build(self) -> LinearModel:
        self._add_menu_variables()
        self.fam.write(self, self.mode)
        return self.m

    def _add_menu_variables(self) -> None:
        for t in self.free:
            chosen = [k for k in self.candidates if self.pool[k].valid_for(self.inst, t)]
            self.z[t] = [(self.m.var(f"menu_{t}_{k}", 0, 1,
                                     float(self.obj @ self.pool[k].features), integer=True), k)
                         for k in chosen]
            art = self._slack(f"day_{t}", 100 * self.penalty)
            self.m.row(f"day_{t}", [(v, 1.0) for v, _ in self.z[t]] + [(art, 1.0)], 1, 1)

    def _slack(self, name: str, cost: float, rule: bool = True) -> int:
        """A penalized slack; `rule` slacks mean a broken rule (elastic target slacks
        are the objective of the diagnosis, not broken rules)."""
        s = self.m.var(f"slack_{name}", 0, INF, cost)
        if rule:
            self.slacks.append(s)
        return s

    def _terms(self, days: Iterable[int], features: tuple[int, ...]) -> Terms:
        out: Terms = []
        for t in days:
            for v, k in self.z.get(t, ()):
                coef = float(sum(self.pool[k].features[f] for f in features))
                if abs(coef) > 1e-12:
                    out.append((v, coef))
        return out

    def _fixed(self, days: Iterable[int], features: tuple[int, ...]) -> float:
        return float(sum(self.pool[self.fixed[t]].features[f] for t in days
                         if t in self.fixed for f in features))

    def _week(self, w: int) -> range:
        D = self.inst.days_per_week
        return range((w - 1) * D, w * D)

    # -- the rules, as a families.CycleModel ---------------------------------------------
    def target(self, rule: WeeklyTarget) -> None:
        """Weekly targets at the menus' own portions. They are soft: the portion LP that
        follows re-optimizes portions over the whole cycle, so a shortfall here costs
        about its price (the relaxation's dual) there. Elastic mode: the shortfall is
        the objective."""
        D = self.inst.days_per_week
        floor = 1e-3 * self.penalty
        f, row = rule.feature, rule.row
        for w in self.weeks:
            name = f"target_w{w}_{row.name}"
            if self.mode is Mode.ELASTIC:
                cost = float(D)
            else:
                price = abs(self.target_price.get(f"target_{row.name}", 0.0))
                cost = D * row.scale * max(price, floor / (D * row.scale))
            s = self._slack(name, cost, rule=False)
            terms = self._terms(self._week(w), (f,))
            if row.bound == "min":
                self.m.row(name, [*terms, (s, D * row.scale)], lb=D * row.rhs)
            else:
                self.m.row(name, [*terms, (s, -D * row.scale)], ub=D * row.rhs)

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        periods = ([(w, self._week(w)) for w in self.weeks] if period == "week"
                   else [(0, range(self.inst.n_days))])
        for w, days in periods:
            terms = self._terms(days, features)
            done = self._fixed(days, features)
            row = f"{name}_{w}"
            if ub < INF and sum(c for _, c in terms) > ub - done:
                s = self._slack(row, self.penalty)
                self.m.row(row, [*terms, (s, -1.0)], ub=ub - done)
            if lb > -INF and lb - done > 1e-9:
                s = self._slack(row, self.penalty)
                self.m.row(row, [*terms, (s, 1.0)], lb=lb - done)

    def distinct(self, rule: DistinctDays) -> None:
        """Every day menu at most once in the cycle, for each group that asks for it."""
        used = set(self.fixed.values())
        for i, alike in enumerate(alike_menus(self.inst, self.fam, self.pool,
                                              self.candidates)):
            members = set(alike)
            terms = [(v, 1.0) for t in self.free for v, k in self.z[t] if k in members]
            limit = 0.0 if members & used else 1.0
            if len(terms) <= limit:
                continue
            s = self._slack(f"distinct_{i}", self.penalty)
            self.m.row(f"distinct_{i}", [*terms, (s, -1.0)], ub=limit)

    def consecutive(self, rule: NoConsecutive) -> None:
        T, D = self.inst.n_days, self.inst.days_per_week
        for t in range(T):
            nxt = (t + 1) % T
            if T < 2 or (not rule.within_week and (t + 1) % D != 0):
                continue
            if not ({t, nxt} & set(self.z)) or any(
                    d not in self.z and d not in self.fixed for d in (t, nxt)):
                continue
            terms = self._terms([t, nxt], rule.features)
            limit = 1.0 - self._fixed([t, nxt], rule.features)
            if sum(c for _, c in terms) <= limit:
                continue
            name = f"consecutive_{rule.name}_{t}"
            s = self._slack(name, self.penalty)
            self.m.row(name, [*terms, (s, -1.0)], ub=limit)

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        W = self.inst.weeks
        fixed_weeks = [w for w in range(1, W + 1)
                       if all(t in self.fixed for t in self._week(w))]
        for i, w1 in enumerate(self.weeks):
            for w2 in fixed_weeks:
                self._differ_from_fixed(rule.dishes, rule.value, rule.name, w1, w2)
            for w2 in self.weeks[i + 1:]:
                if self.differ_pairs is None or (w1, w2) in self.differ_pairs:
                    self._differ_free(rule.dishes, rule.value, rule.name, w1, w2)

    def _differ_from_fixed(self, dishes: tuple[tuple[int, tuple[int, ...]], ...], value: int,
                           name: str, w1: int, w2: int) -> None:
        terms: Terms = []
        for t1, t2 in zip(self._week(w1), self._week(w2), strict=True):
            other = self.pool[self.fixed[t2]].features
            for v, k in self.z[t1]:
                f = self.pool[k].features
                n = sum(1 for _, feats in dishes
                        if f[list(feats)].sum() > 0.5 and other[list(feats)].sum() < 0.5)
                if n:
                    terms.append((v, float(n)))
        s = self._slack(f"{name}_{w1}_{w2}", self.penalty)
        self.m.row(f"{name}_{w1}_{w2}", [*terms, (s, 1.0)], lb=value)

    def _differ_free(self, dishes: tuple[tuple[int, tuple[int, ...]], ...], value: int,
                     name: str, w1: int, w2: int) -> None:
        present = [(d, feats) for d, feats in dishes
                   if any(self.pool[k].features[list(feats)].sum() > 0.5
                          for k in self.candidates)]
        diffs: Terms = []
        for j, (t1, t2) in enumerate(zip(self._week(w1), self._week(w2), strict=True)):
            for d, feats in present:
                e = self.m.var(f"differ_{w1}_{w2}_{j}_{d}", 0, 1)
                self.m.row(f"differ_in_{w1}_{w2}_{j}_{d}",
                           [(e, 1.0)] + [(v, -c) for v, c in self._terms([t1], feats)], ub=0)
                self.m.row(f"differ_out_{w1}_{w2}_{j}_{d}",
                           [(e, 1.0), *self._terms([t2], feats)], ub=1)
                diffs.append((e, 1.0))
        s = self._slack(f"{name}_{w1}_{w2}", self.penalty)
        self.m.row(f"{name}_{w1}_{w2}", [*diffs, (s, 1.0)], lb=value)

    def variety(self) -> None:
        weight = self.inst.request.variety_weight
        for d in range(len(self.inst.dishes)):
            feats = (int(self.fe.base_used[d]), int(self.fe.alt_used[d]))
            terms = self._terms(self.free, feats)
            if not terms or self._fixed(self.fixed, feats) > 0.5:
                continue
            used = self.m.var(f"used_{d}", 0, 1, -weight)
            self.m.row(f"variety_{d}", [(used, 1.0)] + [(v, -c) for v, c in terms], ub=0)


def solve_cycle_master(inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
                       candidates: list[int], mode: Mode, time_limit: float, gap: float,
                       weeks: list[int] | None = None, fixed: dict[int, int] | None = None,
                       start: tuple[int, ...] | None = None,
                       target_price: dict[str, float] | None = None) -> CycleChoice:
    """Choose one candidate menu for each day of `weeks` (all by default), the days in
    `fixed` keeping theirs, under every cross-day rule (HiGHS MILP). `start` is a full
    cycle (pool indices) given to HiGHS as its first incumbent. The rule that weeks
    differ is added lazily: only for the pairs of free weeks a solution left too alike."""
    weeks = weeks or list(range(1, inst.weeks + 1))
    deadline = time.perf_counter() + time_limit
    pairs: set[tuple[int, int]] = set()
    choice = CycleChoice("time_limit", None, None, None, float("inf"))
    while True:
        b = _Builder(inst, fe, fam, pool, candidates, mode, weeks, fixed or {},
                     target_price or {}, pairs)
        h = b.build().to_highs(mip_gap=gap)
        if start is not None:
            _give_start(h, b, start)
        choice = _read(b, run(h, deadline - time.perf_counter(), is_mip=True), fixed)
        if choice.menus is None:
            return choice
        alike = _alike_pairs(inst, fam, pool, choice.menus, weeks) - pairs
        if not alike or time.perf_counter() >= deadline:
            if alike:
                return CycleChoice(choice.status, choice.menus, choice.objective,
                                   choice.bound, choice.slack + len(alike))
            return choice
        pairs |= alike
        start = choice.menus


def _read(b: _Builder, out: Outcome, fixed: dict[int, int] | None) -> CycleChoice:
    if not out.has_solution:
        return CycleChoice(out.status, None, None, out.bound, float("inf"))
    menus = dict(fixed or {})
    for t in b.free:
        best = max(b.z[t], key=lambda vk: out.values[vk[0]], default=None)
        if best is None or out.values[best[0]] < 0.5:
            return CycleChoice(out.status, None, out.objective, out.bound, float("inf"))
        menus[t] = best[1]
    slack = float(np.sum(out.values[b.slacks]))
    ordered = tuple(menus[t] for t in sorted(menus))
    return CycleChoice(out.status, ordered, out.objective, out.bound, slack)


def _alike_pairs(inst: Instance, fam: Families, pool: list[DayColumn], menus: tuple[int, ...],
                 weeks: list[int]) -> set[tuple[int, int]]:
    """Pairs of the given weeks that differ in fewer positions than a rule asks."""
    D, out = inst.days_per_week, set()
    for wd in fam.weeks_differ:
        pos = {w: {(j, d) for j in range(D) for d, feats in wd.dishes
                   if pool[menus[(w - 1) * D + j]].features[list(feats)].sum() > 0.5}
               for w in weeks}
        for i, w1 in enumerate(weeks):
            for w2 in weeks[i + 1:]:
                if len(pos[w1] - pos[w2]) < wd.value:
                    out.add((w1, w2))
    return out


def _give_start(h: highspy.Highs, b: _Builder, start: tuple[int, ...]) -> None:
    """Pass a cycle as a partial solution (menu choices only; HiGHS completes it)."""
    idx, vals = [], []
    for t in b.free:
        for v, k in b.z[t]:
            idx.append(v)
            vals.append(1.0 if start[t] == k else 0.0)
    if idx:
        h.setSolution(len(idx), np.array(idx, dtype=np.int32), np.array(vals))
