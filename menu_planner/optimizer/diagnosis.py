"""Why no cycle meets every rule, in Spanish, with the least budget that would.

1. Impossibilities found before solving (a slot no dish can fill for a group, bad pins)
   are reported as they are.
2. Otherwise an elastic run (same decomposition; every target may be missed at a cost
   proportional to the relative shortfall, the budget and variety rules stay hard) finds
   the smallest violations; they are listed by age group and target, with the days or
   weeks affected and by how much.
3. The least daily budget: a lower bound (no day menu that meets the daily rules costs
   less, a MILP bound) and a budget at which a full cycle was actually found (searching
   upward from the bound). When even an unlimited budget cannot meet the targets, the
   report says so.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from menu_planner.domain import NUTRIENT_LABELS_ES, MenuCycle, Target
from menu_planner.nutrition import Totals, average, check_target, day_totals
from menu_planner.optimizer.assemble import assemble_cycle
from menu_planner.optimizer.colgen import Clock
from menu_planner.optimizer.day_model import DayModel
from menu_planner.optimizer.engine import Engine
from menu_planner.optimizer.features import Mode, layout
from menu_planner.optimizer.highs_util import LinearModel, run
from menu_planner.optimizer.instance import Instance, build_instance
from menu_planner.optimizer.request import Diagnosis, Violation

UNLIMITED = 1e6
BUDGET_PRECISION = 0.01  # stop the bisection within 1 % of the budget found
TRIAL_SECONDS = 10.0
TRIAL_PHASES = 3
_BASIS = {"day": "diario", "week": "semanal"}


def diagnose(inst: Instance, clock: Clock, reason: str) -> Diagnosis:
    """The Spanish explanation of why `inst` has no cycle (time permitting)."""
    name = inst.dataset.programs[inst.request.program].name_es
    head = (f"No existe un ciclo de {inst.weeks} semanas para {name} que "
            f"cumpla todas las metas y reglas con Q{inst.budget:.2f} por persona por día "
            f"(precios: {inst.request.department}).")
    if inst.problems:
        lines = [head, "Problemas que lo impiden:", *(f"- {p}" for p in inst.problems)]
        return Diagnosis(tuple(lines), problems_es=tuple(inst.problems))
    lines = [head]
    if reason == "no_solution":
        lines[0] = ("No se encontró un ciclo que cumpla todas las metas y reglas en el tiempo "
                    "disponible (no está demostrado que no exista).")
    violations, conflicts = _elastic(inst, clock)
    if conflicts:
        lines += ["No se puede armar el ciclo:", *(f"- {c}" for c in conflicts)]
    if violations:
        lines += ["Metas que no se cumplen (la menor violación encontrada):",
                  *_violation_lines(inst, violations)]
    low, found = least_budget(inst, clock)
    lines += _budget_lines(inst, low, found)
    return Diagnosis(tuple(lines), (), tuple(violations), found, low, tuple(conflicts))


def _elastic(inst: Instance, clock: Clock) -> tuple[list[Violation], list[str]]:
    engine = Engine(inst, Mode.ELASTIC, inst.request.threads)
    sub = Clock(max(1.0, 0.4 * clock.remaining()))
    res = engine.run(sub, gap=0.05)
    if res.status == "infeasible":
        return [], ["ni siquiera dejando de cumplir metas: revise las reglas de variedad, "
                    "los platos fijados y las exclusiones"]
    if res.status == "day_infeasible":
        return [], [f"con Q{inst.budget:.2f} no alcanza ni para servir un día como lo pide el "
                    "patrón de comidas (cada tiempo con sus platos en la porción mínima de "
                    "cada grupo) y las reglas diarias, aun sin cumplir las metas"]
    if res.menus is None or res.portions is None:
        return [], []
    cycle = assemble_cycle(inst, res.menus, res.portions, {})
    return violations_of(inst, cycle), []


def violations_of(inst: Instance, cycle: MenuCycle) -> list[Violation]:
    """Every target `cycle` misses, per day (daily targets) or week (weekly targets)."""
    ds, out = inst.dataset, []
    region = cycle.price_region
    for grp in inst.groups:
        g = grp.age_group
        targets = ds.targets_of(inst.request.program, g)
        for w in range(1, cycle.weeks + 1):
            days = cycle.days_of_week(w)
            for d in days:
                tot = day_totals(ds, d, g, region)
                out += _missed(tot, [t for t in targets if t.basis == "day"], g, w, d.weekday)
            avg = average(day_totals(ds, d, g, region) for d in days)
            out += _missed(avg, [t for t in targets if t.basis == "week"], g, w, None)
    return out


def _missed(totals: Totals, targets: list[Target], group: str, week: int,
            weekday: int | None) -> list[Violation]:
    out = []
    for t in targets:
        chk = check_target(totals, t)
        if chk.ok:
            continue
        bound, limit = ("min", t.min) if chk.shortfall > 0 else ("max", t.max)
        out.append(Violation(group, t.nutrient, t.basis, bound, float(limit or 0.0),
                             chk.value, week, weekday))
    return out


def _violation_lines(inst: Instance, violations: list[Violation]) -> list[str]:
    groups: dict[tuple[str, str, str, str], list[Violation]] = {}
    for v in violations:
        groups.setdefault((v.age_group, v.nutrient, v.basis, v.bound), []).append(v)
    lines = []
    for (g, n, basis, bound), vs in sorted(groups.items()):
        label = NUTRIENT_LABELS_ES.get(n, n)
        worst = max(vs, key=lambda v: v.amount)
        rel = worst.amount / max(abs(worst.limit), 1e-9)
        verb = "falta" if bound == "min" else "sobra"
        kind = "mínimo" if bound == "min" else "máximo"
        span = (f"en {len(vs)} de {inst.n_days} días" if basis == "day"
                else f"en las semanas {', '.join(str(v.week) for v in vs)}")
        lines.append(f"- Grupo {g}, {label} ({kind} {_BASIS[basis]} {worst.limit:g}): "
                     f"{verb} hasta {worst.amount:.3g} ({rel:.0%}) {span}.")
    return lines


def least_budget(inst: Instance, clock: Clock) -> tuple[float | None, float | None]:
    """(a budget below which no cycle exists, a budget at which one was found).

    The lower end starts at the day-level bound and rises only on proof (the relaxation
    has no solution below it); the upper end is the dearest day of a cycle actually found
    (first with an unlimited budget), and falls by bisection while time allows."""
    low = _day_budget_bound(inst, clock)
    if low is None:
        return None, None
    found, proven_none = _try_budget(inst, UNLIMITED, clock)
    if found is None:
        return low, None
    high = found
    while clock.remaining() > 0.5 and high - low > max(0.01, BUDGET_PRECISION * high):
        mid = math.ceil((low + high) / 2 * 100) / 100
        if mid >= high:
            break
        found, proven_none = _try_budget(inst, mid, clock)
        if found is not None:
            high = min(high, found)
        elif proven_none:
            low = mid
        else:
            break
    return low, math.ceil(high * 100 - 1e-6) / 100


def _try_budget(inst: Instance, budget: float, clock: Clock) -> tuple[float | None, bool]:
    """(the dearest day-group-region cost of a cycle found within `budget`, whether no
    cycle within `budget` was proven to exist)."""
    request = dataclasses.replace(inst.request, budget_q=budget)
    trial = build_instance(inst.dataset, request)
    res = Engine(trial, Mode.COST, request.threads).run(
        Clock(min(TRIAL_SECONDS, max(0.5, 0.3 * clock.remaining()))), gap=0.05,
        max_phases=TRIAL_PHASES)
    if res.menus is None or res.portions is None:
        return None, res.status in ("infeasible", "day_infeasible")
    dearest = 0.0
    for t, col in enumerate(res.menus):
        for g in range(len(trial.groups)):
            for region in trial.budget_regions:
                cost = trial.cost[region]
                dearest = max(dearest, sum(
                    res.portions[g].portions[t][i] * float(cost[trial.placements[j].dish])
                    for i, (j, _) in enumerate(col.listed)))
    return dearest, False


def _day_budget_bound(inst: Instance, clock: Clock) -> float | None:
    """min over day menus that meet every daily rule of the dearest group-region cost:
    every day of any cycle costs at least this much for some group (a MILP bound)."""
    fe = layout(inst)
    day = DayModel(inst, fe, Mode.BUDGET)
    m: LinearModel = dataclasses.replace(day.m, col_cost=[0.0] * day.m.n_cols)
    b = m.var("budget", 0.0, UNLIMITED, 1.0)
    for g in range(len(inst.groups)):
        for region in inst.budget_regions:
            coef = inst.cost[region]
            terms = [(col, float(coef[inst.placements[j].dish]))
                     for (j, gg), col in day.p.items() if gg == g]
            m.row(f"budget_{g}_{region}", [*terms, (b, -1.0)], ub=0.0)
    out = run(m.to_highs(mip_gap=1e-3), max(0.5, 0.2 * clock.remaining()), is_mip=True)
    if out.bound is None or not np.isfinite(out.bound):
        return None
    return float(out.bound)


def _budget_lines(inst: Instance, low: float | None, found: float | None) -> list[str]:
    if low is None:
        return ["Ningún menú de un día cumple las metas diarias, cueste lo que cueste."]
    if found is None:
        return [f"Presupuesto: ningún día que cumpla las metas diarias cuesta menos de "
                f"Q{low:.2f} por persona; no se encontró un ciclo completo que cumpla todas "
                "las metas con más dinero en el tiempo disponible (o el problema no es de "
                "dinero)."]
    return [f"Presupuesto mínimo: con Q{found:.2f} por persona por día sí se cumplen todas "
            f"las metas y reglas (ningún ciclo las cumple con menos de Q{low:.2f})."]
