"""The menu of one service day as a MILP: which dishes are listed in each slot (as base
dishes for everyone who may eat them, or as soft alternatives for an age group that may
not eat the base dishes), and how many reference portions each group is served.

This is the pricing problem of the decomposition: its objective is set from the master's
duals on every call; its constraints are the daily rules (meal pattern per person served,
daily targets, budget at every price region, food groups every day, dish repeats within a
day, pins and exclusions of the day). Built once per worker; only costs and bounds change
between calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from menu_planner.optimizer.features import Features, Mode, food_rule_foods
from menu_planner.optimizer.highs_util import INF, LinearModel
from menu_planner.optimizer.instance import Instance


@dataclass(frozen=True)
class DayColumn:
    """One day's menu: listed placements (index, is_alternative), portions per listed
    item and age group, its feature vector, and (elastic) the slack of each daily row."""

    listed: tuple[tuple[int, bool], ...]
    portions: tuple[tuple[float, ...], ...]
    features: np.ndarray
    slacks: tuple[float, ...] = ()

    @property
    def key(self) -> tuple[object, ...]:
        """Identity for de-duplication (portions rounded to 1e-6)."""
        return (self.listed, tuple(tuple(round(v, 6) for v in p) for p in self.portions))

    def valid_for(self, inst: Instance, day: int) -> bool:
        """Whether this menu respects the day's pins and exclusions."""
        return self.fits(inst, *inst.day_kind(day))

    def fits(self, inst: Instance, forced: tuple[int, ...], banned: frozenset[int]) -> bool:
        """Whether this menu lists every forced placement and no banned dish."""
        placed = {j for j, _ in self.listed}
        if any(j not in placed for j in forced):
            return False
        return not any(inst.placements[j].dish in banned for j in placed)


class DayModel:
    """The day MILP of an instance in a given mode, ready to be re-priced."""

    def __init__(self, inst: Instance, feats: Features, mode: Mode) -> None:
        self.inst, self.feats, self.mode = inst, feats, mode
        self.m = LinearModel()
        self.x: dict[int, int] = {}
        self.a: dict[int, int] = {}
        self.w: dict[tuple[int, int], int] = {}
        self.p: dict[tuple[int, int], int] = {}
        self.s: dict[int, int] = {}
        self.uf: dict[str, int] = {}
        self.y: dict[int, int] = {}  # quality indicator -> its 0/1 column
        self.listed_row: dict[int, int] = {}
        self._build()
        self.F = self._feature_matrix()
        self.binaries = sorted((*self.x.values(), *self.a.values()))

    # -- model: a table of contents -----------------------------------------------------
    def _build(self) -> None:
        self._add_listing_variables()
        self._add_portion_variables()
        self._add_meal_pattern_rows()
        self._add_alternative_rows()
        self._add_repeat_rows()
        self._add_target_rows()
        if self.mode is not Mode.BUDGET:
            self._add_budget_rows()
        self._add_food_group_rows()
        self._add_food_use_rows()
        self._add_indicator_rows()

    def _add_listing_variables(self) -> None:
        for pl in self.inst.placements:
            self.x[pl.index] = self.m.var(f"base_{pl.index}", 0, 1, integer=True)
            if pl.alt_groups:
                self.a[pl.index] = self.m.var(f"alt_{pl.index}", 0, 1, integer=True)
                for g in pl.alt_groups:
                    self.w[pl.index, g] = self.m.var(f"alt_served_{pl.index}_{g}", 0, 1)
            terms = [(self.x[pl.index], 1.0)]
            if pl.index in self.a:
                terms.append((self.a[pl.index], 1.0))
            self.listed_row[pl.index] = self.m.row(f"one_role_{pl.index}", terms, 0, 1)

    def _served(self, j: int, g: int) -> list[tuple[int, float]]:
        """Terms of 'placement j is served to group g' (0/1)."""
        pl = self.inst.placements[j]
        terms = [(self.x[j], 1.0)] if g in pl.serves else []
        if (j, g) in self.w:
            terms.append((self.w[j, g], 1.0))
        return terms

    def _add_portion_variables(self) -> None:
        for pl in self.inst.placements:
            for g in pl.serves:
                grp = self.inst.groups[g]
                col = self.m.var(f"portion_{pl.index}_{g}", 0, grp.portion_max)
                self.p[pl.index, g] = col
                served = self._served(pl.index, g)
                self.m.row(f"portion_max_{pl.index}_{g}",
                           [(col, 1.0)] + [(c, -grp.portion_max) for c, _ in served], ub=0)
                if grp.portion_min > 0:
                    self.m.row(f"portion_min_{pl.index}_{g}",
                               [(col, 1.0)] + [(c, -grp.portion_min) for c, _ in served], lb=0)

    def _add_meal_pattern_rows(self) -> None:
        """min_items..max_items dishes of each line per person served, and at most
        max_items base dishes listed."""
        for k, line in enumerate(self.inst.slot_components):
            self.m.row(f"listed_{k}", [(self.x[j], 1.0) for j in line.placements],
                       ub=line.max_items)
            for g in range(len(self.inst.groups)):
                terms = [t for j in line.placements for t in self._served(j, g)]
                self.m.row(f"pattern_{k}_{g}", terms, line.min_items, line.max_items)

    def _add_alternative_rows(self) -> None:
        """An alternative is served to exactly the groups of its line that no base dish
        suits, and to at least one group."""
        for k, line in enumerate(self.inst.slot_components):
            for j in line.placements:
                if j not in self.a:
                    continue
                pl = self.inst.placements[j]
                for g in pl.alt_groups:
                    base = [(self.x[i], 1.0) for i in line.placements
                            if g in self.inst.placements[i].serves]
                    wv = self.w[j, g]
                    self.m.row(f"alt_listed_{j}_{g}", [(wv, 1.0), (self.a[j], -1.0)], ub=0)
                    self.m.row(f"alt_only_short_{j}_{g}",
                               [(wv, float(line.max_items)), *base], ub=line.max_items)
                    self.m.row(f"alt_forced_{j}_{g}", [(wv, 1.0), (self.a[j], -1.0), *base],
                               lb=0)
                self.m.row(f"alt_serves_{j}_{k}",
                           [(self.a[j], 1.0)] + [(self.w[j, g], -1.0) for g in pl.alt_groups],
                           ub=0)

    def _add_repeat_rows(self) -> None:
        """Rules 'at most n per day' for a dish or every dish of a component."""
        inst = self.inst
        for r, rule in enumerate(inst.rules):
            if rule.period != "day":
                continue
            for d, recipe in enumerate(inst.dishes):
                covered = (rule.subject_kind == "dish" and rule.subject in ("*", recipe.recipe_id)
                           ) or (rule.subject_kind == "component"
                                 and rule.subject == recipe.component)
                if not covered:
                    continue
                terms = [(self.x[pl.index], 1.0) for pl in inst.placements if pl.dish == d]
                if rule.scope == "todos":
                    terms += [(self.a[pl.index], 1.0) for pl in inst.placements
                              if pl.dish == d and pl.index in self.a]
                if len(terms) > rule.value:
                    self.m.row(f"repeat_day_{r}_{d}", terms, ub=rule.value)

    def _portion_terms(self, g: int, coef: np.ndarray,
                       slot: str | None = None) -> list[tuple[int, float]]:
        pls = self.inst.placements
        return [(col, float(coef[pls[j].dish])) for (j, gg), col in self.p.items()
                if gg == g and (slot is None or pls[j].slot == slot)
                and coef[pls[j].dish] != 0]

    def _add_target_rows(self) -> None:
        elastic = self.mode is Mode.ELASTIC
        for r, row in enumerate(self.inst.day_rows):
            terms = self._portion_terms(row.group, row.coef, row.slot)
            if elastic:
                self.s[r] = self.m.var(f"short_{row.name}", 0, INF)
                terms.append((self.s[r], 1.0 if row.bound == "min" else -1.0))
            if row.bound == "min":
                self.m.row(row.name, terms, lb=row.rhs)
            else:
                self.m.row(row.name, terms, ub=row.rhs)

    def _add_budget_rows(self) -> None:
        for g, grp in enumerate(self.inst.groups):
            for region in self.inst.budget_regions:
                self.m.row(f"budget_{grp.age_group}_{region}",
                           self._portion_terms(g, self.inst.cost[region]), ub=self.inst.budget)

    def _add_food_group_rows(self) -> None:
        inst = self.inst
        for r, rule in enumerate(inst.rules):
            if rule.rule != "daily_food_group":
                continue
            counts = {d for d, recipe in enumerate(inst.dishes)
                      if sum(i.grams for i in recipe.ingredients
                             if inst.dataset.foods[i.food_id].food_group in rule.food_groups)
                      >= rule.min_grams}
            for g in range(len(inst.groups)):
                terms = [t for pl in inst.placements if pl.dish in counts
                         for t in self._served(pl.index, g)]
                self.m.row(f"food_group_{r}_{g}", terms, lb=rule.value)

    def _add_food_use_rows(self) -> None:
        for f in food_rule_foods(self.inst):
            self.uf[f] = self.m.var(f"food_used_{f}", 0, 1)
            for pl in self.inst.placements:
                if f in self.inst.dish_foods[pl.dish]:
                    terms = [(self.uf[f], 1.0), (self.x[pl.index], -1.0)]
                    if pl.index in self.a:
                        terms.append((self.a[pl.index], -1.0))
                    self.m.row(f"food_use_{f}_{pl.index}", terms, lb=0)

    def _add_indicator_rows(self) -> None:
        """Quality indicators: y = 1 only when the group is served at least min_grams
        of the foods (the day then counts for a weekly minimum or for diversity)."""
        q = self.inst.quality
        for k, ind in enumerate(q.indicators):
            self.y[k] = self.m.var(f"indicator_{ind.name}", 0, 1, integer=True)
            self.m.row(f"indicator_{ind.name}",
                       [*self._portion_terms(ind.group, ind.coef), (self.y[k], -ind.min_grams)],
                       lb=0)
        for div in q.diversity:
            self.m.row(f"diversity_{div.name}", [(self.y[k], 1.0) for k in div.indicators],
                       lb=div.at_least)

    # -- features ------------------------------------------------------------------------
    def _feature_matrix(self) -> np.ndarray:
        inst, fe = self.inst, self.feats
        F = np.zeros((fe.n, self.m.n_cols))
        for (j, g), col in self.p.items():
            d = inst.placements[j].dish
            F[fe.cost[g], col] = inst.cost_obj[d]
            for region in inst.budget_regions:
                F[fe.cost_region[g, region], col] = inst.cost[region][d]
            for r, row in enumerate(inst.week_rows):
                if row.group == g:
                    F[fe.week_row[r], col] = row.coef[d]
        for j, col in self.x.items():
            d = inst.placements[j].dish
            F[fe.base_used[d], col] = 1.0
            F[fe.acceptability, col] = inst.acceptability[d]
        for j, col in self.a.items():
            d = inst.placements[j].dish
            F[fe.alt_used[d], col] = 1.0
            F[fe.acceptability, col] = inst.acceptability[d]
        for f, col in self.uf.items():
            F[fe.food_used[f], col] = 1.0
        for r, col in self.s.items():
            F[fe.violation[r], col] = 1.0 / inst.day_rows[r].scale
        for k, col in self.y.items():
            F[fe.indicator[k], col] = 1.0
        for role, cols in ((0, self.x), (1, self.a)):
            for j, col in cols.items():
                pl = inst.placements[j]
                if (pl.slot, pl.dish) in fe.slot_used:
                    F[fe.slot_used[pl.slot, pl.dish][role], col] = 1.0
        return F

    def column_at(self, listed: tuple[tuple[int, bool], ...],
                  portions: list[list[float]]) -> DayColumn:
        """The column of a day menu with given portions (portions[i][g] of listed item i
        for group g, 0 when not served), e.g. a cycle's re-optimized portions."""
        v = np.zeros(self.m.n_cols)
        for i, (j, alt) in enumerate(listed):
            v[(self.a if alt else self.x)[j]] = 1.0
            for g, amount in enumerate(portions[i]):
                if (j, g) in self.p:
                    v[self.p[j, g]] = amount
                if alt and (j, g) in self.w and amount > 0:
                    v[self.w[j, g]] = 1.0
        return self.column_from(v)

    def column_from(self, values: np.ndarray) -> DayColumn:
        """A clean column from a MILP solution (binaries rounded, portions clipped)."""
        v = values.copy()
        for col in (*self.x.values(), *self.a.values(), *self.w.values(), *self.y.values()):
            v[col] = round(v[col])
        listed: list[tuple[int, bool]] = []
        for j in sorted(self.x):
            if v[self.x[j]] > 0.5:
                listed.append((j, False))
            elif j in self.a and v[self.a[j]] > 0.5:
                listed.append((j, True))
        portions = []
        for j, _ in listed:
            row = []
            for g, grp in enumerate(self.inst.groups):
                served = sum(v[c] for c, _ in self._served(j, g)) > 0.5 if (
                    (j, g) in self.p) else False
                val = min(max(v[self.p[j, g]], grp.portion_min), grp.portion_max) if served \
                    else 0.0
                if (j, g) in self.p:
                    v[self.p[j, g]] = val
                row.append(float(val))
            portions.append(tuple(row))
        placed = {jj for jj, _ in listed}
        for (j, _g), col in self.p.items():
            if j not in placed:
                v[col] = 0.0
        for f, col in self.uf.items():
            v[col] = float(any(f in self.inst.dish_foods[self.inst.placements[j].dish]
                               for j, _ in listed))
        # an indicator only ever helps (it enters minimum rows only): set it wherever the
        # portions serve enough, so menus that differ only in it are one menu, and that
        # one counts wherever it can (else the pool keeps a menu whose day could count
        # for a weekly minimum but does not, and column generation stalls on it)
        for k, ind in enumerate(self.inst.quality.indicators):
            grams = sum(c * v[col] for col, c in self._portion_terms(ind.group, ind.coef))
            v[self.y[k]] = 1.0 if grams >= ind.min_grams - 1e-9 else 0.0
        feats = self.F @ v
        feats[self.feats.one] = 1.0
        slacks = tuple(float(v[self.s[r]]) for r in sorted(self.s))
        return DayColumn(tuple(listed), tuple(portions), feats, slacks)
