"""The cycle check of the rule families: the same family objects that write the models'
rows (`families`) check a cycle of day menus, through a `families.CycleModel` that
records, in Spanish, what each rule finds broken. `plan_cycle` runs it on every cycle it
returns, beside the independent check on the recipes (`verify`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from menu_planner.domain import nutrient_label_es
from menu_planner.optimizer.day_model import DayColumn, DayModel
from menu_planner.optimizer.families import (
    DistinctDays,
    Families,
    NoConsecutive,
    WeeklyTarget,
    WeeksDiffer,
    served_key,
)
from menu_planner.optimizer.features import Features, Mode
from menu_planner.optimizer.highs_util import INF
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.portions import GroupPortions, served_groups

TOL = 1e-6


class CycleCheck:
    """A cycle (one column per day, features at the cycle's own portions) read as a
    model: each rule written into it is checked, and what breaks it is kept."""

    def __init__(self, inst: Instance, menus: Sequence[DayColumn]) -> None:
        self.inst, self.menus = inst, list(menus)
        self.F = np.stack([c.features for c in menus])  # day x feature
        D = inst.days_per_week
        self.weeks = [range((w - 1) * D, w * D) for w in range(1, inst.weeks + 1)]
        self.problems: list[str] = []

    def _sum(self, days: range | list[int], features: tuple[int, ...]) -> float:
        return float(self.F[np.ix_(list(days), list(features))].sum())

    def target(self, rule: WeeklyTarget) -> None:
        D, row = self.inst.days_per_week, rule.row
        for w, days in enumerate(self.weeks, start=1):
            total = self._sum(days, (rule.feature,))
            short = (D * row.rhs - total if row.bound == "min" else total - D * row.rhs)
            if short > TOL * max(1.0, abs(D * row.rhs)):
                what = row.rule_es or (f"{nutrient_label_es(row.target.nutrient)}, "
                                       f"{self.inst.groups[row.group].name_es}")
                self.problems.append(f"semana {w}: la meta semanal de {what} falla por "
                                     f"{short / D:.4g} por día")

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        spans = (list(enumerate(self.weeks, start=1)) if period == "week"
                 else [(0, range(self.inst.n_days))])
        for w, days in spans:
            n = self._sum(days, features)
            where = f"la semana {w}" if w else "el ciclo"
            what = label_es or name.replace("_", " ")
            if n > ub + TOL:
                self.problems.append(f"{what}: {n:g} días en {where}, a lo sumo {ub:g}")
            if lb > -INF and n < lb - TOL:
                self.problems.append(f"{what}: {n:g} días en {where}, al menos {lb:g}")

    def consecutive(self, rule: NoConsecutive) -> None:
        T = self.inst.n_days
        for t in range(T if T > 1 else 0):  # every pair, the week's and the cycle's ends too
            if self._sum([t], rule.features) > 0.5 and self._sum([(t + 1) % T],
                                                                 rule.features) > 0.5:
                self.problems.append(f"{rule.label_es}: días {t + 1} y {(t + 1) % T + 1}")

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        D, W = self.inst.days_per_week, self.inst.weeks
        for w1 in range(1, W + 1):
            for w2 in range(w1 + 1, W + 1):
                n = sum(1 for j in range(D) for _d, feats in rule.dishes
                        if self._sum([(w1 - 1) * D + j], feats) > 0.5
                        and self._sum([(w2 - 1) * D + j], feats) < 0.5)
                if n < rule.value:
                    self.problems.append(f"las semanas {w1} y {w2} difieren en {n} días "
                                         f"(se piden {rule.value})")

    def distinct(self, rule: DistinctDays) -> None:
        for g in rule.groups:
            seen: dict[frozenset[int], int] = {}
            for t, col in enumerate(self.menus):
                key = served_key(self.inst, col, g)
                if key in seen:
                    self.problems.append(f"{self.inst.groups[g].name_es}: los días "
                                         f"{seen[key] + 1} y {t + 1} tienen el mismo menú")
                seen.setdefault(key, t)

    def variety(self) -> None:
        """An objective, not a rule: nothing to check."""


def family_problems(inst: Instance, fe: Features, fam: Families, mode: Mode,
                    menus: list[DayColumn], portions: list[GroupPortions]) -> list[str]:
    """What the cycle of `menus` with `portions` breaks, rule family by rule family."""
    day = DayModel(inst, fe, mode)
    cols = []
    for t, col in enumerate(menus):
        served = served_groups(inst, col.listed)
        por = [[gp.portions[t][i] if g in served[i] else 0.0
                for g, gp in enumerate(portions)] for i in range(len(col.listed))]
        cols.append(day.column_at(col.listed, por))
    check = CycleCheck(inst, cols)
    fam.write(check, mode)
    return check.problems
