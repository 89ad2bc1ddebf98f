"""The optimizer's view of one planning request: dishes placed in slots, per-portion
nutrients and costs as arrays, targets as linear rows, pins and exclusions by day.

A food whose value of a nutrient is unknown (None) contributes nothing to that nutrient,
which is conservative for minimum targets. For a nutrient with a maximum target (e.g.
sodium) an unknown value could hide an excess. By default (`unknown_max="estimate"`) the
maximum rows then count the highest known value of that nutrient among foods of the same
food group (a conservative upper estimate, reported as a warning; the food table keeps
its ND). `"forbid"` keeps such dishes off the menu; `"allow"` counts them as 0 and reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from menu_planner.domain import (
    FAT_ENERGY_PCT,
    NATIONAL,
    AgeGroup,
    Dataset,
    Recipe,
    Target,
)
from menu_planner.domain.constants import KCAL_PER_G_FAT
from menu_planner.optimizer.quality_rows import (
    QualityRows,
    build_quality_rows,
    forbidden_by_group,
)
from menu_planner.optimizer.request import ALL_REGIONS, PlanRequest
from menu_planner.optimizer.rules import VarietyRule

FloatArray = np.ndarray


@dataclass(frozen=True)
class SlotComponent:
    """One meal-pattern line and the placements that may fill it."""

    slot: str
    component: str
    min_items: int
    max_items: int
    placements: tuple[int, ...]
    restricted: tuple[int, ...]  # groups that cannot eat every dish of this line


@dataclass(frozen=True)
class Placement:
    """A dish in a slot. As a base dish it is served to every group in `serves`; as a soft
    alternative, only to the groups in `alt_groups` that no base dish of its line suits."""

    index: int
    dish: int
    slot: str
    sc: int
    serves: tuple[int, ...]
    alt_groups: tuple[int, ...]


@dataclass(frozen=True)
class TargetRow:
    """A target of one age group as a linear row over portions: coef @ p >= rhs (min) or
    <= rhs (max), per day; `scale` turns a violation into a relative one."""

    name: str
    group: int
    target: Target
    bound: str
    coef: FloatArray
    rhs: float
    scale: float
    slot: str | None = None  # only the portions served in this slot count
    rule_es: str = ""  # set for a row of the quality standard (a rule, not a target)


@dataclass
class Instance:
    """Arrays and index sets the models are built from (dishes indexed 0..n-1)."""

    request: PlanRequest
    dataset: Dataset
    weeks: int
    days_per_week: int
    budget: float
    groups: tuple[AgeGroup, ...]
    weights: FloatArray
    dishes: tuple[Recipe, ...]
    placements: tuple[Placement, ...]
    slot_components: tuple[SlotComponent, ...]
    day_rows: tuple[TargetRow, ...]
    week_rows: tuple[TargetRow, ...]
    objective_region: str
    budget_regions: tuple[str, ...]
    cost: dict[str, FloatArray]  # region -> Q per reference portion of each dish
    acceptability: FloatArray
    nutrients: dict[str, FloatArray]  # nutrient -> amount per reference portion of each dish
    dish_foods: tuple[frozenset[str], ...]
    rules: tuple[VarietyRule, ...]
    quality: QualityRows = field(default_factory=QualityRows)
    forced: dict[int, tuple[int, ...]] = field(default_factory=dict)  # day -> placements
    forbidden: dict[int, frozenset[int]] = field(default_factory=dict)  # day -> dishes
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def n_days(self) -> int:
        """Service days in the cycle."""
        return self.weeks * self.days_per_week

    def day_index(self, week: int, weekday: int) -> int:
        """0-based day of (week, weekday), both from 1."""
        return (week - 1) * self.days_per_week + weekday - 1

    def day_kind(self, day: int) -> tuple[tuple[int, ...], frozenset[int]]:
        """(pinned placements, excluded dishes) of a 0-based day: days of one kind have
        the same possible menus."""
        return self.forced.get(day, ()), self.forbidden.get(day, frozenset())

    def week_of(self, day: int) -> int:
        """Cycle week (from 1) of a 0-based day."""
        return day // self.days_per_week + 1

    def weekday_of(self, day: int) -> int:
        """Weekday (from 1) of a 0-based day."""
        return day % self.days_per_week + 1

    @property
    def max_day_cost(self) -> float:
        """What the dearest possible day could cost one person (every line full of its
        dearest dish at the largest portion, at the dearest region)."""
        pmax = max(g.portion_max for g in self.groups)
        dearest = max(float(c.max(initial=0.0)) for c in self.cost.values())
        return pmax * dearest * sum(s.max_items for s in self.slot_components)

    @property
    def cost_obj(self) -> FloatArray:
        """Cost per reference portion at the objective's prices."""
        return self.cost[self.objective_region]

    def dish_index(self) -> dict[str, int]:
        """recipe_id -> dish index."""
        return {r.recipe_id: i for i, r in enumerate(self.dishes)}


def build_instance(dataset: Dataset, request: PlanRequest) -> Instance:
    """The instance of `request` on `dataset`; problems found are listed, not raised."""
    program = dataset.program(request.program)
    groups = dataset.age_groups_of(request.program)
    targets = dataset.targets_of(request.program)
    warnings: list[str] = []
    standard = request.quality.for_program(request.program)
    unsuitable = forbidden_by_group(dataset, standard, groups)

    def suits(r: Recipe, g: int) -> bool:
        return r.suits(groups[g]) and r.recipe_id not in unsuitable.get(g, ())

    excluded_all = {e.recipe_id for e in request.exclusions if not e.weeks}
    candidates = [r for r in dataset.recipes_of(request.program)
                  if r.recipe_id not in excluded_all
                  and any(suits(r, g) for g in range(len(groups)))]
    candidates = _screen_unknown(dataset, candidates, targets, request, warnings)
    dishes = tuple(candidates)
    regions = _regions(dataset, request)
    objective_region = NATIONAL if request.department == ALL_REGIONS else request.department
    cost = {r: _dish_costs(dataset, dishes, r) for r in dict.fromkeys((objective_region,
                                                                      *regions))}
    nutrient = _nutrient_matrix(dataset, dishes)
    upper = nutrient
    if request.unknown_max == "estimate":
        upper = _nutrient_matrix(dataset, dishes, _group_maxima(dataset))
    placements, scs = _placements(dataset, request.program, dishes, groups, suits)
    quality = build_quality_rows(dataset, request.program, standard, groups, dishes)
    day_rows, week_rows = _target_rows((*targets, *quality.energy_targets), groups,
                                       nutrient, upper)
    day_rows += tuple(TargetRow(f"quality_{q.name}", q.group,
                                Target(request.program, groups[q.group].age_group,
                                       "grams", q.min_grams, None, "day"),
                                "min", q.coef, q.min_grams, q.min_grams, q.slot, q.label_es)
                      for q in quality.gram_rows)
    acc = np.array([request.default_acceptability if r.acceptability is None
                    else r.acceptability for r in dishes])
    inst = Instance(
        request=request, dataset=dataset, weeks=request.weeks,
        days_per_week=program.service_days_per_week,
        budget=request.budget_q if request.budget_q is not None else program.daily_budget_q,
        groups=groups, weights=np.full(len(groups), 1.0 / len(groups)), dishes=dishes,
        placements=placements, slot_components=scs, day_rows=day_rows, week_rows=week_rows,
        objective_region=objective_region, budget_regions=regions, cost=cost,
        acceptability=acc, nutrients=nutrient,
        dish_foods=tuple(frozenset(i.food_id for i in r.ingredients) for r in dishes),
        rules=_with_quality(request.rules.for_program(request.program), quality),
        quality=quality, warnings=warnings,
    )
    from menu_planner.optimizer.checks import apply_pins_and_exclusions

    apply_pins_and_exclusions(inst)
    return inst


def _with_quality(rules: tuple[VarietyRule, ...],
                  quality: QualityRows) -> tuple[VarietyRule, ...]:
    """The variety rules plus the standard's caps, unless a rule as strict is there."""
    out = list(rules)
    for q in quality.variety_rules:
        same = [r for r in out if (r.rule, r.subject_kind, r.subject, r.slot) ==
                (q.rule, q.subject_kind, q.subject, q.slot)]
        if same and all(r.value <= q.value and r.scope == "todos" for r in same):
            continue
        out = [r for r in out if r not in same] + [q]
    return tuple(out)


def _regions(dataset: Dataset, request: PlanRequest) -> tuple[str, ...]:
    if request.department == ALL_REGIONS:
        return dataset.price_regions
    return (request.department,)


def _dish_costs(dataset: Dataset, dishes: tuple[Recipe, ...], region: str) -> FloatArray:
    return np.array([
        sum(i.grams * dataset.cost_per_edible_gram(i.food_id, region) for i in r.ingredients)
        for r in dishes
    ])


def _nutrient_matrix(dataset: Dataset, dishes: tuple[Recipe, ...],
                     fill: dict[tuple[str, str], float] | None = None) -> dict[str, FloatArray]:
    """nutrient -> amount per reference portion of each dish. An unknown value counts
    `fill[(food_group, nutrient)]` when given, else 0."""
    from menu_planner.domain import NUTRIENTS

    def value(food_id: str, n: str) -> float:
        food = dataset.foods[food_id]
        v = food.nutrients.get(n)
        if v is not None:
            return v
        if fill is None:
            return 0.0
        return fill.get((food.food_group, n), fill.get(("*", n), 0.0))

    out: dict[str, FloatArray] = {}
    for n in NUTRIENTS:
        out[n] = np.array([
            sum(i.grams * value(i.food_id, n) / 100.0 for i in r.ingredients)
            for r in dishes
        ])
    return out


def _group_maxima(dataset: Dataset) -> dict[tuple[str, str], float]:
    """(food_group, nutrient) -> the highest known value per 100 g among the group's foods:
    the conservative stand-in for an unknown value under a maximum target. `("*", n)` holds
    the highest over all foods, for a group that knows no value of n."""
    out: dict[tuple[str, str], float] = {}
    for food in dataset.foods.values():
        for n, v in food.nutrients.items():
            if v is not None:
                for key in ((food.food_group, n), ("*", n)):
                    out[key] = max(out.get(key, 0.0), v)
    return out


def _unsafe_nutrients(targets: tuple[Target, ...]) -> set[str]:
    """Nutrients for which an unknown value could hide a broken target."""
    out: set[str] = set()
    for t in targets:
        if t.nutrient == FAT_ENERGY_PCT:
            if t.max is not None:
                out.add("fat_g")
            if t.min is not None:
                out.add("energy_kcal")
        elif t.max is not None:
            out.add(t.nutrient)
    return out


def _screen_unknown(dataset: Dataset, recipes: list[Recipe], targets: tuple[Target, ...],
                    request: PlanRequest, warnings: list[str]) -> list[Recipe]:
    unsafe = _unsafe_nutrients(targets)
    flagged: dict[str, list[str]] = {}
    for r in recipes:
        for i in r.ingredients:
            for n in sorted(unsafe):
                if dataset.foods[i.food_id].nutrients.get(n) is None:
                    flagged.setdefault(r.recipe_id, []).append(f"{i.food_id} ({n})")
    if not flagged:
        return recipes
    listing = "; ".join(f"{rid}: {', '.join(sorted(set(v)))}"
                        for rid, v in sorted(flagged.items()))
    if request.unknown_max == "estimate":
        warnings.append(
            f"{len(flagged)} plato(s) tienen un ingrediente sin valor conocido de un nutriente "
            f"con meta máxima; para cumplir el tope se supone el valor más alto conocido de "
            f"su grupo de alimentos (estimación prudente): {listing}")
        return recipes
    if request.unknown_max == "forbid":
        warnings.append(
            f"{len(flagged)} plato(s) quedan fuera del menú porque un ingrediente no tiene "
            f"valor conocido de un nutriente con meta máxima (no se puede garantizar el "
            f"tope): {listing}")
        return [r for r in recipes if r.recipe_id not in flagged]
    warnings.append(
        f"{len(flagged)} plato(s) tienen un ingrediente sin valor conocido de un nutriente "
        f"con meta máxima; ese ingrediente se cuenta como 0 y el tope podría no cumplirse: "
        f"{listing}")
    return recipes


def _placements(dataset: Dataset, program: str, dishes: tuple[Recipe, ...],
                groups: tuple[AgeGroup, ...], suits: Callable[[Recipe, int], bool]
                ) -> tuple[tuple[Placement, ...], tuple[SlotComponent, ...]]:
    placements: list[Placement] = []
    scs: list[SlotComponent] = []
    for line in dataset.pattern_of(program):
        members = [d for d, r in enumerate(dishes)
                   if r.component == line.component and line.slot in r.slots]
        restricted = tuple(g for g in range(len(groups))
                           if not all(suits(dishes[d], g) for d in members))
        idx: list[int] = []
        for d in members:
            serves = tuple(g for g in range(len(groups)) if suits(dishes[d], g))
            alt = tuple(g for g in serves if g in restricted)
            idx.append(len(placements))
            placements.append(Placement(len(placements), d, line.slot, len(scs), serves, alt))
        scs.append(SlotComponent(line.slot, line.component, line.min_items, line.max_items,
                                 tuple(idx), restricted))
    return tuple(placements), tuple(scs)


def _target_rows(targets: tuple[Target, ...], groups: tuple[AgeGroup, ...],
                 nutrient: dict[str, FloatArray], upper: dict[str, FloatArray]
                 ) -> tuple[tuple[TargetRow, ...], tuple[TargetRow, ...]]:
    """Target rows: minimum rows count unknown values as 0; maximum rows use `upper`
    (the conservative estimate of unknown values, or the same matrix)."""
    gindex = {g.age_group: i for i, g in enumerate(groups)}
    energy_scale = {t.age_group: t.min or t.max or 1000.0 for t in targets
                    if t.nutrient == "energy_kcal"}
    day: list[TargetRow] = []
    week: list[TargetRow] = []
    for t in targets:
        g = gindex[t.age_group]
        for bound, limit in (("min", t.min), ("max", t.max)):
            if limit is None:
                continue
            name = f"{t.basis}_{t.age_group}_{t.nutrient}_{bound}"
            high, low = (upper, nutrient) if bound == "max" else (nutrient, upper)
            if t.nutrient == FAT_ENERGY_PCT:
                coef = KCAL_PER_G_FAT * high["fat_g"] - limit / 100.0 * low["energy_kcal"]
                scale = max(limit / 100.0 * energy_scale.get(t.age_group, 1000.0), 1.0)
                row = TargetRow(name, g, t, bound, coef, 0.0, scale)
            else:
                row = TargetRow(name, g, t, bound, high[t.nutrient], limit,
                                max(abs(limit), 1e-6))
            (day if t.basis == "day" else week).append(row)
    return tuple(day), tuple(week)
