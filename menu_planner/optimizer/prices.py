"""The price of each binding target, per person of its age group per day.

Computed on the LP relaxation of the cycle problem (the compact LP: dishes, portions and
days are fractional, every rule is kept): a target is binding when its dual is not zero;
`q_per_unit` is the marginal cost of one more unit (from the duals) and `q_per_day` is
what the least cost falls when the target is dropped (the LP re-solved without it, so
dishes may change too). Both are least-cost prices, whatever the run's objective, and
are expressed per person of the target's group: the change of the group-weighted mean
cost divided by the group's weight.
"""

from __future__ import annotations

import dataclasses

from menu_planner.domain import FAT_ENERGY_PCT, NUTRIENT_LABELS_ES
from menu_planner.optimizer.compact_lp import (
    CompactSolution,
    RelaxationInfeasible,
    solve_compact_lp,
)
from menu_planner.optimizer.day_model import DayModel
from menu_planner.optimizer.families import build_families
from menu_planner.optimizer.features import Mode, layout
from menu_planner.optimizer.instance import Instance, TargetRow
from menu_planner.optimizer.master_lp import AggregateMaster
from menu_planner.optimizer.pricing import day_classes
from menu_planner.optimizer.request import TargetPrice

NOUNS = {"cadi": "niño", "mad": "adulto mayor"}
_BASIS_ES = {"day": "diario", "week": "semanal (promedio)"}
BINDING = 1e-7
MIN_SHOWN_Q = 0.005


def _compact(inst: Instance) -> tuple[CompactSolution | None, AggregateMaster]:
    fe = layout(inst)
    master = AggregateMaster(inst, fe, build_families(inst, fe), day_classes(inst), Mode.COST)
    try:
        return solve_compact_lp(master, DayModel(inst, fe, Mode.COST)), master
    except RelaxationInfeasible:
        return None, master


def target_prices(inst: Instance) -> tuple[TargetPrice, ...]:
    """Prices of the binding targets, most expensive first."""
    base, master = _compact(inst)
    if base is None or base.slack > 1e-6:
        return ()
    T = inst.n_days
    noun = NOUNS.get(inst.request.program, "persona")
    out = []
    for row in (*inst.day_rows, *inst.week_rows):
        marginal = _marginal(inst, master, base, row)
        if marginal < BINDING:
            continue
        without, _ = _compact(_drop(inst, row))
        weight = float(inst.weights[row.group])
        saving = 0.0 if without is None else max(0.0, base.value - without.value) / (T * weight)
        per_unit = marginal / (T * weight)
        if saving < MIN_SHOWN_Q and per_unit * abs(row.target.min or row.target.max or 0) < (
                MIN_SHOWN_Q):
            continue
        grp = inst.groups[row.group]
        out.append(_price(row, grp.age_group, grp.name_es, saving, per_unit, noun))
    out.sort(key=lambda p: (-p.q_per_day, p.age_group, p.nutrient))
    return tuple(out)


def _marginal(inst: Instance, master: AggregateMaster, sol: CompactSolution,
              row: TargetRow) -> float:
    """Total marginal cost (whole cycle) of moving the target's limit one unit."""
    if row.target.basis == "week":
        dual = abs(sol.row_duals.get(f"target_{row.name}", 0.0))
        per_limit = float(inst.n_days)
        if row.target.nutrient == FAT_ENERGY_PCT:
            per_limit = sol.energy_of(row.group) / 100.0
        return dual * per_limit
    total = 0.0
    for c in range(len(master.classes)):
        dual = abs(sol.block_duals.get(f"{row.name}_c{c}", 0.0))
        if row.target.nutrient == FAT_ENERGY_PCT:
            dual *= sol.class_energy[c][row.group] / 100.0
        total += dual
    return total


def _drop(inst: Instance, row: TargetRow) -> Instance:
    return dataclasses.replace(
        inst, day_rows=tuple(r for r in inst.day_rows if r.name != row.name),
        week_rows=tuple(r for r in inst.week_rows if r.name != row.name),
        warnings=[], problems=[])


def _label(nutrient: str) -> tuple[str, str]:
    text = NUTRIENT_LABELS_ES.get(nutrient, nutrient)
    if text.endswith(")") and " (" in text:
        name, unit = text[:-1].split(" (", 1)
        return name, unit
    return text, ""


def _price(row: TargetRow, group: str, group_es: str, saving: float, marginal: float,
           noun: str) -> TargetPrice:
    t = row.target
    name, unit = _label(t.nutrient)
    limit = t.min if row.bound == "min" else t.max
    assert limit is not None
    kind = "mínimo" if row.bound == "min" else "máximo"
    unit_txt = "punto porcentual" if t.nutrient == FAT_ENERGY_PCT else unit
    more = "más" if row.bound == "min" else "menos"
    what = (f"la regla de calidad «{row.rule_es}» ({limit:g} g o más)" if row.rule_es else
            f"la meta de {name} ({kind} {_BASIS_ES[t.basis]} {limit:g} {unit})")
    unit_txt = "g" if row.rule_es else unit_txt
    msg = (f"Cumplir {what} del grupo {group_es} cuesta Q{saving:.2f} por {noun} por día "
           f"(cada {unit_txt} {more}: Q{marginal:.3f} por {noun} por día).")
    return TargetPrice(group, t.nutrient, t.basis, row.bound, float(limit), round(saving, 4),
                       round(marginal, 5), msg)
