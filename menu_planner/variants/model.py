"""The per-day model that turns a base day into a subgroup's day with as few changes as
possible (PuLP, solved with HiGHS; the status is read from HiGHS itself).

Variables (one day): `keep[i]` (binary) for each base dish; `step[i,g]` (integer) moves the
portion of a kept dish for age group g by steps of `PORTION_STEP`; `add[j]` (binary) for a
dish that may join a meal (its slot and component fit the meal pattern) and `units[j,g]`
(integer) its portion in steps. Portions stay in the subgroup's range.
Constraints: meal pattern counts per slot and component; each day target of the subgroup
(elastic); the daily budget per person (elastic); a nutrient with a weekly minimum stays
above the day's floor: the base day's value less the week's surplus over the minimum, so
that days keeping their floors keep the weekly average (elastic; checked afterwards).
Objective: misses of targets (heaviest) + budget excess + swaps and additions (heavy)
+ portion changes (light) + cost (tie-break).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulp

from menu_planner.domain import FAT_ENERGY_PCT, Dataset, MenuDay, Recipe, Target
from menu_planner.domain.constants import KCAL_PER_G_FAT

PORTION_STEP = 0.05
MIP_GAP = 1e-3  # stop when proven within 0.1 % of the fewest changes (far below one step)
W_TARGET = 1_000_000.0  # per 100 % of a day target missed: even 0.01 % (the check's
#   tolerance) then costs more than 10 swaps, so a day misses only when nothing else works
W_BUDGET = 1_000_000.0  # per 100 % of the budget exceeded
W_WEEK = 1_000_000.0  # per 100 % of a weekly target's minimum below the day's floor
W_SWAP = 10.0  # per dish removed or added
W_SERVE = 5.0  # per kept dish served to an age group the base day did not serve it to
W_PORTION = 1.0  # per reference portion moved
W_COST = 0.01  # per quetzal


@dataclass(frozen=True)
class DishVector:
    """Per reference portion of a dish: each nutrient's known amount, cost and added
    sugar, and the nutrients some ingredient has no value for."""

    values: Mapping[str, float]
    unknown: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DayInput:
    """What the model of one day needs, prepared by the caller."""

    day: MenuDay
    groups: tuple[str, ...]
    targets: Mapping[str, tuple[Target, ...]]  # per age group: day targets in force
    week_floors: Mapping[str, Mapping[str, tuple[float, float]]]  # g -> n -> (base, scale)
    ranges: Mapping[str, tuple[float, float]]
    budget_q: float
    vectors: Mapping[str, DishVector]  # recipe_id -> per-portion vector
    candidates: Sequence[tuple[str, str, str]]  # (slot, component, recipe_id) to add
    pattern: Mapping[tuple[str, str], tuple[int, int]]  # (slot, component) -> (min, max)
    component_of: Mapping[str, str]
    suits: Mapping[tuple[str, str], bool]  # (recipe_id, age_group) -> may be served
    time_limit_s: float = 20.0


@dataclass(frozen=True)
class DayOutcome:
    """Portions chosen for the base dishes (None = removed) and the dishes added."""

    status: str  # optimal | time_limit | infeasible | error
    kept: tuple[Mapping[str, float] | None, ...]  # per base item, in day order
    added: tuple[tuple[str, str, Mapping[str, float]], ...]  # (slot, recipe_id, portions)
    objective: float | None
    gap: float | None
    stats: Mapping[str, Any] = field(default_factory=dict)


def base_items(day: MenuDay) -> list[tuple[str, str, Mapping[str, float]]]:
    """(slot, recipe_id, portions) of every dish of the day, in order."""
    return [(m.slot, it.recipe_id, it.portions) for m in day.meals for it in m.items]


def solve_day(inp: DayInput) -> DayOutcome:
    """Build and solve the model of one day."""
    prob = pulp.LpProblem("variante_dia", pulp.LpMinimize)
    items = base_items(inp.day)
    lin: dict[str, list[Any]] = {g: [] for g in inp.groups}  # g -> [(expr, recipe_id)]
    penalties: list[Any] = []
    keep, steps = _base_vars(prob, inp, items, lin, penalties)
    add, units = _added_vars(prob, inp, items, lin)
    _pattern_rows(prob, inp, items, keep, add)
    for g in inp.groups:
        penalties += _nutrient_rows(prob, inp, g, lin[g])
    swaps = pulp.lpSum(1 - k for k in keep.values()) + pulp.lpSum(add.values())
    cost = pulp.lpSum(p * inp.vectors[r].values["cost_q"] for g in inp.groups
                      for p, r in lin[g])
    prob += pulp.lpSum(penalties) + W_SWAP * swaps + W_COST * cost
    status, gap = _solve(prob, inp.time_limit_s)
    if status in ("infeasible", "error") or prob.objective.value() is None:
        return DayOutcome(status, tuple(p for _, _, p in items), (), None, None)
    kept = tuple(_kept_portions(i, items, keep, steps, inp) for i in range(len(items)))
    added = tuple((s, r, {g: round(units[(j, g)].value() * PORTION_STEP, 4)
                          for g in inp.groups if (j, g) in units})
                  for j, (s, _, r) in enumerate(inp.candidates)
                  if j in add and (add[j].value() or 0) > 0.5)
    return DayOutcome(status, kept, added, float(prob.objective.value()), gap,
                      {"variables": prob.numVariables(), "rows": prob.numConstraints()})


def _base_vars(
    prob: pulp.LpProblem, inp: DayInput, items: list[tuple[str, str, Mapping[str, float]]],
    lin: dict[str, list[Any]], penalties: list[Any],
) -> tuple[dict[int, Any], dict[tuple[int, str], Any]]:
    keep: dict[int, Any] = {}
    steps: dict[tuple[int, str], Any] = {}
    for i, (_, rid, portions) in enumerate(items):
        k = keep[i] = prob.add_variable(f"keep_{i}", cat="Binary")
        for g in inp.groups:
            base = portions.get(g, 0.0)
            if base <= 0:
                if inp.suits[(rid, g)]:
                    steps[(i, g)] = _new_service(prob, inp, i, g, k, lin, penalties, rid)
                continue
            lo, hi = inp.ranges[g]
            lo, hi = min(lo, base), max(hi, base)
            down = math.floor((base - lo) / PORTION_STEP + 1e-9)
            up = math.floor((hi - base) / PORTION_STEP + 1e-9)
            s = steps[(i, g)] = prob.add_variable(f"step_{i}_{_safe(g)}", -down, up,
                                                  cat="Integer")
            pos = prob.add_variable(f"up_{i}_{_safe(g)}", 0)
            neg = prob.add_variable(f"down_{i}_{_safe(g)}", 0)
            prob += s == pos - neg, f"dev_{i}_{_safe(g)}"
            prob += s <= up * k, f"stepup_{i}_{_safe(g)}"
            prob += s >= -down * k, f"stepdown_{i}_{_safe(g)}"
            penalties.append(W_PORTION * PORTION_STEP * (pos + neg))
            lin[g].append((base * k + PORTION_STEP * s, rid))
    return keep, steps


def _new_service(
    prob: pulp.LpProblem, inp: DayInput, i: int, g: str, keep: Any, lin: dict[str, list[Any]],
    penalties: list[Any], rid: str,
) -> Any:
    """A kept dish that the base day does not serve to `g` may be served to it (portion 0
    or within the range): a smaller change than adding a dish."""
    lo, hi = inp.ranges[g]
    sg = _safe(g)
    serve = prob.add_variable(f"serve_{i}_{sg}", cat="Binary")
    top = math.floor(hi / PORTION_STEP + 1e-9)
    u = prob.add_variable(f"newunits_{i}_{sg}", 0, top, cat="Integer")
    prob += serve <= keep, f"servekeep_{i}_{sg}"
    prob += u >= math.ceil(lo / PORTION_STEP - 1e-9) * serve, f"servelo_{i}_{sg}"
    prob += u <= top * serve, f"servehi_{i}_{sg}"
    penalties.append(W_SERVE * serve + W_PORTION * PORTION_STEP * u)
    lin[g].append((PORTION_STEP * u, rid))
    return u


def _added_vars(
    prob: pulp.LpProblem, inp: DayInput, items: list[tuple[str, str, Mapping[str, float]]],
    lin: dict[str, list[Any]],
) -> tuple[dict[int, Any], dict[tuple[int, str], Any]]:
    served = {(s, g) for s, _, p in items for g in inp.groups if p.get(g, 0.0) > 0}
    add: dict[int, Any] = {}
    units: dict[tuple[int, str], Any] = {}
    per_recipe: dict[str, list[Any]] = {}
    for j, (slot, _, rid) in enumerate(inp.candidates):
        groups = [g for g in inp.groups if (slot, g) in served and inp.suits[(rid, g)]]
        if not groups:
            continue
        a = add[j] = prob.add_variable(f"add_{j}", cat="Binary")
        per_recipe.setdefault(rid, []).append(a)
        for g in groups:
            lo, hi = inp.ranges[g]
            u = units[(j, g)] = prob.add_variable(f"units_{j}_{_safe(g)}", 0,
                                                math.floor(hi / PORTION_STEP + 1e-9),
                                                cat="Integer")
            prob += u >= math.ceil(lo / PORTION_STEP - 1e-9) * a, f"addlo_{j}_{_safe(g)}"
            prob += u <= math.floor(hi / PORTION_STEP + 1e-9) * a, f"addhi_{j}_{_safe(g)}"
            lin[g].append((PORTION_STEP * u, rid))
    for rid, vars_ in per_recipe.items():
        if len(vars_) > 1:
            prob += pulp.lpSum(vars_) <= 1, f"once_{_safe(rid)}"
    return add, units


def _pattern_rows(
    prob: pulp.LpProblem, inp: DayInput, items: list[tuple[str, str, Mapping[str, float]]],
    keep: Mapping[int, Any], add: Mapping[int, Any],
) -> None:
    terms: dict[tuple[str, str], list[Any]] = {}
    base_count: dict[tuple[str, str], int] = {}
    for i, (slot, rid, _) in enumerate(items):
        key = (slot, inp.component_of[rid])
        terms.setdefault(key, []).append(keep[i])
        base_count[key] = base_count.get(key, 0) + 1
    for j, (slot, comp, _) in enumerate(inp.candidates):
        if j in add:
            terms.setdefault((slot, comp), []).append(add[j])
    for key, vars_ in terms.items():
        lo, hi = inp.pattern.get(key, (0, 99))
        n = base_count.get(key, 0)
        name = f"pattern_{_safe(key[0])}_{_safe(key[1])}"
        prob += pulp.lpSum(vars_) >= min(lo, n), name + "_min"
        prob += pulp.lpSum(vars_) <= max(hi, n), name + "_max"


def _nutrient_rows(
    prob: pulp.LpProblem, inp: DayInput, g: str, terms: list[Any]
) -> list[Any]:
    def total(key: str) -> Any:
        return pulp.lpSum(p * inp.vectors[r].values.get(key, 0.0) for p, r in terms)

    out: list[Any] = []
    sg = _safe(g)
    for t in inp.targets[g]:
        name = f"{_safe(t.nutrient)}_{sg}"
        if t.nutrient == FAT_ENERGY_PCT:
            out += _fat_rows(prob, t, total("fat_g"), total("energy_kcal"), name)
            continue
        value = total(t.nutrient)
        if t.min is not None:
            s = prob.add_variable(f"short_{name}", 0)
            prob += value + s >= t.min, f"min_{name}"
            out.append(W_TARGET * s / max(t.min, 1e-6))
        if t.max is not None:
            s = prob.add_variable(f"over_{name}", 0)
            prob += value - s <= t.max, f"max_{name}"
            out.append(W_TARGET * s / max(t.max, 1.0))
    over = prob.add_variable(f"over_budget_{sg}", 0)
    prob += total("cost_q") - over <= inp.budget_q, f"budget_{sg}"
    out.append(W_BUDGET * over / max(inp.budget_q, 1e-6))
    for n, (floor, scale) in inp.week_floors.get(g, {}).items():
        s = prob.add_variable(f"weekshort_{_safe(n)}_{sg}", 0)
        prob += total(n) + s >= floor, f"week_{_safe(n)}_{sg}"
        out.append(W_WEEK * s / max(scale, 1e-6))
    return out


def _fat_rows(prob: pulp.LpProblem, t: Target, fat: Any, energy: Any, name: str) -> list[Any]:
    """Share of energy from fat within [min, max] %: linear in fat and energy grams."""
    out = []
    if t.min is not None:
        s = prob.add_variable(f"short_{name}", 0)
        prob += KCAL_PER_G_FAT * fat + s >= t.min / 100.0 * energy, f"min_{name}"
        out.append(W_TARGET * s / 100.0)  # s in kcal: 100 kcal of fat energy = 100 %
    if t.max is not None:
        s = prob.add_variable(f"over_{name}", 0)
        prob += KCAL_PER_G_FAT * fat - s <= t.max / 100.0 * energy, f"max_{name}"
        out.append(W_TARGET * s / 100.0)
    return out


def _kept_portions(
    i: int, items: list[tuple[str, str, Mapping[str, float]]], keep: Mapping[int, Any],
    steps: Mapping[tuple[int, str], Any], inp: DayInput,
) -> Mapping[str, float] | None:
    if (keep[i].value() or 0) < 0.5:
        return None
    base = items[i][2]
    out: dict[str, float] = {}
    for g in inp.groups:
        if g not in base and (i, g) not in steps:
            continue
        s = steps.get((i, g))
        moved = round(s.value()) * PORTION_STEP if s is not None else 0.0
        out[g] = round(base.get(g, 0.0) + moved, 4)
    return out


def _solve(prob: pulp.LpProblem, time_limit_s: float) -> tuple[str, float | None]:
    """Solve with HiGHS and read HiGHS's own status (PuLP may say "Optimal" for a run
    stopped by its time limit) and the MIP gap."""
    solver = pulp.HiGHS(msg=False, timeLimit=time_limit_s, threads=1, gapRel=MIP_GAP)
    try:
        prob.solve(solver)
    except (pulp.PulpSolverError, KeyError):
        return "error", None
    import highspy  # present whenever pulp.HiGHS ran

    model = prob.solverModel
    status = model.getModelStatus()
    codes = highspy.HighsModelStatus
    info = model.getInfo()
    gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
    if status == codes.kOptimal:
        return "optimal", gap
    if status in (codes.kInfeasible, codes.kUnboundedOrInfeasible):
        return "infeasible", None
    has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    if status == codes.kTimeLimit and has_solution:
        return "time_limit", gap
    return "error", None


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def recipe_vector(
    dataset: Dataset, recipe: Recipe, keys: Sequence[str], region: str,
    sugar_groups: frozenset[str],
) -> DishVector:
    """Per reference portion of `recipe`: the known amount of each key, its cost at
    `region`, added sugar, and the keys some ingredient has no value for."""
    values = dict.fromkeys((*keys, "cost_q", "added_sugar_g", "fat_g", "energy_kcal"), 0.0)
    unknown: set[str] = set()
    for ing in recipe.ingredients:
        food = dataset.foods[ing.food_id]
        values["cost_q"] += ing.grams * dataset.cost_per_edible_gram(ing.food_id, region)
        if food.food_group in sugar_groups:
            values["added_sugar_g"] += ing.grams
        for k in values:
            if k in food.nutrients:
                v = food.nutrients[k]
                if v is None:
                    unknown.add(k)
                else:
                    values[k] += ing.grams * v / 100.0
    return DishVector(values, frozenset(unknown))
