"""Portions for a fixed menu: one LP per age group over every day of the cycle.

Once the dishes of every day are chosen, the groups no longer interact, and the least-cost
portions of each group are an LP: daily targets and budget (at every price region) each
day, weekly targets each week. Rows are tightened by exactly what rounding portions to
4 decimals can move them, so the rounded portions still meet every target.

The same LPs price the targets: the marginal cost of one more unit (duals) and the
cost saved if a target were dropped (re-solve without it), both per person per day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.highs_util import INF, LinearModel, run
from menu_planner.optimizer.instance import Instance, TargetRow

DECIMALS = 4


def layout_indicator(inst: Instance) -> np.ndarray:
    """The feature index of each quality indicator."""
    from menu_planner.optimizer.features import layout

    return layout(inst).indicator

_HALF_STEP = 0.5 * 10.0**-DECIMALS


def served_groups(inst: Instance, listed: tuple[tuple[int, bool], ...]) -> list[tuple[int, ...]]:
    """For each listed (placement, is_alternative), the groups it is served to."""
    base_for: dict[tuple[int, int], bool] = {}
    for j, alt in listed:
        if not alt:
            for g in inst.placements[j].serves:
                base_for[inst.placements[j].sc, g] = True
    out = []
    for j, alt in listed:
        pl = inst.placements[j]
        if alt:
            out.append(tuple(g for g in pl.alt_groups if not base_for.get((pl.sc, g))))
        else:
            out.append(pl.serves)
    return out


@dataclass(frozen=True)
class GroupPortions:
    """Portions of one group: portions[t][i] for item i of day t (0 when not served)."""

    cost: float  # total over the cycle at the objective's prices (of these portions)
    portions: list[list[float]]
    rounded: bool  # False when rounding to 4 decimals could not be kept feasible


class _GroupLp:
    """The portion LP of one age group over the whole cycle. With `tighten`, every row is
    tightened by the most that rounding portions to 4 decimals can move it."""

    def __init__(self, inst: Instance, menus: list[DayColumn], g: int, tighten: bool) -> None:
        self.inst, self.menus, self.g, self.tighten = inst, menus, g, tighten
        self.m = LinearModel()
        self.p: list[list[int | None]] = []
        self.rows: list[tuple[list[tuple[int, float]], float, float]] = []  # exact rows
        grp = inst.groups[g]
        for col in menus:
            served = served_groups(inst, col.listed)
            self.p.append([
                self.m.var(f"portion_{len(self.p)}_{i}", grp.portion_min, grp.portion_max,
                           float(inst.cost_obj[inst.placements[j].dish]))
                if g in served[i] else None
                for i, (j, _) in enumerate(col.listed)])
        self._add_day_rows()
        self._add_budget_rows()
        self._add_week_rows()

    def _terms(self, t: int, coef: np.ndarray,
               slot: str | None = None) -> list[tuple[int, float]]:
        out = []
        for i, (j, _) in enumerate(self.menus[t].listed):
            col = self.p[t][i]
            pl = self.inst.placements[j]
            if col is not None and (slot is None or pl.slot == slot):
                out.append((col, float(coef[pl.dish])))
        return out

    def _row(self, name: str, terms: list[tuple[int, float]], lb: float, ub: float) -> None:
        slack = _HALF_STEP * sum(abs(c) for _, c in terms) + 1e-9 if self.tighten else 0.0
        self.rows.append((terms, lb, ub))
        self.m.row(name, terms, lb + slack if lb > -INF else lb, ub - slack if ub < INF else ub)

    def _add_day_rows(self) -> None:
        for row in self.inst.day_rows:
            if row.group == self.g:
                for t in range(len(self.menus)):
                    self._target(f"{row.name}_{t}", row, self._terms(t, row.coef, row.slot),
                                 row.rhs)
        self._add_indicator_rows()

    def _add_indicator_rows(self) -> None:
        """A day whose menu was chosen for a quality indicator keeps enough grams."""
        feats = layout_indicator(self.inst)
        for k, ind in enumerate(self.inst.quality.indicators):
            if ind.group != self.g:
                continue
            for t, col in enumerate(self.menus):
                if col.features[feats[k]] > 0.5:
                    self._row(f"indicator_{ind.name}_{t}", self._terms(t, ind.coef),
                              ind.min_grams, INF)

    def _target(self, name: str, row: TargetRow, terms: list[tuple[int, float]],
                rhs: float) -> None:
        if row.bound == "min":
            self._row(name, terms, rhs, INF)
        else:
            self._row(name, terms, -INF, rhs)

    def _add_budget_rows(self) -> None:
        for region in self.inst.budget_regions:
            for t in range(len(self.menus)):
                self._row(f"budget_{region}_{t}", self._terms(t, self.inst.cost[region]), -INF,
                          self.inst.budget)

    def _add_week_rows(self) -> None:
        D = self.inst.days_per_week
        for row in self.inst.week_rows:
            if row.group == self.g:
                for w in range(len(self.menus) // D):
                    terms = [tm for t in range(w * D, (w + 1) * D)
                             for tm in self._terms(t, row.coef)]
                    self._target(f"{row.name}_w{w + 1}", row, terms, D * row.rhs)

    def solve(self) -> GroupPortions | None:
        """Least-cost portions, rounded to 4 decimals when every row still holds."""
        out = run(self.m.to_highs())
        if not out.optimal:
            return None
        grp = self.inst.groups[self.g]
        values = out.values.copy()
        for day in self.p:
            for c in day:
                if c is not None:
                    values[c] = min(max(round(values[c], DECIMALS), grp.portion_min),
                                    grp.portion_max)
        rounded = self._holds(values)
        if not rounded:
            values = out.values
        portions = [[0.0 if c is None else float(values[c]) for c in day] for day in self.p]
        cost = float(np.dot(self.m.col_cost, values))
        return GroupPortions(cost, portions, rounded)

    def _holds(self, values: np.ndarray) -> bool:
        for terms, lb, ub in self.rows:
            act = sum(c * values[v] for v, c in terms)
            tol = 1e-9 * max(1.0, abs(lb) if lb > -INF else 0.0, abs(ub) if ub < INF else 0.0)
            if act < lb - tol or act > ub + tol:
                return False
        return True


def optimize_portions(inst: Instance, menus: list[DayColumn]) -> list[GroupPortions] | None:
    """Least-cost portions of every group for the chosen menus, one per service day of
    whole weeks (the cycle, or a single week to price it) (None if infeasible).
    Portions are rounded to 4 decimals; when plain rounding would break a row, the LP is
    solved again with rows tightened by what rounding can move them; when even that is
    infeasible, the unrounded portions are kept."""
    out = []
    assert len(menus) % inst.days_per_week == 0, "whole weeks only"
    for g in range(len(inst.groups)):
        res = _GroupLp(inst, menus, g, tighten=False).solve()
        if res is None:
            return None
        if not res.rounded:
            res = _GroupLp(inst, menus, g, tighten=True).solve() or res
        out.append(res)
    return out


def week_cost(inst: Instance, menus: list[DayColumn]) -> float | None:
    """Group-weighted least cost of one week of menus (None when its portions cannot meet
    the targets)."""
    res = optimize_portions(inst, menus)
    if res is None:
        return None
    return float(sum(inst.weights[g] * r.cost for g, r in enumerate(res)))
