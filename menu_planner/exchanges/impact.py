"""What a substitution does to the days of a cycle: each day holding a replaced food is
recomputed for every age group (grams of the day with the food swapped, then
`nutrition.totals_of_grams`, i.e. `nutrition.day_totals` on the changed recipes) and
checked against the day targets, the weekly averages and the daily budget per person.
Only checks that held before and fail after are reported (a breach).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from menu_planner.domain import Dataset, MenuCycle, MenuDay, Target, nutrient_label_es
from menu_planner.nutrition import (
    COST,
    TargetCheck,
    Totals,
    average,
    check_target,
    grams_of,
    meal_items,
)
from menu_planner.nutrition import totals_of_grams as _totals
from menu_planner.spanish import weekday_name

# food_id -> (replacement food_id, grams of replacement per gram of original)
Swaps = Mapping[str, tuple[str, float]]
BUDGET = "budget"
TARGET = "target"
# A replacement is flagged when it makes a day (or week) miss a target the base met by more
# than 2 % of the limit (a hair's miss is well inside the rounding of kitchen measures);
# any excess over the budget is flagged.
TOLERANCE = 0.02


@dataclass(frozen=True)
class Breach:
    """A target (or the budget) that a day, or a week's average, meets before the
    substitution and misses after it, for one person of `age_group`."""

    week: int
    weekday: int | None  # None: the weekly average
    age_group: str
    kind: str  # "target" | "budget"
    nutrient: str  # a nutrient, fat_energy_pct, or cost_q for the budget
    bound: str  # "min" | "max"
    limit: float
    before: float
    after: float
    group_name: str = ""  # the age group as people read it ("1 a 3 años")

    def message_es(self) -> str:
        """E.g. "semana 1, martes, 1 a 3 años: proteína 10.2 < mínimo 11.1"."""
        when = (f"semana {self.week}, {weekday_name(self.weekday)}"
                if self.weekday is not None else f"semana {self.week} (promedio)")
        if self.kind == BUDGET:
            what = f"costo Q{self.after:,.2f} > presupuesto Q{self.limit:,.2f}"
        else:
            sign, word = ("<", "mínimo") if self.bound == "min" else (">", "máximo")
            digits = 1 if round(self.after, 1) != round(self.limit, 1) else 2
            what = (f"{nutrient_label_es(self.nutrient)} {self.after:,.{digits}f} {sign} {word} "
                    f"{self.limit:,.{digits}f} (antes {self.before:,.{digits}f})")
        return f"{when}, {self.group_name or self.age_group}: {what}"


def swap_grams(grams: Mapping[str, float], swaps: Swaps) -> dict[str, float]:
    """Grams per food with every swapped food replaced by factor x its grams of the
    replacement (added to any grams of the replacement already there)."""
    out: dict[str, float] = {}
    for food_id, g in grams.items():
        if food_id in swaps:
            new_id, factor = swaps[food_id]
            out[new_id] = out.get(new_id, 0.0) + g * factor
        else:
            out[food_id] = out.get(food_id, 0.0) + g
    return out


class CycleImpact:
    """Day totals of a cycle computed once, so that many substitutions can be checked."""

    def __init__(
        self, dataset: Dataset, cycle: MenuCycle, region: str,
        days: Iterable[MenuDay] | None = None, budget_q: float | None = None,
        tolerance: float = TOLERANCE,
    ) -> None:
        self.dataset = dataset
        self.cycle = cycle
        self.region = region
        self.days = tuple(days) if days is not None else cycle.days
        self.budget_q = cycle.daily_budget_q if budget_q is None else budget_q
        self.groups = cycle.age_groups
        self.tolerance = tolerance
        self.grams: dict[tuple[int, int, str], dict[str, float]] = {}
        self.base: dict[tuple[int, int, str], Totals] = {}
        for d in self.days:
            for g in self.groups:
                key = (d.week, d.weekday, g)
                self.grams[key] = grams_of(dataset, meal_items(d.meals, g))
                self.base[key] = _totals(dataset, self.grams[key], region)
        self.targets = {g: dataset.targets_of(cycle.program, g) for g in self.groups}

    def days_with(self, food_ids: Iterable[str]) -> list[MenuDay]:
        """The days (of those checked) whose menu holds any of `food_ids`."""
        wanted = set(food_ids)
        return [d for d in self.days
                if any(wanted & set(self.grams[(d.week, d.weekday, g)]) for g in self.groups)]

    def totals_after(self, swaps: Swaps) -> dict[tuple[int, int, str], Totals]:
        """Day totals per (week, weekday, age group) after the swaps (unchanged days reuse
        the base totals)."""
        out = dict(self.base)
        for d in self.days_with(swaps):
            for g in self.groups:
                key = (d.week, d.weekday, g)
                if set(swaps) & set(self.grams[key]):
                    out[key] = _totals(self.dataset, swap_grams(self.grams[key], swaps),
                                       self.region)
        return out

    def breaches(self, swaps: Swaps) -> list[Breach]:
        """Every day target, weekly average and daily budget that the base met and the
        swaps break (targets: missed by more than `tolerance` of the limit)."""
        after = self.totals_after(swaps)
        changed = {k for k in after if after[k] is not self.base[k]}
        out: list[Breach] = []
        for key in sorted(changed):
            week, weekday, g = key
            for t in self._day_checks(g):
                out += _breach(t, self.base[key], after[key], week, weekday, g,
                               self.tolerance)
        for week in sorted({k[0] for k in changed}):
            for g in self.groups:
                keys = [(d.week, d.weekday, g) for d in self.days if d.week == week]
                if not any(k in changed for k in keys):
                    continue
                before = average(self.base[k] for k in keys)
                now = average(after[k] for k in keys)
                for t in self.targets[g]:
                    if t.basis == "week":
                        out += _breach(t, before, now, week, None, g, self.tolerance)
        names = {a.age_group: a.name_es for a in self.dataset.age_groups_of(self.cycle.program)}
        return [replace(b, group_name=names.get(b.age_group, "")) for b in out]

    def _day_checks(self, age_group: str) -> list[Target]:
        budget = Target(self.cycle.program, age_group, COST, None, self.budget_q, "day")
        return [*(t for t in self.targets[age_group] if t.basis == "day"), budget]


def _breach(
    t: Target, before: Totals, after: Totals, week: int, weekday: int | None, group: str,
    tolerance: float,
) -> list[Breach]:
    """A breach when the base met the limit and the swap misses it: for a target by more
    than `tolerance` (relative to the limit), for the budget by any amount."""
    old, new = check_target(before, t), check_target(after, t)
    kind = BUDGET if t.nutrient == COST else TARGET
    if new.ok or not old.ok:
        return []
    if kind == TARGET and _relative_miss(new) <= tolerance:
        return []
    bound = "min" if new.shortfall > 0 else "max"
    limit = t.min if bound == "min" else t.max
    assert limit is not None
    return [Breach(week, weekday, group, kind, t.nutrient, bound, limit, old.value, new.value)]


def _relative_miss(check: TargetCheck) -> float:
    limit = check.target.min if check.shortfall > 0 else check.target.max
    return (check.shortfall + check.excess) / max(abs(limit or 0.0), 1e-9)


def severity(breaches: Iterable[Breach]) -> float:
    """Sum of relative misses (shortfall or excess / limit): to rank what breaks least."""
    total = 0.0
    for b in breaches:
        miss = b.limit - b.after if b.bound == "min" else b.after - b.limit
        total += miss / max(abs(b.limit), 1e-9)
    return total
