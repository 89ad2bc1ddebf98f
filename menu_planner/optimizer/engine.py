"""One optimization run of the decomposition, for one objective mode.

    compact LP (lower bound, prices)  ->  seed the pool at those prices
    repeat: column generation (stabilized at the compact prices)
            -> integer master (week by week, then the whole cycle from that start),
               skipped while the master LP shows that no cycle could prove the gap yet
            -> least-cost portions for the chosen menus (upper bound)
    until the gap to the best lower bound is reached or time runs out.

The lower bound is the best of: the compact LP value, and any Lagrangian bound met in
column generation (both valid for the whole cycle problem). The upper bound is the
objective of a cycle that meets every rule. Nothing here claims optimality: the caller
reads the bound and the gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from menu_planner.optimizer.colgen import SEED_WALK, Clock, ColumnGeneration, ProgressFn
from menu_planner.optimizer.compact_lp import RelaxationInfeasible, min_slack, solve_compact_lp
from menu_planner.optimizer.complete import MIN_SECONDS, complete_search
from menu_planner.optimizer.day_model import DayColumn, DayModel
from menu_planner.optimizer.families import Families, build_families
from menu_planner.optimizer.features import Features, Mode, day_scale, layout
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.portions import GroupPortions, optimize_portions
from menu_planner.optimizer.pricing import Pricer
from menu_planner.optimizer.week_master import independent_weeks, week_by_week

TARGET_PRICE_STEPS = (1.0, 4.0, 16.0, 256.0)
CANDIDATES = 150  # pool menus offered to the integer master (least reduced cost first)
FIRST_ROUNDS = 17  # column-generation rounds before the first cycle is built (measured:
#   cadi, mad, all regions and the generated case need 3 rounds fewer than with 20; the
#   4-week cadi cycle 3 more)
MORE_ROUNDS = 12  # rounds between later attempts
MAX_PHASES = 40
FIRST_TOLERANCE = 0.4  # column generation pauses when the master LP is this share of the gap
#   above the lower bound (the rest is left for the cycle's cost above the LP); halved later
SLACK_TOL = 1e-6


@dataclass
class EngineResult:
    """What one run established."""

    status: str  # solved | infeasible | day_infeasible | no_solution
    menus: list[DayColumn] | None = None
    portions: list[GroupPortions] | None = None
    objective: float | None = None  # upper bound (objective of the cycle found)
    lower_bound: float | None = None
    stopped_by_time: bool = False
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative distance between the cycle found and the lower bound (negative only
        through a bug, which `plan_cycle` reports as an error, never as a zero gap)."""
        if self.objective is None or self.lower_bound is None:
            return None
        return (self.objective - self.lower_bound) / max(abs(self.objective), 1e-9)


class Engine:
    """Holds the models of one instance and mode; `run` does the search."""

    def __init__(self, inst: Instance, mode: Mode, threads: int) -> None:
        self.inst, self.mode = inst, mode
        self.fe: Features = layout(inst)
        self.fam: Families = build_families(inst, self.fe)
        self.models = [DayModel(inst, self.fe, mode) for _ in range(max(1, threads))]

    def run(self, clock: Clock, gap: float, progress: ProgressFn | None = None,
            max_phases: int | None = None) -> EngineResult:
        """Search until `gap` is proven or the clock runs out. The schedule is counted in
        work (rounds), not seconds, so a run that does not hit the clock is the same on
        any machine."""
        cg = ColumnGeneration(self.inst, self.fe, self.fam, self.mode,
                              [Pricer(m) for m in self.models], clock)
        try:
            compact = solve_compact_lp(cg.master, self.models[0])
        except RelaxationInfeasible:
            return EngineResult("day_infeasible")
        if compact is None:
            return EngineResult("no_solution", stopped_by_time=clock.expired)
        if (compact.slack > SLACK_TOL or self.mode is Mode.ELASTIC) and compact_infeasible(
                cg, self.models[0]):
            return EngineResult("infeasible", stats=cg.stats)
        self.target_price = dict(compact.row_duals)
        if not cg.seed_at_prices(compact):
            return EngineResult("day_infeasible", stats=cg.stats)
        best = EngineResult("no_solution", lower_bound=cg.lower_bound)
        tolerance, rounds = FIRST_TOLERANCE * gap, FIRST_ROUNDS
        current: tuple[int, ...] | None = None
        trace: list[list[float]] = []  # [seconds, master LP, best cycle] per phase
        phases, idle = max_phases or MAX_PHASES, 0  # idle: attempts in a row not improving
        for phase in range(phases):
            pool_before, value_before = len(cg.pool), best.objective
            cg.run(tolerance, rounds, progress)
            if cg.fill_days():  # distinct day menus: the pool had too few different menus
                cg.run(tolerance, rounds, progress)
            best.lower_bound = cg.lower_bound
            rounds = MORE_ROUNDS
            if not (phase == phases - 1 or clock.expired or len(cg.pool) == pool_before
                    or may_prove(cg, best, gap)):
                continue  # a cycle built now could not prove the gap: more menus first
            if progress is not None:
                progress(0.5 + 0.45 * min(1.0, (phase + 1) / MAX_PHASES),
                         "Armando el ciclo semana por semana")
            current = self._integer(cg, clock, gap, best, current)
            tolerance /= 2
            trace.append([round(clock.elapsed(), 3), float(cg.lp.value) if cg.lp else 0.0,
                          best.objective if best.objective is not None else float("nan")])
            g = best.gap
            if (g is not None and g <= gap) or clock.expired:
                break
            idle = idle + 1 if best.objective == value_before else 0
            stuck = len(cg.pool) == pool_before or idle >= 2
            # the pool lacks the variety whole weeks need: walk for more; when nothing
            # new can be generated at all, stop honestly (status "feasible")
            if (current is None or stuck) and not cg.walk(
                    SEED_WALK * (len(trace) + 1), len(trace)) and len(cg.pool) == pool_before:
                break
        if not clock.expired and (best.gap is None or best.gap > gap):
            self._complete(clock, gap, best)  # never stop with time left
        # less than the complete method needs left counts as the time limit
        best.stopped_by_time = clock.remaining() < MIN_SECONDS and (best.gap is None
                                                                   or best.gap > gap)
        best.stats = {**best.stats, **cg.stats, "pool": len(cg.pool),
                      "master_lp": float(cg.lp.value) if cg.lp else None, "trace": trace}
        return best

    def _complete(self, clock: Clock, gap: float, best: EngineResult) -> None:
        """The per-dish MILP for the rest of the clock, from the best cycle so far: a
        better cycle, a better bound, or the proof that no cycle exists."""
        done = complete_search(self.inst, self.mode, clock, gap, len(self.models),
                               best.objective, best.menus, best.portions)
        if done is None:
            return
        best.stats["complete_search"] = True
        if done.infeasible:
            best.status = "infeasible"
        if done.menus is not None and done.portions is not None:
            value = objective_of(self.inst, self.fe, self.mode, done.menus, done.portions)
            if best.objective is None or value < best.objective - 1e-9:
                best.menus, best.portions, best.objective = done.menus, done.portions, value
                best.status = "solved"
        if done.bound is not None and (best.lower_bound is None
                                       or done.bound > best.lower_bound):
            best.lower_bound = done.bound

    def _week_prices(self, mult: float) -> dict[str, float]:
        """Prices of the weekly targets in the week master, `mult` times the relaxation's.
        When the weeks are linked (caps over the cycle, distinct day menus), choosing
        again costs a whole cycle, so a target the relaxation does not price (it binds
        only once menus are fixed) gets a floor of a tenth of a day's worth per unit of
        relative shortfall."""
        prices = {k: mult * v for k, v in self.target_price.items()}
        if independent_weeks(self.fam, self.mode):
            return prices
        floor = 0.1 * day_scale(self.inst, self.mode)
        for _f, row in self.fam.week_rows:
            key = f"target_{row.name}"
            prices[key] = mult * max(abs(self.target_price.get(key, 0.0)), floor)
        return prices

    def _integer(self, cg: ColumnGeneration, clock: Clock, gap: float, best: EngineResult,
                 current: tuple[int, ...] | None) -> tuple[int, ...] | None:
        """Choose the cycle's menus from the pool week by week (or improve the current
        cycle with the new menus), then least-cost portions; keep it if it is the best
        so far. Weekly targets are soft in the master (priced at the relaxation's duals);
        when the portions cannot meet them, their price rises and the weeks are chosen
        again. Returns the pool indices of the best cycle so far."""
        rc = cg.reduced_costs()
        # every day menu must differ: the rotation needs the whole pool, not the cheapest
        top = len(rc) if self.fam.distinct_groups else CANDIDATES
        candidates = set(np.argsort(rc, kind="stable")[:top].tolist())
        if current is not None:
            candidates |= set(current)
        cands = sorted(candidates)
        for mult in TARGET_PRICE_STEPS:
            prices = self._week_prices(mult)
            choice = week_by_week(self.inst, self.fe, self.fam, cg.pool, cands, self.mode,
                                  clock.remaining(), gap / 4, prices, current,
                                  len(self.models))
            if choice.menus is None or choice.slack > SLACK_TOL:
                return current
            menus = [cg.pool[k] for k in choice.menus]
            portions = (column_portions(self.inst, self.fe, menus)
                        if self.mode is Mode.ELASTIC else optimize_portions(self.inst, menus))
            if portions is not None:
                value = objective_of(self.inst, self.fe, self.mode, menus, portions)
                if best.objective is None or value < best.objective - 1e-9:
                    best.menus, best.portions, best.objective = menus, portions, value
                    best.status = "solved"
                return choice.menus
            if clock.expired:
                break
        return current


def may_prove(cg: ColumnGeneration, best: EngineResult, gap: float) -> bool:
    """Whether a cycle built from the pool now could be within `gap` of the lower bound:
    always while there is no cycle yet; else only when the master LP (about the least a
    cycle from the pool costs; portions re-optimized can do a little better, hence the
    factor 2) is within twice the gap. Building cycles that cannot prove the gap only
    costs time while column generation still raises the bound or lowers the LP."""
    if best.objective is None or cg.lp is None or cg.lower_bound is None:
        return True
    return cg.lp.value - cg.lower_bound <= 2.0 * gap * abs(cg.lp.value)


def column_portions(inst: Instance, fe: Features,
                    menus: list[DayColumn]) -> list[GroupPortions]:
    """The menus' own portions (the elastic diagnosis keeps them as priced)."""
    out = []
    for g in range(len(inst.groups)):
        por = [[p[g] for p in col.portions] for col in menus]
        cost = sum(float(col.features[fe.cost[g]]) for col in menus)
        out.append(GroupPortions(cost, por, False))
    return out


def objective_of(inst: Instance, fe: Features, mode: Mode, menus: list[DayColumn],
                 portions: list[GroupPortions]) -> float:
    """The objective of a cycle with re-optimized portions, in the mode's units."""
    obj = fe.objective(inst, mode)
    total = sum(float(obj @ col.features) for col in menus)
    for g, gp in enumerate(portions):  # replace the menus' own portion costs
        weight = float(obj[fe.cost[g]])
        total += weight * (gp.cost - sum(float(col.features[fe.cost[g]]) for col in menus))
    if mode is Mode.VARIETY:
        used = {inst.placements[j].dish for col in menus for j, _ in col.listed}
        total -= inst.request.variety_weight * len(used)
    return total


def compact_infeasible(cg: ColumnGeneration, day: DayModel) -> bool:
    """Whether the relaxation itself cannot keep every rule (phase-1: slack only)."""
    return min_slack(cg.master, day, rules_only=cg.mode is Mode.ELASTIC) > SLACK_TOL
