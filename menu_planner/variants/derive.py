"""Deriving a subgroup's variant of an approved cycle: the same dishes where possible,
portions adjusted within the subgroup's range, dishes added or swapped only where needed
(one small model per day, `variants.model`). Reports what changed, what it costs and the
share of base dishes reused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from menu_planner.domain import (
    NATIONAL,
    Dataset,
    Meal,
    MenuCycle,
    MenuDay,
    MenuItem,
    Target,
    nutrient_label_es,
)
from menu_planner.nutrition import (
    COST,
    Totals,
    average,
    check_target,
    day_totals,
    grams_of,
    meal_items,
)
from menu_planner.variants.model import (
    DayInput,
    DayOutcome,
    DishVector,
    base_items,
    recipe_vector,
    solve_day,
)
from menu_planner.variants.report import Change, DayReport, VariantResult, describe_changes
from menu_planner.variants.special import (
    ADDED_SUGAR,
    ADDED_SUGAR_GROUPS,
    SubgroupTargets,
    added_sugar_g,
    load_special_rules,
    subgroup_targets,
)


def derive_variant(
    dataset: Dataset, cycle: MenuCycle, subgroup: str, *, data_dir: Path | None = None,
    special: SubgroupTargets | None = None, region: str | None = None,
    time_limit_s: float = 20.0, progress: Callable[[float, str], None] | None = None,
) -> VariantResult:
    """The variant of `cycle` for `subgroup` (special targets from `data_dir`, shipped
    data by default, unless `special` is given). Prices: `region` (the cycle's by default).
    `progress(fraction, message)` is called after each day. DataError when the subgroup
    has no special targets for the cycle's program."""
    region = region or cycle.price_region or NATIONAL
    if special is None:
        rules = load_special_rules(dataset, data_dir)
        special = subgroup_targets(dataset, rules, cycle.program, subgroup)
    ctx = _Context.build(dataset, cycle, special, region)
    reports: list[DayReport] = []
    days: list[MenuDay] = []
    for k, day in enumerate(cycle.days, start=1):
        outcome = solve_day(ctx.day_input(day, time_limit_s))
        new_day = _variant_day(day, outcome, ctx)
        days.append(new_day)
        reports.append(_day_report(day, new_day, outcome, ctx))
        if progress is not None:
            progress(k / len(cycle.days), f"Día {k} de {len(cycle.days)}")
    variant = replace(cycle, days=tuple(days), extra={})
    week_misses = _week_misses(ctx, cycle, variant)
    return VariantResult(cycle, variant, special, tuple(reports), tuple(week_misses), region)


@dataclass(frozen=True)
class _Context:
    dataset: Dataset
    cycle: MenuCycle
    special: SubgroupTargets
    region: str
    vectors: Mapping[str, DishVector]
    candidates: tuple[tuple[str, str, str], ...]
    pattern: Mapping[tuple[str, str], tuple[int, int]]
    averages: dict[tuple[int, str], Totals] = field(default_factory=dict)

    def group_name(self, age_group: str) -> str:
        """The age group as people read it ('1 a 3 años')."""
        names = {g.age_group: g.name_es for g in self.dataset.age_groups_of(self.cycle.program)}
        return names.get(age_group, age_group)

    @classmethod
    def build(cls, dataset: Dataset, cycle: MenuCycle, special: SubgroupTargets,
              region: str) -> _Context:
        keys = sorted({t.nutrient for t in special.targets} - {ADDED_SUGAR})
        recipes = {r.recipe_id: r for r in dataset.recipes_of(cycle.program)}
        recipes.update({i.recipe_id: dataset.recipes[i.recipe_id] for d in cycle.days
                        for m in d.meals for i in m.items})
        vectors = {rid: recipe_vector(dataset, r, keys, region, ADDED_SUGAR_GROUPS)
                   for rid, r in recipes.items()}
        capped = {t.nutrient for t in special.targets if t.max is not None}
        pattern = {(c.slot, c.component): (c.min_items, c.max_items)
                   for c in dataset.pattern_of(cycle.program)}
        cands = tuple(
            (slot, comp, r.recipe_id) for (slot, comp) in pattern
            for r in dataset.recipes_of(cycle.program)
            if slot in r.slots and r.component == comp and not (vectors[r.recipe_id].unknown
                                                                  & capped))
        return cls(dataset, cycle, special, region, vectors, cands, pattern)

    def day_input(self, day: MenuDay, time_limit_s: float) -> DayInput:
        present = {i.recipe_id for m in day.meals for i in m.items}
        groups = self.cycle.age_groups
        floors: dict[str, dict[str, tuple[float, float]]] = {}
        for g in groups:
            base = day_totals(self.dataset, day, g, self.region)
            for t in self.special.of(g):
                if t.basis != "week" or not t.min or base.values.get(t.nutrient, 0.0) <= 0:
                    continue
                # each day may give up the week's surplus over the minimum: if every day
                # keeps its floor, the weekly average still meets the target
                surplus = max(0.0, self.week_average(day.week, g, t.nutrient) - t.min)
                floor = base.values[t.nutrient] - surplus
                if floor > 0:
                    floors.setdefault(g, {})[t.nutrient] = (floor, t.min)
        by_id = {g.age_group: g for g in self.dataset.age_groups_of(self.cycle.program)}
        rids = present | {r for _, _, r in self.candidates}
        return DayInput(
            day=day, groups=groups,
            targets={g: tuple(t for t in self.special.of(g) if t.basis == "day")
                     for g in groups},
            week_floors=floors, ranges=self.special.portion_ranges,
            budget_q=self.cycle.daily_budget_q, vectors=self.vectors,
            candidates=tuple(c for c in self.candidates if c[2] not in present),
            pattern=self.pattern,
            component_of={r: self.dataset.recipes[r].component for r in rids},
            suits={(r, g): self.dataset.recipes[r].suits(by_id[g]) for r in rids
                   for g in groups},
            time_limit_s=time_limit_s,
        )

    def week_average(self, week: int, age_group: str, nutrient: str) -> float:
        """The base cycle's average of `nutrient` over the service days of `week`."""
        key = (week, age_group)
        if key not in self.averages:
            self.averages[key] = average(day_totals(self.dataset, d, age_group, self.region)
                                         for d in self.cycle.days_of_week(week))
        return self.averages[key].values[nutrient]

    def totals(self, day: MenuDay, age_group: str) -> Totals:
        """Day totals with added sugar (grams of foods of the group azucares)."""
        t = day_totals(self.dataset, day, age_group, self.region)
        grams = grams_of(self.dataset, meal_items(day.meals, age_group))
        return Totals({**t.values, ADDED_SUGAR: added_sugar_g(self.dataset, grams)}, t.unknown)

    def day_checks(self, age_group: str) -> list[Target]:
        budget = Target(self.cycle.program, age_group, COST, None, self.cycle.daily_budget_q,
                        "day")
        return [*(t for t in self.special.of(age_group) if t.basis == "day"), budget]


def _variant_day(day: MenuDay, outcome: DayOutcome, ctx: _Context) -> MenuDay:
    """The day with the chosen portions, removed dishes dropped, added dishes appended to
    their meal, and totals recomputed."""
    meals: dict[str, list[MenuItem]] = {m.slot: [] for m in day.meals}
    for (slot, rid, _), portions in zip(base_items(day), outcome.kept, strict=True):
        if portions is not None:
            meals[slot].append(MenuItem(rid, dict(portions)))
    for slot, rid, portions in outcome.added:
        full = {g: portions.get(g, 0.0) for g in ctx.cycle.age_groups}
        meals.setdefault(slot, []).append(MenuItem(rid, full))
    order = [m.slot for m in day.meals] + [s for s in meals if s not in
                                           {m.slot for m in day.meals}]
    new = MenuDay(day.week, day.weekday, tuple(Meal(s, tuple(meals[s])) for s in order))
    totals = {g: _rounded(ctx.totals(new, g)) for g in ctx.cycle.age_groups}
    return replace(new, totals=totals)


def _rounded(t: Totals) -> dict[str, float]:
    return {k: round(v, 4) for k, v in t.values.items()}


def _misses(ctx: _Context, day: MenuDay, age_group: str) -> list[str]:
    totals = ctx.totals(day, age_group)
    out = []
    for t in ctx.day_checks(age_group):
        if t.nutrient not in totals.values:
            continue
        c = check_target(totals, t, tolerance=1e-4)
        if not c.ok:
            out.append(_miss_text(t, c.value, ctx.group_name(age_group)))
    return out


def _miss_text(t: Target, value: float, age_group: str) -> str:
    name = "costo (Q)" if t.nutrient == COST else nutrient_label_es(t.nutrient)
    if t.min is not None and value < t.min:
        return f"{age_group}: {name} {value:,.1f} < mínimo {t.min:,.1f}"
    return f"{age_group}: {name} {value:,.1f} > máximo {t.max or 0:,.1f}"


def _day_report(base: MenuDay, new: MenuDay, outcome: DayOutcome, ctx: _Context) -> DayReport:
    changes: list[Change] = describe_changes(base, outcome, ctx.cycle.age_groups,
                                             ctx.dataset)
    kept = sum(1 for p in outcome.kept if p is not None)
    cost = {g: (round(ctx.totals(base, g).values[COST], 4),
                round(ctx.totals(new, g).values[COST], 4)) for g in ctx.cycle.age_groups}
    misses = [m for g in ctx.cycle.age_groups for m in _misses(ctx, new, g)]
    return DayReport(base.week, base.weekday, outcome.status, kept, len(outcome.kept),
                     tuple(changes), cost, tuple(misses), outcome.gap)


def _week_misses(ctx: _Context, base: MenuCycle, variant: MenuCycle) -> list[str]:
    """Weekly averages of the variant that miss a weekly target the base met."""
    out = []
    for week in sorted({d.week for d in variant.days}):
        for g in variant.age_groups:
            now = average(ctx.totals(d, g) for d in variant.days_of_week(week))
            before = average(ctx.totals(d, g) for d in base.days_of_week(week))
            for t in ctx.special.of(g):
                if t.basis != "week" or t.nutrient not in now.values:
                    continue
                c = check_target(now, t, tolerance=1e-4)
                if not c.ok and check_target(before, t, tolerance=1e-4).ok:
                    out.append(f"semana {week} (promedio), "
                               f"{_miss_text(t, c.value, ctx.group_name(g))}")
    return out
