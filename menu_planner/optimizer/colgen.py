"""Column generation: fill a pool of day menus that the integer master combines, and
keep the best valid lower bound met on the way.

1. `seed_at_prices`: the compact LP's value is the first lower bound and its prices the
   stability center; `walk` seeds the pool with menus at those prices, banning the
   rotating dishes (capped once a week) of each menu for the next, so the pool has the
   variety whole weeks need.
2. `run`: rounds on the aggregated master LP. Each round prices every class on a core of
   dishes at prices smoothed toward the center (Wentges); when that finds nothing even
   unsmoothed, on the whole day model. When the whole-model search proves a bound on the
   least reduced cost of every class (whether or not it found improving menus), those
   bounds give the Lagrangian bound
       LB = z_LP + sum over classes c of n_c * min(0, bound on least reduced cost of c),
   valid for the whole cycle problem. Rounds stop when z_LP is within tolerance of the
   best bound, when nothing improving is found, after a number of rounds (a work limit),
   or when the clock runs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from menu_planner.optimizer.compact_lp import CompactSolution
from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.families import CountCap, Families
from menu_planner.optimizer.features import Features, Mode, day_scale
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.master_lp import AggregateMaster, LpSolution
from menu_planner.optimizer.pricing import RC_TOL, DayClass, Priced, Pricer, day_classes

T = TypeVar("T")
ProgressFn = Callable[[float, str], None]
CORE_PER_LINE = 2  # dishes of least reduced cost kept per meal line in core pricing
SEED_WALK = 6  # seed menus per walk (each bans the rotating dishes of the last)
SMOOTHING = 0.8  # weight of the compact LP prices in the pricing prices at first
EXACT_CAP = 2.0  # seconds for the whole-model pricing when the core pricing finds nothing
JITTER = 3e-4  # random dish-price noise (x day scale) that varies the second core


@dataclass
class Clock:
    """Wall-clock budget of one planning run."""

    limit: float
    start: float = field(default_factory=time.perf_counter)

    def elapsed(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.start

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.limit - self.elapsed())

    @property
    def expired(self) -> bool:
        """Whether the budget is spent."""
        return self.remaining() <= 0.0


class ColumnGeneration:
    """The pool of day menus, the aggregated master and the pricers (one per worker)."""

    def __init__(self, inst: Instance, fe: Features, fam: Families, mode: Mode,
                 pricers: list[Pricer], clock: Clock) -> None:
        self.inst, self.fe, self.fam, self.mode = inst, fe, fam, mode
        self.pricers, self.clock = pricers, clock
        self.classes: tuple[DayClass, ...] = day_classes(inst)
        self.master = AggregateMaster(inst, fe, fam, self.classes, mode)
        self.seen: set[tuple[object, ...]] = set()
        self.lower_bound: float | None = None
        self.lp: LpSolution | None = None
        self.converged = False
        self.center: list[np.ndarray] | None = None  # stability center: compact LP prices
        self.alpha = SMOOTHING
        self.stats: dict[str, float] = {"rounds": 0, "pricings": 0, "columns": 0}

    @property
    def pool(self) -> list[DayColumn]:
        """Every day menu generated so far."""
        return self.master.columns

    def _map(self, work: Callable[[Pricer, int], T], items: int) -> list[T]:
        """work(pricer, i) for i in range(items); item i always runs on pricer i % n, in
        order, so results never depend on thread timing."""
        n = len(self.pricers)
        if n == 1 or items <= 1:
            return [work(self.pricers[0], i) for i in range(items)]

        def lane(w: int) -> list[tuple[int, T]]:
            return [(i, work(self.pricers[w], i)) for i in range(w, items, n)]

        with ThreadPoolExecutor(max_workers=n) as pool:
            parts = list(pool.map(lane, range(min(n, items))))
        return [r for _, r in sorted((x for part in parts for x in part), key=lambda x: x[0])]

    def add(self, column: DayColumn) -> bool:
        """Add a menu to the pool (and master) unless already there."""
        if column.key in self.seen:
            return False
        self.seen.add(column.key)
        self.master.add(column)
        self.stats["columns"] += 1
        return True

    def _raise_bound(self, lb: float | None) -> None:
        if lb is not None and (self.lower_bound is None or lb > self.lower_bound):
            self.lower_bound = lb

    # -- seeding ------------------------------------------------------------------------
    def _rotating_dishes(self) -> set[int]:
        """Dishes that must rotate: capped at one day a week (e.g. main dishes); when every
        day menu must differ, also those capped at a few days of the whole cycle (at most
        half its weeks), as base or as alternative."""
        distinct = bool(self.fam.distinct_groups)
        half = max(1, self.inst.weeks // 2)
        def tight(cap: CountCap) -> bool:
            return cap.value <= 1 if cap.period == "week" else distinct and cap.value <= half

        feats = {f for cap in self.fam.caps if tight(cap) for f in cap.features}
        if not distinct:
            return {d for d in range(len(self.inst.dishes)) if self.fe.base_used[d] in feats}
        return {d for d in range(len(self.inst.dishes))
                if {int(self.fe.base_used[d]), int(self.fe.alt_used[d])} & feats
                or any(f in feats for (_s, dd), fs in self.fe.slot_used.items() if dd == d
                       for f in fs)}

    def seed_at_prices(self, compact: CompactSolution) -> bool:
        """Seed the pool at the compact LP's prices (and keep them as the stability
        center); False when some class has no possible day menu at all."""
        self._raise_bound(compact.value)
        self.center = []
        for v in compact.class_values:
            phi = compact.phi.copy()
            phi[0] = -v
            self.center.append(phi)
        self.walk(self.walk_length(), 0)
        if self.fam.floors:  # menus that count towards the weekly minima (meat days...)
            self.walk(self.walk_length(), 1, favour=[fl.feature for fl in self.fam.floors])
        return self.ensure_each_class()

    def walk_length(self) -> int:
        """Menus per walk: enough for half the cycle when every day menu must differ
        (two walks then cover the cycle with each rotating dish at most twice)."""
        if self.fam.distinct_groups:
            return max(SEED_WALK, (self.inst.n_days + 1) // 2)
        return SEED_WALK

    def walk(self, length: int, seed: int, favour: list[int] | None = None) -> int:
        """For each class, a walk of core pricings at the stability center's prices where
        the rotating dishes (capped once a week) of every menu found are banned for the
        next one: the pool then covers the variety that the caps demand, which the
        relaxation alone does not ask for. Features in `favour` (the weekly minima's
        indicators) earn a day's worth each, so that walk finds menus that keep them.
        Returns how many menus were new."""
        assert self.center is not None
        rotating = self._rotating_dishes()
        distinct = bool(self.fam.distinct_groups)  # every group's menus rotate
        lanes = max(1, len(self.pricers) // len(self.classes))
        jobs = [(c, lane) for c in range(len(self.classes)) for lane in range(lanes)]
        center = self.center

        def work(p: Pricer, i: int) -> list[DayColumn]:
            c, lane = jobs[i]
            phi = center[c].copy()
            phi[0] = -1e12  # any menu will do; the best first
            for f in favour or ():
                phi[f] -= day_scale(self.inst, self.mode)
            cls, out = self.classes[c], []
            banned = set(cls.banned)
            for step in range(length):
                if self.clock.expired:
                    break
                at = DayClass(cls.forced, frozenset(banned), cls.days)
                jitter = self._jitter(c, lane + seed + step) if lane + seed else None
                pr = p.core(phi, at, CORE_PER_LINE + 1, self.clock.remaining(), jitter)
                if not pr.columns:
                    break
                col = pr.columns[0]
                out.append(col)
                banned |= {self.inst.placements[j].dish for j, alt in col.listed
                           if self.inst.placements[j].dish in rotating
                           and j not in cls.forced and (distinct or not alt)}
            return out

        new = 0
        for cols in self._map(work, len(jobs)):
            for col in cols:
                new += self.add(col)
        self.stats["pricings"] += new
        return new

    def ensure_each_class(self) -> bool:
        """Make sure every class has at least one menu; False when one has none."""
        base = self.fe.objective(self.inst, self.mode)
        base[0] = -1e12  # accept any menu
        missing = [c for c, cls in enumerate(self.classes)
                   if not any(col.fits(self.inst, cls.forced, cls.banned) for col in self.pool)]
        found = self._map(lambda p, i: p.exact(base, self.classes[missing[i]],
                                               self.clock.remaining(), first_only=True),
                          len(missing))
        ok = True
        for pr in found:
            if pr.columns:
                self.add(pr.columns[0])
            else:
                ok = False
        return ok

    # -- rounds -------------------------------------------------------------------------
    def run(self, tolerance: float, max_rounds: int,
            progress: ProgressFn | None = None) -> None:
        """Column-generation rounds until converged, within tolerance of the lower bound,
        after `max_rounds` rounds (a work limit, so results do not depend on the
        machine's speed) or when the clock runs out."""
        for _ in range(max_rounds):
            self.lp = self.master.solve()
            self.stats["rounds"] += 1
            lb = self.lower_bound
            if lb is not None and self.lp.value - lb <= tolerance * abs(self.lp.value):
                return
            if self.clock.expired:
                return
            round_lb, added = self._pricing_round(self.lp)
            self._raise_bound(round_lb)
            if progress is not None:
                progress(min(0.5, 0.5 * self.clock.elapsed() / max(self.clock.limit, 1e-9)),
                         f"Generando menús diarios: {len(self.pool)} menús")
            if not added:
                self.converged = round_lb is not None
                break
        self.lp = self.master.solve()

    def fill_days(self) -> int:
        """When every day menu must differ, a menu fills one day at most, and pricing at
        the master's prices can keep finding menus already in the pool. While the master
        still needs slack, add for each class the best menu that is none of the pool's
        (no-good rows in the pricing program). Returns how many menus were new."""
        if not self.fam.distinct_groups:
            return 0
        new = 0
        for _ in range(self.inst.n_days):
            self.lp = self.master.solve()
            if self.lp.slack <= 1e-6 or self.clock.expired:
                break
            lp = self.lp

            def work(p: Pricer, c: int, lp: LpSolution = lp) -> list[DayColumn]:
                cls = self.classes[c]
                phi = lp.phi_for(c)
                phi[0] = -1e12  # any menu will do; the best first
                menus = [col for col in self.pool if col.fits(self.inst, cls.forced,
                                                              cls.banned)]
                return list(p.different(phi, cls, menus, self.clock.remaining()).columns[:1])

            added = sum(self.add(col) for cols in self._map(work, len(self.classes))
                        for col in cols)
            self.stats["pricings"] += len(self.classes)
            if not added:
                break
            new += added
        return new

    def _jitter(self, c: int, lane: int) -> np.ndarray | None:
        """Small random noise on dish prices (seeded: deterministic) for a second menu."""
        if lane == 0:
            return None
        rng = np.random.default_rng([int(self.stats["rounds"]), c, lane])
        out = np.zeros(self.fe.n)
        out[self.fe.base_used] = JITTER * day_scale(self.inst, self.mode) * rng.random(
            len(self.fe.base_used))
        return out

    def _smoothed(self, lp: LpSolution, c: int) -> np.ndarray:
        """Prices between the stability center and the master's duals (Wentges)."""
        phi = lp.phi_for(c)
        if self.center is None or self.alpha == 0.0:
            return phi
        return self.alpha * self.center[c] + (1.0 - self.alpha) * phi

    def _pricing_round(self, lp: LpSolution) -> tuple[float | None, bool]:
        """Price every class on a core of dishes (fast; with two workers, two cores per
        class), at prices smoothed toward the stability center; when that finds nothing
        even unsmoothed, on the whole day model, stopping at the first improving menu
        (capped at EXACT_CAP seconds). When that search proves a bound on the least
        reduced cost of every class (improving menus found or not), those bounds give a
        Lagrangian bound (else None)."""
        found_any: set[int] = set()
        classes = list(range(len(self.classes)))
        lanes = max(1, len(self.pricers) // max(1, len(classes)))
        jobs = [(c, lane) for c in classes for lane in range(lanes)]
        while True:
            prices = [self._smoothed(lp, c) for c in classes]

            def work(p: Pricer, i: int, prices: list[np.ndarray] = prices) -> Priced:
                c, lane = jobs[i]
                return p.core(prices[c], self.classes[c], CORE_PER_LINE,
                              self.clock.remaining(), self._jitter(c, lane))

            answers = self._map(work, len(jobs))
            self.stats["pricings"] += len(jobs)
            for (c, _), pr in zip(jobs, answers, strict=True):
                for col in pr.columns:
                    improving = float(col.features @ lp.phi_for(c)) < -RC_TOL
                    if self.add(col) and improving:
                        found_any.add(c)
            if found_any:
                return None, True
            if self.alpha == 0.0:
                break
            self.alpha = self.alpha / 2 if self.alpha > 0.05 else 0.0  # mispricing
        answers = self._map(
            lambda p, c: p.exact(lp.phi_for(c), self.classes[c],
                                 min(EXACT_CAP, self.clock.remaining()), first_only=True),
            len(classes))
        self.stats["pricings"] += len(classes)
        bounds: list[float | None] = []
        for c, pr in enumerate(answers):
            for col in pr.columns:
                if self.add(col):
                    found_any.add(c)
            bounds.append(pr.bound)
        if any(b is None for b in bounds):
            return None, bool(found_any)
        # every class has a proven bound on its least reduced cost (whether or not an
        # improving menu was found): a Lagrangian bound
        lb = lp.value + sum(len(self.classes[c].days) * min(0.0, b or 0.0)
                            for c, b in enumerate(bounds))
        return lb, bool(found_any)

    def reduced_costs(self) -> np.ndarray:
        """Least reduced cost of each pool menu over the classes it fits, at the last
        master duals (+inf where it fits none)."""
        assert self.lp is not None
        out = np.full(len(self.pool), np.inf)
        for c, cls in enumerate(self.classes):
            phi = self.lp.phi_for(c)
            for k, col in enumerate(self.pool):
                if col.fits(self.inst, cls.forced, cls.banned):
                    out[k] = min(out[k], float(col.features @ phi))
        return out
