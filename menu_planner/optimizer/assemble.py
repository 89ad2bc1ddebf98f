"""Turn chosen day menus and portions into a MenuCycle whose totals are recomputed from
the data files with `menu_planner.nutrition` (the numbers a person can check)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from menu_planner.domain import FAT_ENERGY_PCT, Meal, MenuCycle, MenuDay, MenuItem
from menu_planner.nutrition import COST, day_totals
from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.instance import Instance
from menu_planner.optimizer.portions import GroupPortions, served_groups


def total_keys(inst: Instance) -> tuple[str, ...]:
    """The keys written in each day's totals: cost, every targeted nutrient, and energy
    and fat when the share of energy from fat is targeted."""
    keys = [COST]
    for t in inst.dataset.targets_of(inst.request.program):
        if t.nutrient == FAT_ENERGY_PCT:
            keys += ["energy_kcal", "fat_g", FAT_ENERGY_PCT]
        else:
            keys.append(t.nutrient)
    return tuple(dict.fromkeys(keys))


def assemble_cycle(inst: Instance, menus: list[DayColumn], portions: list[GroupPortions],
                   extra: Mapping[str, Any]) -> MenuCycle:
    """The cycle of `menus` with each group's portions, meals in serving order."""
    ds = inst.dataset
    slots = ds.slots_of(inst.request.program)
    groups = [g.age_group for g in inst.groups]
    keys = total_keys(inst)
    days = []
    for t, col in enumerate(menus):
        served = served_groups(inst, col.listed)
        by_slot: dict[str, list[tuple[int, bool, str, MenuItem]]] = {}
        for i, (j, alt) in enumerate(col.listed):
            pl = inst.placements[j]
            rid = inst.dishes[pl.dish].recipe_id
            por = {name: (portions[g].portions[t][i] if g in served[i] else 0.0)
                   for g, name in enumerate(groups)}
            by_slot.setdefault(pl.slot, []).append((pl.sc, alt, rid, MenuItem(rid, por)))
        meals = tuple(Meal(s, tuple(x[3] for x in sorted(by_slot[s], key=lambda x: x[:3])))
                      for s in slots if s in by_slot)
        week, weekday = inst.week_of(t), inst.weekday_of(t)
        bare = MenuDay(week, weekday, meals)
        totals = {}
        for name in groups:
            values = day_totals(ds, bare, name, inst.objective_region).values
            totals[name] = {k: round(float(values[k]), 4) for k in keys}
        days.append(MenuDay(week, weekday, meals, totals))
    return MenuCycle(inst.request.program, inst.weeks, inst.days_per_week, inst.budget,
                     inst.objective_region, tuple(groups), tuple(days), dict(extra))
