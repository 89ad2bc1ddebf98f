"""Building the cycle one week at a time.

A week whose days share pins and exclusions (the usual case) is solved in two steps:
which five menus (`week_set`: an integer program over how many days use each candidate
menu, with the week's caps, its weekly targets and the cycle caps left by the other
weeks), then in which order (`order_week`: the first order, in a fixed enumeration, that
keeps dishes off consecutive days and the week different from the weeks already built).
Solving the set instead of the days removes the symmetry between interchangeable days,
which makes the program small and fast. If no order works, that set is cut off and the
program solved again; a week with pinned or excluded days is solved day by day.
"""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor

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
from menu_planner.optimizer.highs_util import INF, LinearModel, run
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.master_ip import SLACK_TOL, CycleChoice, solve_cycle_master
from menu_planner.optimizer.portions import week_cost

MAX_CUTS = 8
SET_GAP = 0.01
FAST_MIP: dict[str, bool] = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False,
                             "mip_allow_restart": False}
TOP_SETS = 2  # sets of the set program priced exactly, per kind of week and price level
JOINT_NODES = 200
PRICE_SPREAD = (1.0, 4.0)  # weekly-target price levels of the set program (cost mode)


class _WeekSet:
    """The set program of `weeks` (days uniform), the other days in `fixed`: how many
    days of each week every candidate menu fills. Several weeks are solved together when
    a cap spans the cycle (a week chosen alone could use up what later weeks need)."""

    def __init__(self, inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
                 candidates: list[int], mode: Mode, weeks: list[int], fixed: dict[int, int],
                 prices: dict[str, float]) -> None:
        self.inst, self.fe, self.fam, self.pool = inst, fe, fam, pool
        self.mode, self.weeks, self.fixed, self.prices = mode, weeks, fixed, prices
        D = inst.days_per_week
        self.penalty = 10.0 * day_scale(inst, mode)
        self.m = LinearModel()
        obj = fe.objective(inst, mode)
        kept = [k for k in candidates if pool[k].valid_for(inst, (weeks[0] - 1) * D)]
        self.F = (np.stack([pool[k].features for k in kept]) if kept
                  else np.zeros((0, fe.n)))  # candidate x feature
        upper = self._count_bounds()
        self.n = {w: [(self.m.var(f"days_{w}_{k}", 0, float(upper[i]),
                                  float(obj @ pool[k].features), integer=True), k)
                      for i, k in enumerate(kept)] for w in weeks}
        self.slacks: list[int] = []
        self.kept = kept
        for w in weeks:
            self.m.row(f"week_days_{w}", [(v, 1.0) for v, _ in self.n[w]], D, D)
        self.ahead = self._weeks_ahead()
        if self.ahead:
            self._add_rest(obj, kept, upper)
        fam.write(self, mode)

    def _weeks_ahead(self) -> int:
        """Weeks still to build after these (neither chosen here nor fixed), when the
        weeks are linked through cycle caps or distinct day menus; else 0."""
        if independent_weeks(self.fam, self.mode):
            return 0
        D = self.inst.days_per_week
        return sum(1 for w in range(1, self.inst.weeks + 1) if w not in self.weeks
                   and not all(t in self.fixed for t in range((w - 1) * D, w * D)))

    def _add_rest(self, obj: np.ndarray, kept: list[int], upper: np.ndarray) -> None:
        """The weeks ahead as one continuous block (key 0 of `n`): what these weeks take
        must leave them a choice that keeps the cycle's caps, distinct day menus and
        weekly minima (a relaxation, so it never forbids a set that could be completed;
        it steers the greedy weeks away from using up what later weeks need)."""
        D, ahead = self.inst.days_per_week, self.ahead
        self.n[0] = [(self.m.var(f"ahead_{k}", 0, float(upper[i]) * ahead,
                                 float(obj @ self.pool[k].features)), k)
                     for i, k in enumerate(kept)]
        self.m.row("ahead_days", [(v, 1.0) for v, _ in self.n[0]], D * ahead, D * ahead)

    def _count_bounds(self) -> np.ndarray:
        """The most days of a week each candidate can fill without breaking a cap on
        its own (1 for a menu with a dish capped once a week): the program is then mostly
        binary, which HiGHS solves about twice as fast."""
        D = self.inst.days_per_week
        upper = np.full(len(self.F), 1.0 if self.fam.distinct_groups else float(D))
        for cap in self.fam.caps:
            coef = self.F[:, list(cap.features)].sum(axis=1)
            limit = float(cap.value)
            if cap.period == "cycle":
                limit -= self._fixed(list(self.fixed), cap.features)
            hit = coef > 1e-9
            upper[hit] = np.minimum(upper[hit], np.floor(max(limit, 0.0) / coef[hit] + 1e-9))
        return upper

    def _terms(self, features: tuple[int, ...], weeks: list[int]) -> list[tuple[int, float]]:
        coef = self.F[:, list(features)].sum(axis=1)
        return [(v, float(c)) for w in weeks
                for (v, _), c in zip(self.n[w], coef, strict=True) if abs(c) > 1e-12]

    def _fixed(self, days: range | list[int], features: tuple[int, ...]) -> float:
        return float(sum(self.pool[self.fixed[t]].features[f] for t in days
                         if t in self.fixed for f in features))

    # -- the rules, as a families.CycleModel (consecutive days and weeks that differ are
    #    kept by the order of each week's menus, `order_week`) -----------------------------
    def target(self, rule: WeeklyTarget) -> None:
        D, f, row = self.inst.days_per_week, rule.feature, rule.row
        floor = 1e-3 * self.penalty
        for w in self.weeks:
            if self.mode is Mode.ELASTIC:
                cost = float(D)
            elif self.mode is Mode.VARIETY:  # points, not money: keep targets (nearly) hard
                cost = D * self.penalty
            else:
                price = abs(self.prices.get(f"target_{row.name}", 0.0))
                cost = max(D * row.scale * price, floor)
            s = self.m.var(f"short_{w}_{row.name}", 0, INF, cost)
            sign = 1.0 if row.bound == "min" else -1.0
            terms = [*self._terms((f,), [w]), (s, sign * D * row.scale)]
            if row.bound == "min":
                self.m.row(f"target_{w}_{row.name}", terms, lb=D * row.rhs)
            else:
                self.m.row(f"target_{w}_{row.name}", terms, ub=D * row.rhs)

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        """Each week chosen here (hard when several are, else with a slack that breaks
        the set); a rule over the cycle spans these weeks, the weeks ahead and what the
        fixed days already use; the weeks ahead only steer (their slack breaks nothing)."""
        D = self.inst.days_per_week
        if period == "cycle":
            spans = [self.weeks + ([0] if self.ahead else [])]
            done = self._fixed(list(self.fixed), features)
            lb, ub = lb - done, ub - done
        else:
            spans = [[w] for w in self.weeks]
        for weeks in spans:
            terms = self._terms(features, weeks)
            if lb == -INF and 0 not in weeks and sum(c for _, c in terms) * D <= ub:
                continue  # cannot bind
            self._bounded(f"{name}_{weeks[0]}", terms, lb, ub)
        if period == "week" and self.ahead:
            self._slack_row(f"ahead_{name}", self._terms(features, [0]), lb * self.ahead,
                            ub * self.ahead, breaks=False)

    def consecutive(self, rule: NoConsecutive) -> None:
        """Kept by the order of the week (`order_week`)."""

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        """Kept by the order of the week (`order_week`)."""

    def _bounded(self, name: str, terms: list[tuple[int, float]], lb: float,
                 ub: float) -> None:
        """A rule row: hard when several weeks are chosen together, else with a slack
        that marks the set as breaking a rule (as for caps)."""
        if len(self.weeks) > 1:
            self.m.row(name, terms, lb, ub)
            return
        self._slack_row(name, terms, lb, ub, breaks=True)

    def _slack_row(self, name: str, terms: list[tuple[int, float]], lb: float, ub: float,
                   breaks: bool) -> None:
        """A row with a priced slack; when `breaks`, any slack marks the set as breaking a
        rule (the weeks ahead only steer, so theirs does not)."""
        s = self.m.var(f"slack_{name}", 0, INF, self.penalty)
        if breaks:
            self.slacks.append(s)
        sign = 1.0 if lb > -INF else -1.0
        self.m.row(name, [*terms, (s, sign)], lb, ub)

    def distinct(self, rule: DistinctDays) -> None:
        """Every day menu at most once in the cycle (groups with `distinct_groups`)."""
        kept = self.kept
        used = set(self.fixed.values())
        index = {k: i for i, k in enumerate(kept)}
        for i, alike in enumerate(alike_menus(self.inst, self.fam, self.pool, kept)):
            members = [index[k] for k in alike]
            terms = [(self.n[w][m][0], 1.0) for w in self.n for m in members]
            limit = 0.0 if set(alike) & used else 1.0
            if len(terms) > limit:
                self._bounded(f"distinct_{i}", terms, -INF, limit)

    def variety(self) -> None:
        weight = self.inst.request.variety_weight
        for d in range(len(self.inst.dishes)):
            feats = (int(self.fe.base_used[d]), int(self.fe.alt_used[d]))
            terms = self._terms(feats, self.weeks)
            if terms and self._fixed(list(self.fixed), feats) < 0.5:
                used = self.m.var(f"used_{d}", 0, 1, -weight)
                self.m.row(f"variety_{d}", [(used, 1.0)] + [(v, -c) for v, c in terms], ub=0)

    def cut(self, chosen: dict[int, list[int]]) -> None:
        """Forbid this exact choice of menus (per week)."""
        terms = [(v, 1.0) for w, ks in chosen.items() for v, k in self.n[w] if k in ks]
        total = sum(len(ks) for ks in chosen.values())
        self.m.row(f"cut_{len(self.m.row_names)}", terms, ub=total - 1)

    def solve(self, time_limit: float, gap: float) -> tuple[dict[int, list[int]] | None, float]:
        """The best choice (a loose gap is enough: the best sets are priced exactly).
        Several weeks at once stop after `JOINT_NODES` nodes (a work limit, so the result
        does not depend on the machine) and branch without strong branching: their weeks
        are interchangeable, so proving the gap takes far longer than finding a good
        choice (measured on cadi with a cap of 2 per cycle on main dishes: the choice
        kept was found at the root, 1.8 s; strong branching then spent 6 s more)."""
        h = self.m.to_highs(mip_gap=max(gap, SET_GAP))
        for key, value in FAST_MIP.items():
            h.setOptionValue(key, value)
        if len(self.weeks) > 1:
            h.setOptionValue("mip_max_nodes", JOINT_NODES)
            h.setOptionValue("mip_pscost_minreliable", 0)  # no strong branching: 8 s -> 2 s
        out = run(h, time_limit, is_mip=True)
        if not out.has_solution:
            return None, float("inf")
        chosen = {w: [k for v, k in self.n[w] for _ in range(round(out.values[v]))]
                  for w in self.weeks}
        slack = float(sum(out.values[s] for s in self.slacks))
        return chosen, slack


def order_week(inst: Instance, fam: Families, pool: list[DayColumn], chosen: list[int],
               week: int, fixed: dict[int, int]) -> list[int] | None:
    """The first order of `chosen` (fixed enumeration) that keeps every dish off two
    consecutive days (with the fixed neighbours) and the week different from every
    fully fixed week; None when no order does."""
    D, T = inst.days_per_week, inst.n_days
    days = list(range((week - 1) * D, week * D))
    full = [w for w in range(1, inst.weeks + 1) if w != week
            and all(t in fixed for t in range((w - 1) * D, w * D))]
    for order in dict.fromkeys(itertools.permutations(sorted(chosen))):
        assign = {**fixed, **dict(zip(days, order, strict=True))}
        if _consecutive_ok(inst, fam, pool, assign, days, T, D) and all(
                _differ_ok(fam, pool, assign, week, w2, D) for w2 in full):
            return list(order)
    return None


def _consecutive_ok(inst: Instance, fam: Families, pool: list[DayColumn],
                    assign: dict[int, int], days: list[int], T: int, D: int) -> bool:
    pairs = {(t, (t + 1) % T) for t in days} | {((t - 1) % T, t) for t in days}
    for a, b in pairs:
        if a not in assign or b not in assign or T < 2:
            continue
        fa, fb = pool[assign[a]].features, pool[assign[b]].features
        for nc in fam.no_consecutive:
            if not nc.within_week and (a + 1) % D != 0:
                continue
            f = list(nc.features)
            if fa[f].sum() + fb[f].sum() > 1 + 1e-9:
                return False
    return True


def _differ_ok(fam: Families, pool: list[DayColumn], assign: dict[int, int], w1: int,
               w2: int, D: int) -> bool:
    for wd in fam.weeks_differ:
        n = 0
        for j in range(D):
            a = pool[assign[(w1 - 1) * D + j]].features
            b = pool[assign[(w2 - 1) * D + j]].features
            n += sum(1 for _, feats in wd.dishes
                     if a[list(feats)].sum() > 0.5 and b[list(feats)].sum() < 0.5)
        if n < wd.value:
            return False
    return True


def solve_week(inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
               candidates: list[int], mode: Mode, week: int, fixed: dict[int, int],
               prices: dict[str, float], time_limit: float, gap: float,
               cache: dict[object, list[tuple[float, list[int]]]] | None = None,
               workers: int = 1, by_day: bool = True) -> CycleChoice:
    """The best menus for one week given the other days in `fixed`.

    The set program prices the weekly targets only approximately, so its best few sets
    are priced exactly (least-cost portions of the week) and the cheapest that can be
    ordered is taken. When the weeks do not interact through their sets (no per-cycle
    cap, not the variety objective), those sets are the same for every week of a kind:
    `cache` keeps them and only the order is worked out again."""
    D = inst.days_per_week
    days = range((week - 1) * D, week * D)
    keys = {inst.day_kind(t) for t in days}
    deadline = time.perf_counter() + time_limit
    if len(keys) == 1:
        shared = cache is not None and independent_weeks(fam, mode)
        key = next(iter(keys))
        if shared and cache is not None and key in cache:
            ranked = cache[key]
        else:
            ranked = _ranked_sets(inst, fe, fam, pool, candidates, mode, week, fixed, prices,
                                  deadline, gap, workers)
            if shared and cache is not None:
                cache[key] = ranked
        for _, chosen in ranked:
            order = order_week(inst, fam, pool, chosen, week, fixed)
            if order is not None:
                menus = {**fixed, **dict(zip(days, order, strict=True))}
                return CycleChoice("feasible", tuple(menus[t] for t in sorted(menus)), None,
                                   None, 0.0)
        if not by_day:
            return CycleChoice("no_set", None, None, None, float("inf"))
    return solve_cycle_master(inst, fe, fam, pool, candidates, mode,
                              max(0.05, deadline - time.perf_counter()), gap, weeks=[week],
                              fixed=fixed, target_price=prices)


def _ranked_sets(inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
                 candidates: list[int], mode: Mode, week: int, fixed: dict[int, int],
                 prices: dict[str, float], deadline: float, gap: float, workers: int = 1
                 ) -> list[tuple[float, list[int]]]:
    """The best sets of the set program that keep every cap, cheapest true cost first.

    The program values a shortfall on a weekly target at the relaxation's price of the
    target (its marginal cost when every menu may change). Once the menus are fixed,
    making a shortfall up with larger portions usually costs more than that, so in cost
    mode the program is solved again with the targets priced `PRICE_SPREAD` times higher,
    and the best sets of both are priced exactly (least-cost portions of the week). The
    price levels are independent programs: with `workers` > 1 they run at once, and the
    result is the same as one after the other."""
    cost = mode is Mode.COST
    linked = not independent_weeks(fam, mode)  # each set program is far larger

    def level(spread: float) -> list[tuple[float | None, list[int]]]:
        ws = _WeekSet(inst, fe, fam, pool, candidates, mode, [week], fixed,
                      {k: spread * v for k, v in prices.items()})
        # only costs are estimated, not exact; linked weeks: one set, the rest is slow
        top = TOP_SETS if cost and not linked else 1
        found: list[tuple[float | None, list[int]]] = []
        for i in range(MAX_CUTS):
            if (i >= top or time.perf_counter() >= deadline) and any(
                    v is not None for v, _ in found):
                break
            got, slack = ws.solve(max(0.05, deadline - time.perf_counter()), gap)
            if got is None or slack > SLACK_TOL:
                break
            ws.cut(got)
            chosen = got[week]
            value = (week_cost(inst, [pool[k] for k in chosen]) if cost
                     else float(sum(fe.objective(inst, mode) @ pool[k].features
                                    for k in chosen)))
            found.append((value, chosen))
        return found

    spreads = PRICE_SPREAD if cost and not linked else (1.0,)
    if workers > 1 and len(spreads) > 1:
        with ThreadPoolExecutor(max_workers=min(workers, len(spreads))) as ex:
            levels = list(ex.map(level, spreads))
    else:
        levels = [level(s) for s in spreads]
    out: dict[tuple[int, ...], tuple[float, list[int]]] = {}
    for found in levels:
        for value, chosen in found:
            key = tuple(sorted(chosen))
            if value is not None and key not in out:
                out[key] = (value, chosen)
    return sorted(out.values(), key=lambda x: x[0])


def independent_weeks(fam: Families, mode: Mode) -> bool:
    """Whether a week's best set of menus does not depend on the other weeks' sets."""
    return (mode is not Mode.VARIETY and not fam.distinct_groups
            and not any(c.period == "cycle" for c in fam.caps))


def week_by_week(inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
                 candidates: list[int], mode: Mode, time_limit: float, gap: float,
                 prices: dict[str, float], current: tuple[int, ...] | None = None,
                 workers: int = 1) -> CycleChoice:
    """A cycle built one week at a time, each the best given the others: from scratch
    (each week given the weeks before it), or, given a `current` cycle, an improvement
    pass (each week re-chosen with the other weeks fixed; kept only when no rule is
    broken). `workers`: threads for the independent set programs of a week."""
    deadline = time.perf_counter() + time_limit
    D = inst.days_per_week
    # weeks that interact through their sets (caps over the cycle, the variety objective)
    # are first built greedily, failing fast; when that fails, all at once
    linked = current is None and not independent_weeks(fam, mode)
    if linked and fam.distinct_groups:  # measured on cadi: week by week ran out of menus
        # in week 3 or 4 every time (16-25 s), all weeks at once found a cycle in 7-8 s
        joint = _all_weeks_at_once(inst, fe, fam, pool, candidates, mode, prices,
                                   deadline, gap)
        return joint or CycleChoice("no_set", None, None, None, float("inf"))
    menus: dict[int, int] = dict(enumerate(current)) if current is not None else {}
    cache: dict[object, list[tuple[float, list[int]]]] = {}
    slack = 0.0
    for w in range(1, inst.weeks + 1):
        if time.perf_counter() >= deadline:  # keep to the time limit: a cycle being
            if current is None:  # built is not one yet; an improvement pass keeps the
                return CycleChoice("time_limit", None, None, None, float("inf"))
            break  # weeks it already improved
        others = {t: k for t, k in menus.items() if not (w - 1) * D <= t < w * D}
        got = solve_week(inst, fe, fam, pool, candidates, mode, w, others, prices,
                         max(0.05, deadline - time.perf_counter()), gap, cache, workers,
                         by_day=not linked)
        if got.menus is None or ((current is not None or linked) and got.slack > SLACK_TOL):
            if linked:
                joint = _all_weeks_at_once(inst, fe, fam, pool, candidates, mode, prices,
                                           deadline, gap)
                if joint is not None:
                    return joint
            if current is None:
                return CycleChoice(got.status, None, None, None, float("inf"))
            continue
        menus = dict(enumerate(got.menus))
        slack = slack + got.slack if current is None else 0.0
    ordered = tuple(menus[t] for t in sorted(menus))
    status = "feasible" if time.perf_counter() < deadline else "time_limit"
    return CycleChoice(status, ordered, None, None, slack if current is None else 0.0)


def _all_weeks_at_once(inst: Instance, fe: Features, fam: Families, pool: list[DayColumn],
                       candidates: list[int], mode: Mode, prices: dict[str, float],
                       deadline: float, gap: float) -> CycleChoice | None:
    """A cycle whose weeks' sets are chosen together (one set program over all weeks),
    then ordered week by week. Used when caps span the cycle and choosing the cheapest
    week first used up the dishes later weeks need (measured: with a cap of 2 per cycle on
    main dishes, weeks 5-6 came out short every time). None when the weeks are not
    uniform or no choice within `MAX_CUTS` can be ordered."""
    D = inst.days_per_week
    if len({inst.day_kind(t) for t in range(inst.n_days)}) != 1:
        return None
    weeks = list(range(1, inst.weeks + 1))
    ws = _WeekSet(inst, fe, fam, pool, candidates, mode, weeks, {}, prices)
    for _ in range(MAX_CUTS):
        if time.perf_counter() >= deadline:
            return None
        chosen, slack = ws.solve(max(0.05, deadline - time.perf_counter()), gap)
        if chosen is None or slack > SLACK_TOL:
            return None
        ws.cut(chosen)
        menus: dict[int, int] = {}
        for w in weeks:
            order = order_week(inst, fam, pool, chosen[w], w, menus)
            if order is None:
                break
            menus.update(zip(range((w - 1) * D, w * D), order, strict=True))
        else:
            status = "feasible" if time.perf_counter() < deadline else "time_limit"
            return CycleChoice(status, tuple(menus[t] for t in sorted(menus)), None, None,
                               0.0)
    return None
