"""Checks that the shipped menu data can meet every target within budget.

Run from the repository root:
    .venv/bin/python scripts/check_menu_feasibility.py [--program cadi] [--days 5] [--data DIR]

Two checks per program, each printed as a table:
1. A plausible day chosen by hand (SAMPLE_DAYS), each age group served every dish it may eat
   at the middle of its portion range: the day targets (energy, protein, fat share, sodium)
   and the week targets as if every day were like this one.
2. A small MILP over one week (`--days`) in which all age groups of a center eat the same
   dishes, every group is served each dish it may eat at least at its minimum portion, the
   meal pattern holds for every group counting only the dishes it may eat, a main dish is
   served at most once a week and any other dish at most twice (tortillas and bread
   excepted), and each group's day costs at most the program's daily budget. It maximizes
   the factor `margin` by which every nutrient minimum (energy excepted) can be exceeded at
   once: margin >= 1 means the targets are reachable; 1.10 means with 10 % to spare.

This is a check of the data, not the planner: the real optimizer has its own rules.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pulp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from menu_planner.domain import (  # noqa: E402
    FAT_ENERGY_PCT,
    NUTRIENTS,
    AgeGroup,
    Dataset,
    Recipe,
    Target,
)
from menu_planner.nutrition import (  # noqa: E402
    COST,
    Totals,
    grams_of,
    portion_totals,
    totals_of_grams,
)
from menu_planner.reference_data import load_dataset  # noqa: E402

# A plausible day per program: (slot, recipe_id). Infants get only the dishes tagged for them.
SAMPLE_DAYS: dict[str, list[tuple[str, str]]] = {
    "cadi": [
        ("desayuno", "atol_incaparina_sin_azucar"),
        ("desayuno", "huevo_revuelto_tomate_sin_sal"), ("desayuno", "platanos_fritos"),
        ("desayuno", "tortillas_maiz"),
        ("refaccion_matutina", "papaya"), ("refaccion_matutina", "pan_con_aguacate"),
        ("almuerzo", "pollo_tomate_sin_sal"), ("almuerzo", "arroz_verduras"),
        ("almuerzo", "aguacate_majado"), ("almuerzo", "tortillas_maiz"),
        ("refaccion_vespertina", "yogur_banano"), ("refaccion_vespertina", "licuado_banano"),
    ],
    "mad": [
        ("refaccion_matutina", "atol_incaparina"), ("refaccion_matutina", "pan_con_frijol"),
        ("almuerzo", "pollo_guisado"), ("almuerzo", "arroz_verduras"),
        ("almuerzo", "guacamol"), ("almuerzo", "tortillas_maiz"),
        ("refaccion_vespertina", "licuado_papaya"),
        ("refaccion_vespertina", "tortilla_frijol_queso"),
    ],
}
MAIN = "plato_principal"
UNLIMITED = "cereal"
PER_WEEK = {MAIN: 1}
DEFAULT_PER_WEEK = 2
TIME_LIMIT_S = 90
SCALED = ("energy_kcal",)  # minimums not multiplied by the margin


def per_portion(ds: Dataset, recipes: Iterable[Recipe]) -> dict[str, Totals]:
    """Totals of one reference portion of each recipe."""
    return {r.recipe_id: portion_totals(ds, r.recipe_id) for r in recipes}


def sample_day(ds: Dataset, program: str) -> None:
    """Print the day and week targets met by the hand-picked day at mid-range portions."""
    print(f"\n== {program}: día de ejemplo con porciones al centro del rango")
    for g in ds.age_groups_of(program):
        mid = (g.portion_min + g.portion_max) / 2
        items = [(rid, mid) for _, rid in SAMPLE_DAYS[program] if ds.recipes[rid].suits(g)]
        totals = totals_of_grams(ds, grams_of(ds, items))
        print(f"  {g.age_group} ({mid:.2f} porciones, {len(items)} platos, "
              f"Q{totals[COST]:.2f}):")
        for t in ds.targets_of(program, g.age_group):
            value = totals[t.nutrient]
            ok = (t.min is None or value >= t.min) and (t.max is None or value <= t.max)
            print(f"    {t.nutrient:18} {value:8.1f}  [{_fmt(t.min)}, {_fmt(t.max)}] "
                  f"{t.basis:4} {'ok' if ok else 'NO'}")


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


Key = tuple[int, str, str]  # (day, slot, recipe_id)


@dataclass
class WeekModel:
    """The week MILP and the variables its report reads."""

    prob: pulp.LpProblem
    margin: pulp.LpVariable
    y: dict[Key, pulp.LpVariable] = field(default_factory=dict)  # dish served
    p: dict[tuple[Key, str], pulp.LpVariable] = field(default_factory=dict)  # portions


def unknown_in_capped(ds: Dataset, program: str, recipe: Recipe) -> list[str]:
    """Foods of `recipe` with no known value of a nutrient that has a ceiling (sodium):
    the planner leaves such dishes out by default, as it cannot guarantee the ceiling."""
    capped = {t.nutrient for t in ds.targets_of(program) if t.max is not None} - {
        FAT_ENERGY_PCT}
    return sorted({i.food_id for i in recipe.ingredients for n in capped
                   if ds.foods[i.food_id].nutrients.get(n) is None})


def week_model(ds: Dataset, program: str, days: int, liked: bool = False,
               allow_unknown: bool = False) -> WeekModel:
    """The MILP described in the module docstring (`liked`: margin fixed at 1 and the
    acceptability of the dishes served maximized instead; `allow_unknown`: keep dishes
    with an unknown value of a capped nutrient, counted as 0)."""
    prob = pulp.LpProblem(f"factibilidad_{program}", pulp.LpMaximize)
    m = WeekModel(prob, prob.add_variable("margin", 0, 5))
    recipes = tuple(r for r in ds.recipes_of(program)
                    if allow_unknown or not unknown_in_capped(ds, program, r))
    groups = ds.age_groups_of(program)
    for d in range(days):
        for c in ds.pattern_of(program):
            cand = [r for r in recipes if r.component == c.component and c.slot in r.slots
                    and any(r.suits(g) for g in groups)]
            for r in cand:
                _add_dish(m, (d, c.slot, r.recipe_id), r, groups)
            chosen = [m.y[(d, c.slot, r.recipe_id)] for r in cand]
            m.prob += pulp.lpSum(chosen) <= c.max_items
            for g in groups:  # the pattern holds for every group, counting its dishes only
                m.prob += pulp.lpSum(m.y[(d, c.slot, r.recipe_id)] for r in cand
                                     if r.suits(g)) >= c.min_items
    for r in recipes:
        if r.component != UNLIMITED:
            m.prob += pulp.lpSum(v for k, v in m.y.items() if k[2] == r.recipe_id) \
                <= PER_WEEK.get(r.component, DEFAULT_PER_WEEK)
        for d in range(days):
            m.prob += pulp.lpSum(v for k, v in m.y.items()
                                 if k[2] == r.recipe_id and k[0] == d) <= 1
    per = per_portion(ds, recipes)
    for g in groups:
        daily = [_day_sums(m, per, d, g.age_group) for d in range(days)]
        weekly = {n: pulp.lpSum(day[n] for day in daily) * (1.0 / days) for n in daily[0]}
        for day in daily:
            m.prob += day[COST] <= ds.program(program).daily_budget_q
        for t in ds.targets_of(program, g.age_group):
            for sums in (daily if t.basis == "day" else [weekly]):
                _bound(m, t, sums)
    if liked:
        m.prob += m.margin >= 1.0
        m.prob += pulp.lpSum(v * (ds.recipes[k[2]].acceptability or 0.5)
                             for k, v in m.y.items())
    else:
        m.prob += m.margin
    return m


def _add_dish(m: WeekModel, key: Key, r: Recipe, groups: Iterable[AgeGroup]) -> None:
    m.y[key] = m.prob.add_variable("y_" + "_".join(map(str, key)), 0, 1, cat="Binary")
    for g in groups:
        if r.suits(g):  # a group is served every dish it may eat, within its portion range
            v = m.prob.add_variable("p_" + "_".join(map(str, key)) + f"_{g.age_group}", 0)
            m.p[(key, g.age_group)] = v
            m.prob += v >= g.portion_min * m.y[key]
            m.prob += v <= g.portion_max * m.y[key]


def _day_sums(m: WeekModel, per: dict[str, Totals], day: int, group: str
              ) -> dict[str, pulp.LpAffineExpression]:
    items = [(k[2], v) for (k, g), v in m.p.items() if k[0] == day and g == group]
    names = [COST, *NUTRIENTS]
    return {n: pulp.lpSum(v * per[rid][n] for rid, v in items) for n in names}


def _bound(m: WeekModel, t: Target, sums: dict[str, pulp.LpAffineExpression]) -> None:
    if t.nutrient == FAT_ENERGY_PCT:  # 9 kcal/g x fat x 100 against pct x energy
        if t.min is not None:
            m.prob += 900.0 * sums["fat_g"] >= t.min * sums["energy_kcal"]
        if t.max is not None:
            m.prob += 900.0 * sums["fat_g"] <= t.max * sums["energy_kcal"]
        return
    if t.min is not None:
        scale = 1.0 if t.nutrient in SCALED else m.margin
        m.prob += sums[t.nutrient] >= t.min * scale
    if t.max is not None:
        m.prob += sums[t.nutrient] <= t.max


def solve_week(ds: Dataset, program: str, days: int, liked: bool = False,
               allow_unknown: bool = False) -> None:
    """Solve the week MILP and print the margin, the menu and each group's figures."""
    m = week_model(ds, program, days, liked, allow_unknown)
    m.prob.solve(pulp.HiGHS(msg=False, timeLimit=TIME_LIMIT_S, gapRel=0.02))
    highs = m.prob.solverModel
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    goal = "platos mejor aceptados con margen 1" if liked else "margen máximo"
    left_out = [r.recipe_id for r in ds.recipes_of(program)
                if not allow_unknown and unknown_in_capped(ds, program, r)]
    print(f"\n== {program}: semana de {days} días (MILP, todos los grupos comen los mismos "
          f"platos; {goal})")
    if left_out:
        print(f"  fuera por valor desconocido de sodio ({len(left_out)}): {', '.join(left_out)}")
    if info.primal_solution_status != 2:  # 2 = a feasible solution exists
        print(f"  estado HiGHS: {status}; sin solución factible")
        return
    print(f"  estado HiGHS: {status}; margen = {pulp.value(m.margin):.3f} (>= 1: todas las "
          f"metas mínimas a la vez; cota superior {abs(info.mip_dual_bound):.3f})")
    served = [k for k, v in m.y.items() if v.value() > 0.5]
    liking = [ds.recipes[k[2]].acceptability or 0.5 for k in served]
    print(f"  aceptabilidad media de los platos servidos: {sum(liking) / len(liking):.2f}")
    for d in range(days):
        print(f"  día {d + 1}: " + ", ".join(f"{k[1]}:{k[2]}" for k in served if k[0] == d))
    for g in ds.age_groups_of(program):
        totals = [totals_of_grams(ds, grams_of(ds, [
            (k[2], v.value()) for (k, gg), v in m.p.items()
            if k[0] == d and gg == g.age_group and v.value() > 1e-6])) for d in range(days)]
        print(f"  {g.age_group}:")
        for t in ds.targets_of(program, g.age_group):
            _print_week_target(t, [day[t.nutrient] for day in totals])
        costs = [day[COST] for day in totals]
        print(f"    {'costo Q/día':18} {min(costs):8.2f}..{max(costs):.2f}  "
              f"(presupuesto Q{ds.program(program).daily_budget_q:.2f})")


def _print_week_target(t: Target, values: list[float]) -> None:
    avg = sum(values) / len(values)
    shown = f"{avg:8.1f}" if t.basis == "week" else f"{min(values):8.1f}..{max(values):.1f}"
    ratio = ""
    if t.min:
        ratio = f"  x{(avg if t.basis == 'week' else min(values)) / t.min:.2f}"
    print(f"    {t.nutrient:18} {shown:>18}  [{_fmt(t.min)}, {_fmt(t.max)}] {t.basis}{ratio}")


def main() -> None:
    """Parse arguments and run both checks for each program."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--program", choices=("cadi", "mad"), action="append")
    ap.add_argument("--days", type=int, default=5)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--liked", action="store_true",
                    help="fijar el margen en 1 y preferir los platos mejor aceptados")
    ap.add_argument("--allow-unknown", action="store_true",
                    help="incluir platos con un valor de sodio desconocido (cuenta como 0)")
    args = ap.parse_args()
    ds = load_dataset(args.data)
    for program in args.program or ["cadi", "mad"]:
        sample_day(ds, program)
        solve_week(ds, program, args.days, args.liked, args.allow_unknown)


if __name__ == "__main__":
    main()
