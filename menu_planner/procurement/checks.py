"""Checks that a cycle, its centers and the prices can make purchase lists. Every problem
is collected and raised together (Spanish messages naming where and what)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from menu_planner.centers import enrolled_column
from menu_planner.domain import Center, Dataset, MenuCycle, Problem
from menu_planner.reference_data import PRICES

CYCLE_LABEL = "ciclo"
CENTERS_LABEL = "centros"


def cycle_problems(dataset: Dataset, cycle: MenuCycle, label: str = CYCLE_LABEL) -> list[Problem]:
    """An unknown program or age group, no dishes at all, or dishes the data lacks."""
    out: list[Problem] = []
    if cycle.program not in dataset.programs:
        known = ", ".join(sorted(dataset.programs))
        out.append(Problem(label, None, "program",
                           f"programa desconocido '{cycle.program}' (los datos tienen {known})"))
    else:
        groups = {g.age_group for g in dataset.age_groups_of(cycle.program)}
        out += [Problem(label, None, "age_groups",
                        f"el grupo de edad '{g}' no existe en el programa '{cycle.program}'")
                for g in cycle.age_groups if g not in groups]
    n_items = 0
    for i, day in enumerate(cycle.days):
        for j, meal in enumerate(day.meals):
            for k, item in enumerate(meal.items):
                n_items += 1
                if item.recipe_id not in dataset.recipes:
                    out.append(Problem(
                        label, None, f"days[{i}].meals[{j}].items[{k}].recipe_id",
                        f"receta desconocida '{item.recipe_id}' (semana {day.week}, "
                        f"día {day.weekday}): no está en menus/recipes.csv"))
    if n_items == 0:
        out.append(Problem(label, None, "days", "el ciclo está vacío: no tiene ningún plato"))
    return out


def week_problems(
    cycle: MenuCycle, week: int, weekdays: Collection[int] | None, label: str = CYCLE_LABEL,
    who: str = "",
) -> list[Problem]:
    """A week the cycle lacks, or service days it has no menu for."""
    have = sorted({d.week for d in cycle.days})
    if week not in have:
        shown = ", ".join(str(w) for w in have) or "ninguna"
        return [Problem(label, None, "week",
                        f"el ciclo no tiene la semana {week} (tiene: {shown})")]
    if weekdays is None:
        return []
    days = {d.weekday for d in cycle.days_of_week(week)}
    return [Problem(label, None, "weekday",
                    f"el ciclo no tiene menú para el día {d} de la semana {week}{who}")
            for d in sorted(set(weekdays) - days)]


def center_problems(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center],
    label: str = CENTERS_LABEL,
) -> list[Problem]:
    """No center of the cycle's program, or people enrolled in a group the cycle does
    not feed."""
    mine = [c for c in centers if c.program == cycle.program]
    if not mine:
        return [Problem(label, None, "program",
                        f"ningún centro del archivo es del programa '{cycle.program}' del "
                        "ciclo")]
    out: list[Problem] = []
    fed = set(cycle.age_groups)
    for c in mine:
        for group, n in c.enrolled.items():
            if n > 0 and group not in fed:
                out.append(Problem(
                    label, None, enrolled_column(group),
                    f"el centro {c.center_id} tiene {n} inscritos del grupo '{group}', pero "
                    "el ciclo no tiene porciones para ese grupo"))
    return out


def price_problems(
    dataset: Dataset, food_ids: Collection[str], regions: Collection[str],
) -> list[Problem]:
    """Foods of the cycle without a price in a center's department nor a national one."""
    out: list[Problem] = []
    for food_id in sorted(food_ids):
        for region in sorted(regions):
            try:
                dataset.price_for(food_id, region)
            except KeyError:
                out.append(Problem(
                    PRICES, None, "price_q",
                    f"falta el precio de '{food_id}': no hay fila para {region} ni "
                    "'Nacional'"))
                break
    return out
