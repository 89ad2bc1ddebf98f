"""Independent check of a cycle against the data and the rules, from the cycle alone
(recomputing with `menu_planner.nutrition`): every target, the budget at every price
region asked for, the meal pattern per person served, suitability and portion ranges,
and every variety rule. Used after each solve and by the tests. Messages in Spanish.

A dish counts as *on the menu* (scope `menu`) on a day when every age group that may eat
it is served it; a dish served only to some of them is a soft alternative (scope
`todos` counts both).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from menu_planner.domain import Dataset, MenuCycle, MenuDay, Recipe, nutrient_label_es
from menu_planner.nutrition import COST, average, check_target, day_totals
from menu_planner.optimizer.request import ALL_REGIONS, PlanRequest
from menu_planner.optimizer.rules import VarietyRule, names_in
from menu_planner.spanish import FOOD_GROUP_SHORT_ES, component_name, number, slot_name

TOL = 1e-6


def _served(ds: Dataset, day: MenuDay) -> Iterator[tuple[str, str, Recipe, set[str]]]:
    for meal in day.meals:
        for item in meal.items:
            groups = {g for g, p in item.portions.items() if p > 0}
            yield meal.slot, item.recipe_id, ds.recipes[item.recipe_id], groups


def _on_menu(ds: Dataset, program: str, day: MenuDay) -> tuple[Counter[str], Counter[str]]:
    """Per dish: slots where it is a base dish, and slots where it is served at all."""
    groups = ds.age_groups_of(program)
    base: Counter[str] = Counter()
    anyone: Counter[str] = Counter()
    for _, rid, recipe, served in _served(ds, day):
        suits = {g.age_group for g in groups if recipe.suits(g)}
        anyone[rid] += 1
        if suits and suits <= served:
            base[rid] += 1
    return base, anyone


def verify_cycle(ds: Dataset, cycle: MenuCycle, request: PlanRequest) -> list[str]:
    """Every broken target, budget or rule of `cycle`, in Spanish (empty = all kept)."""
    out: list[str] = []
    out += _check_days(ds, cycle, request)
    out += _check_weeks(ds, cycle, request)
    out += _check_variety(ds, cycle, request)
    return out


def _check_days(ds: Dataset, cycle: MenuCycle, request: PlanRequest) -> list[str]:
    out = []
    program = ds.program(request.program)
    budget = request.budget_q if request.budget_q is not None else program.daily_budget_q
    regions = (ds.price_regions if request.department == ALL_REGIONS
               else (request.department,))
    groups = ds.age_groups_of(request.program)
    pattern = ds.pattern_of(request.program)
    for day in cycle.days:
        where = f"semana {day.week}, día {day.weekday}"
        for g in groups:
            for r in regions:
                cost = day_totals(ds, day, g.age_group, r).values[COST]
                if cost > budget * (1 + TOL) + TOL:
                    out.append(f"{where}, {g.name_es}: cuesta Q{cost:.2f} > Q{budget:.2f} "
                               f"(precios: {r})")
            totals = day_totals(ds, day, g.age_group, cycle.price_region)
            for t in ds.targets_of(request.program, g.age_group):
                if t.basis == "day" and not check_target(totals, t).ok:
                    out.append(f"{where}, {g.name_es}: no cumple la meta de "
                               f"{nutrient_label_es(t.nutrient)} "
                               f"({number(totals.values[t.nutrient], 4)})")
            counts: Counter[tuple[str, str]] = Counter()
            for slot, rid, recipe, served in _served(ds, day):
                if g.age_group not in served:
                    continue
                p = next(i.portions[g.age_group] for m in day.meals if m.slot == slot
                         for i in m.items if i.recipe_id == rid)
                if not recipe.suits(g):
                    out.append(f"{where}: «{recipe.name_es}» servido a {g.name_es}, que no "
                               "puede comerlo")
                if not g.portion_min - TOL <= p <= g.portion_max + TOL:
                    out.append(f"{where}: porción {number(p, 2)} de «{recipe.name_es}» fuera "
                               f"de rango ({g.name_es})")
                counts[slot, recipe.component] += 1
            for line in pattern:
                n = counts[line.slot, line.component]
                if not line.min_items <= n <= line.max_items:
                    out.append(f"{where}, {g.name_es}: {n} plato(s) de "
                               f"{component_name(line.component)} en "
                               f"{slot_name(line.slot).lower()} (el patrón pide "
                               f"{line.min_items} a {line.max_items})")
    return out


def _check_weeks(ds: Dataset, cycle: MenuCycle, request: PlanRequest) -> list[str]:
    out = []
    for w in range(1, cycle.weeks + 1):
        days = cycle.days_of_week(w)
        for g in ds.age_groups_of(request.program):
            avg = average(day_totals(ds, d, g.age_group, cycle.price_region) for d in days)
            for t in ds.targets_of(request.program, g.age_group):
                if t.basis == "week" and not check_target(avg, t).ok:
                    out.append(f"semana {w}, {g.name_es}: no cumple la meta semanal de "
                               f"{nutrient_label_es(t.nutrient)} "
                               f"({number(avg.values[t.nutrient], 4)})")
    return out


def _covers(rule: VarietyRule, recipe: Recipe) -> bool:
    if rule.subject_kind == "dish":
        return rule.subject in ("*", recipe.recipe_id)
    return rule.subject_kind == "component" and rule.subject == recipe.component


def _check_variety(ds: Dataset, cycle: MenuCycle, request: PlanRequest) -> list[str]:
    out: list[str] = []
    program = request.program
    rules = request.rules.for_program(program)
    days = sorted(cycle.days, key=lambda d: (d.week, d.weekday))
    usage = [_on_menu(ds, program, d) for d in days]
    for rule in rules:
        out += _check_rule(ds, cycle, request, rule, days, usage)
    for pin in request.pins:
        day = cycle.day(pin.week, pin.weekday)
        if not any(i.recipe_id == pin.recipe_id for m in day.meals if m.slot == pin.slot
                   for i in m.items):
            out.append(f"falta el plato fijado «{_name(ds, pin.recipe_id)}» (semana "
                       f"{pin.week}, día {pin.weekday}, {slot_name(pin.slot).lower()})")
    for ex in request.exclusions:
        for d in days:
            if (not ex.weeks or d.week in ex.weeks) and any(
                    i.recipe_id == ex.recipe_id for m in d.meals for i in m.items):
                out.append(f"el plato excluido «{_name(ds, ex.recipe_id)}» aparece en la "
                           f"semana {d.week}")
    return out


def _check_rule(ds: Dataset, cycle: MenuCycle, request: PlanRequest, rule: VarietyRule,
                days: list[MenuDay], usage: list[tuple[Counter[str], Counter[str]]]
                ) -> list[str]:
    out = []
    pick = 0 if rule.scope == "menu" else 1

    def used(i: int) -> set[str]:
        if rule.subject_kind == "food":
            foods = {ing.food_id for rid in usage[i][pick]
                     for ing in ds.recipes[rid].ingredients}
            return {f for f in foods if rule.subject in ("*", f)}
        return {rid for rid in usage[i][pick] if _covers(rule, ds.recipes[rid])}

    if rule.period == "day":
        for i, d in enumerate(days):
            for rid, n in usage[i][pick].items():
                if _covers(rule, ds.recipes[rid]) and n > rule.value:
                    out.append(f"semana {d.week}, día {d.weekday}: «{_name(ds, rid)}» {n} "
                               "veces")
    elif rule.period in ("week", "cycle"):
        spans = ([[i for i, d in enumerate(days) if d.week == w]
                  for w in range(1, cycle.weeks + 1)] if rule.period == "week"
                 else [list(range(len(days)))])
        for span in spans:
            counts = Counter(x for i in span for x in used(i))
            out += [f"«{_name(ds, x)}»: {n} días, más de {rule.value} "
                    f"({rule.describe_es(names_in(ds))})"
                    for x, n in counts.items() if n > rule.value]
    elif rule.rule == "no_consecutive_days" and len(days) > 1:
        for i in range(len(days)):
            both = used(i) & used((i + 1) % len(days))
            out += [f"«{_name(ds, x)}» en días seguidos (semana {days[i].week}, día "
                    f"{days[i].weekday})" for x in sorted(both)]
    elif rule.rule == "weeks_differ":
        out += _check_weeks_differ(ds, cycle, rule, days, usage)
    elif rule.rule == "daily_food_group":
        out += _check_food_groups(ds, request, rule, days)
    return out


def _check_weeks_differ(ds: Dataset, cycle: MenuCycle, rule: VarietyRule,
                        days: list[MenuDay], usage: list[tuple[Counter[str], Counter[str]]]
                        ) -> list[str]:
    pick = 0 if rule.scope == "menu" else 1
    pos: dict[int, set[tuple[int, str]]] = {}
    for i, d in enumerate(days):
        for rid in usage[i][pick]:
            if ds.recipes[rid].component == rule.subject:
                pos.setdefault(d.week, set()).add((d.weekday, rid))
    out = []
    for w1 in range(1, cycle.weeks + 1):
        for w2 in range(w1 + 1, cycle.weeks + 1):
            a, b = pos.get(w1, set()), pos.get(w2, set())
            if max(len(a - b), len(b - a)) < rule.value:
                out.append(f"las semanas {w1} y {w2} difieren en {len(a - b)} día(s) "
                           f"en {component_name(rule.subject)} (se piden {rule.value})")
    return out


def _check_food_groups(ds: Dataset, request: PlanRequest, rule: VarietyRule,
                       days: list[MenuDay]) -> list[str]:
    out = []
    for d in days:
        for g in ds.age_groups_of(request.program):
            n = sum(1 for _, _, recipe, served in _served(ds, d) if g.age_group in served
                    and sum(i.grams for i in recipe.ingredients
                            if ds.foods[i.food_id].food_group in rule.food_groups)
                    >= rule.min_grams)
            if n < rule.value:
                groups = " o ".join(FOOD_GROUP_SHORT_ES.get(x, x) for x in rule.food_groups)
                out.append(f"semana {d.week}, día {d.weekday}, {g.name_es}: {n} plato(s) "
                           f"con {groups} (se piden {rule.value})")
    return out


def _name(ds: Dataset, code: str) -> str:
    """A dish's or food's name (else its code, with spaces)."""
    return names_in(ds).get(code) or code.replace("_", " ")
