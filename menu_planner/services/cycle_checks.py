"""Reading a cycle document sent by a person or program, recomputing its totals from the
data, and summarizing how it meets the targets (pure: no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from menu_planner.domain import (
    DataError,
    Dataset,
    MenuCycle,
    Problem,
    cycle_from_dict,
    cycle_to_dict,
)
from menu_planner.nutrition import COST, Totals, adequacy, average, day_totals
from menu_planner.procurement.checks import cycle_problems
from menu_planner.services.errors import invalid_from

LABEL = "ciclo"
MAX_FAILURES_SHOWN = 20


def read_cycle(data: Any, dataset: Dataset, program: str | None = None) -> MenuCycle:
    """A checked cycle with totals recomputed; Invalid naming every problem otherwise."""
    try:
        cycle = cycle_from_dict(data, LABEL)
    except DataError as exc:
        raise invalid_from(exc, "El ciclo no es válido.") from exc
    problems = cycle_problems(dataset, cycle, LABEL)
    if program is not None and cycle.program != program:
        problems.append(Problem(LABEL, None, "program", f"el ciclo es del programa "
                                f"'{cycle.program}', se esperaba '{program}'"))
    if cycle.program in dataset.programs:
        problems += _placement_problems(dataset, cycle)
    if problems:
        raise invalid_from(DataError(problems), "El ciclo no es válido.")
    return with_totals(dataset, cycle)


def _placement_problems(dataset: Dataset, cycle: MenuCycle) -> list[Problem]:
    slots = set(dataset.slots_of(cycle.program))
    out: list[Problem] = []
    for i, day in enumerate(cycle.days):
        for j, meal in enumerate(day.meals):
            where = f"days[{i}].meals[{j}]"
            if meal.slot not in slots:
                out.append(Problem(LABEL, None, f"{where}.slot", f"tiempo de comida "
                                   f"desconocido '{meal.slot}' en {cycle.program}"))
            for k, item in enumerate(meal.items):
                rec = dataset.recipes.get(item.recipe_id)
                if rec is not None and cycle.program not in rec.programs:
                    out.append(Problem(LABEL, None, f"{where}.items[{k}].recipe_id",
                                       f"la receta '{rec.recipe_id}' no es del programa "
                                       f"'{cycle.program}'"))
    seen: set[tuple[int, int]] = set()
    for d in cycle.days:
        if (d.week, d.weekday) in seen:
            out.append(Problem(LABEL, None, "days", f"el día {d.weekday} de la semana "
                               f"{d.week} aparece más de una vez"))
        seen.add((d.week, d.weekday))
    return out


def with_totals(dataset: Dataset, cycle: MenuCycle) -> MenuCycle:
    """The cycle with each day's totals per age group recomputed from the data: cost and
    every nutrient the program's targets name (as the contract asks)."""
    names = {t.nutrient for t in dataset.targets_of(cycle.program)} | {"energy_kcal"}
    days = []
    for d in cycle.days:
        totals = {g: _pick(day_totals(dataset, d, g, cycle.price_region), names)
                  for g in cycle.age_groups}
        days.append(replace(d, totals=totals))
    return replace(cycle, days=tuple(days))


def _pick(t: Totals, names: set[str]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in t.values.items() if k == COST or k in names}


def summarize(dataset: Dataset, cycle: MenuCycle) -> dict[str, Any]:
    """Per age group: mean daily cost and energy, and every target a day (or a week's
    average) misses, so a nutritionist sees what she signs."""
    groups: dict[str, Any] = {}
    n_failed = 0
    for g in cycle.age_groups:
        per_day = {(d.week, d.weekday): day_totals(dataset, d, g, cycle.price_region)
                   for d in cycle.days}
        failures = _failures(dataset, cycle, g, per_day)
        n_failed += len(failures)
        mean = average(per_day.values()) if per_day else None
        groups[g] = {
            "mean_cost_q": round(mean[COST], 2) if mean else 0.0,
            "mean_energy_kcal": round(mean["energy_kcal"], 1) if mean else 0.0,
            "failed_targets": len(failures),
            "failures": failures[:MAX_FAILURES_SHOWN],
        }
    return {
        "weeks": cycle.weeks, "days": len(cycle.days), "age_groups": groups,
        "failed_targets": n_failed, "meets_targets": n_failed == 0,
        "daily_budget_q": cycle.daily_budget_q, "price_region": cycle.price_region,
    }


def _failures(dataset: Dataset, cycle: MenuCycle, group: str,
              per_day: Mapping[tuple[int, int], Totals]) -> list[dict[str, Any]]:
    targets = dataset.targets_of(cycle.program, group)
    out: list[dict[str, Any]] = []
    daily = [t for t in targets if t.basis == "day"]
    for (week, weekday), totals in per_day.items():
        for chk in adequacy(totals, daily):
            if not chk.ok:
                out.append(_failure(chk, week, weekday))
    weekly = [t for t in targets if t.basis == "week"]
    for week in sorted({w for w, _ in per_day}):
        mean = average(v for (w, _), v in per_day.items() if w == week)
        out += [_failure(chk, week, None) for chk in adequacy(mean, weekly) if not chk.ok]
    return out


def _failure(chk: Any, week: int, weekday: int | None) -> dict[str, Any]:
    t = chk.target
    return {"week": week, "weekday": weekday, "nutrient": t.nutrient, "basis": t.basis,
            "value": round(chk.value, 2), "min": t.min, "max": t.max,
            "shortfall": round(chk.shortfall, 2), "excess": round(chk.excess, 2)}


def cycle_document(cycle: MenuCycle) -> dict[str, Any]:
    """The contract's JSON form of a cycle."""
    return cycle_to_dict(cycle)
