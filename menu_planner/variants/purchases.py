"""The extra food a center buys for the people of a subgroup it declares.

`centers.csv` may carry, per subgroup, `special_<subgroup>` (people of the subgroup, all
age groups together; split across age groups in proportion to enrollment, largest
remainder first) or `special_<subgroup>_<age_group>` (exact counts; they win). Those
people are part of the enrollment: they eat the variant instead of the base menu.

Extra edible grams of a food in a week = sum over the served days of (variant grams per
person - base grams per person) x the subgroup's people of each age group (x attendance
when given). `purchases_with_variants` gives purchase lists with those people on the
variant, computed by `menu_planner.procurement` itself (one rounding per line), by adding
the subgroup as extra age groups `<age_group>+<subgroup>`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from menu_planner.domain import (
    AgeGroup,
    Center,
    DataError,
    Dataset,
    Meal,
    MenuCycle,
    MenuDay,
    MenuItem,
    Problem,
)
from menu_planner.nutrition import grams_of, meal_items
from menu_planner.procurement import WeekPurchases, weekly_purchase_lists
from menu_planner.tabular import parse_number, read_table

Counts = Mapping[str, Mapping[str, int]]  # center_id -> age group -> people


def special_column(subgroup: str, age_group: str | None = None) -> str:
    """`special_<subgroup>` or `special_<subgroup>_<age_group>`."""
    return f"special_{subgroup}" + (f"_{age_group}" if age_group else "")


def load_special_counts(
    path: Path, centers: Sequence[Center], subgroup: str, age_groups: Sequence[str],
    label: str | None = None,
) -> dict[str, dict[str, int]]:
    """center_id -> age group -> people of `subgroup` (only centers with someone), read
    from the optional columns of a centers file. DataError names each bad cell."""
    name = label or path.name
    rows, problems = read_table(path, [], label=name)
    by_id = {c.center_id: c for c in centers}
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        center = by_id.get(str(r.get("center_id", "")))
        if center is None:
            continue
        counts = _row_counts(r, center, subgroup, age_groups, name, problems)
        if counts:
            out[center.center_id] = counts
    if problems:
        raise DataError(problems)
    return out


def _row_counts(
    r: Mapping[str, Any], center: Center, subgroup: str, age_groups: Sequence[str],
    name: str, problems: list[Problem],
) -> dict[str, int]:
    line = r["_line"]
    exact: dict[str, int] = {}
    for g in age_groups:
        col = special_column(subgroup, g)
        n = _count(r.get(col), name, line, col, problems)
        if n is not None:
            exact[g] = n
    total = _count(r.get(special_column(subgroup)), name, line, special_column(subgroup),
                   problems)
    counts = exact or (split_by_enrollment(total, center, age_groups) if total else {})
    for g, n in counts.items():
        if n > center.enrolled.get(g, 0):
            problems.append(Problem(name, line, special_column(subgroup, g),
                                    f"el centro {center.center_id} declara {n} personas de "
                                    f"'{subgroup}' en {g}, pero tiene "
                                    f"{center.enrolled.get(g, 0)} inscritas"))
    return {g: n for g, n in counts.items() if n > 0}


def _count(text: object, name: str, line: int, col: str, problems: list[Problem]) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        value = parse_number(str(text))
    except ValueError:
        value = -1.0
    if value < 0 or value != int(value):
        problems.append(Problem(name, line, col, f"'{text}' no es un número de personas"))
        return None
    return int(value)


def split_by_enrollment(total: int, center: Center, age_groups: Sequence[str]) -> dict[
        str, int]:
    """`total` people split across age groups in proportion to enrollment, largest
    remainder first (ties: age group order); never more than enrolled in a group."""
    enrolled = {g: center.enrolled.get(g, 0) for g in age_groups}
    whole = sum(enrolled.values())
    total = min(total, whole)
    if whole == 0 or total == 0:
        return {}
    shares = {g: total * n / whole for g, n in enrolled.items()}
    out = {g: int(s) for g, s in shares.items()}
    rest = total - sum(out.values())
    for g in sorted(age_groups, key=lambda g: (-(shares[g] - out[g]), age_groups.index(g))):
        if rest <= 0:
            break
        if out[g] < enrolled[g]:
            out[g] += 1
            rest -= 1
    return out


def extra_grams(
    dataset: Dataset, base: MenuCycle, variant: MenuCycle, counts: Counts, week: int,
    weekdays: Collection[int] | None = None, attendance: Mapping[str, float] | None = None,
) -> dict[str, dict[str, float]]:
    """center_id -> food_id -> extra edible grams of cycle week `week` (negative where the
    variant serves less): (variant - base grams per person) x people x attendance."""
    per_person = _delta_per_person(dataset, base, variant, week, weekdays)
    out: dict[str, dict[str, float]] = {}
    for cid, groups in counts.items():
        share = (attendance or {}).get(cid, 1.0)
        foods: dict[str, float] = {}
        for g, n in groups.items():
            for food_id, grams in per_person.get(g, {}).items():
                foods[food_id] = foods.get(food_id, 0.0) + grams * n * share
        out[cid] = {f: round(v, 4) for f, v in foods.items() if abs(v) > 1e-9}
    return out


def _delta_per_person(
    dataset: Dataset, base: MenuCycle, variant: MenuCycle, week: int,
    weekdays: Collection[int] | None,
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for day in base.days_of_week(week):
        if weekdays is not None and day.weekday not in weekdays:
            continue
        other = variant.day(day.week, day.weekday)
        for g in base.age_groups:
            acc = out.setdefault(g, {})
            for f, v in grams_of(dataset, meal_items(other.meals, g)).items():
                acc[f] = acc.get(f, 0.0) + v
            for f, v in grams_of(dataset, meal_items(day.meals, g)).items():
                acc[f] = acc.get(f, 0.0) - v
    return out


@dataclass(frozen=True)
class VariantUse:
    """A variant cycle and how many people of each center eat it."""

    subgroup: str
    cycle: MenuCycle
    counts: Counts


def check_variant(base: MenuCycle, variant: MenuCycle, label: str) -> list[Problem]:
    """Problems that keep `variant` from standing in for `base` (program, age groups,
    days)."""
    out = []
    if variant.program != base.program or variant.age_groups != base.age_groups:
        out.append(Problem(label, None, "program", "la variante no es del mismo programa y "
                                                   "grupos de edad que el ciclo"))
    have = {(d.week, d.weekday) for d in variant.days}
    missing = [(d.week, d.weekday) for d in base.days if (d.week, d.weekday) not in have]
    if missing:
        w, d = missing[0]
        out.append(Problem(label, None, "days", f"a la variante le faltan {len(missing)} "
                                                f"día(s) del ciclo (p. ej. semana {w}, día {d})"))
    return out


def merged_for_purchases(
    dataset: Dataset, base: MenuCycle, centers: Sequence[Center], uses: Sequence[VariantUse]
) -> tuple[Dataset, MenuCycle, list[Center]]:
    """A dataset, cycle and centers in which each subgroup's people are extra age groups
    `<age_group>+<subgroup>` eating the variant; the base groups keep the others."""
    extra_groups: list[AgeGroup] = []
    names: dict[tuple[str, str], str] = {}
    for use in uses:
        for ag in dataset.age_groups_of(base.program):
            if ag.age_group in base.age_groups:
                new = f"{ag.age_group}+{use.subgroup}"
                names[(use.subgroup, ag.age_group)] = new
                extra_groups.append(replace(ag, age_group=new))
    ds = replace(dataset, age_groups=(*dataset.age_groups, *extra_groups))
    days = tuple(_merged_day(d, base, uses, names) for d in base.days)
    groups = (*base.age_groups, *(names[(u.subgroup, g)] for u in uses for g in base.age_groups))
    cycle = replace(base, age_groups=groups, days=days)
    new_centers = []
    for c in centers:
        enrolled = dict(c.enrolled)
        for use in uses:
            for g, n in use.counts.get(c.center_id, {}).items():
                enrolled[g] = enrolled.get(g, 0) - n
                enrolled[names[(use.subgroup, g)]] = n
        new_centers.append(replace(c, enrolled=enrolled))
    return ds, cycle, new_centers


def _merged_day(
    day: MenuDay, base: MenuCycle, uses: Sequence[VariantUse], names: Mapping[tuple[str, str],
                                                                          str],
) -> MenuDay:
    meals: dict[str, list[MenuItem]] = {m.slot: list(m.items) for m in day.meals}
    for use in uses:
        other = use.cycle.day(day.week, day.weekday)
        for m in other.meals:
            for it in m.items:
                portions = {names[(use.subgroup, g)]: p for g, p in it.portions.items()}
                meals.setdefault(m.slot, []).append(MenuItem(it.recipe_id, portions))
    return MenuDay(day.week, day.weekday, tuple(Meal(s, tuple(i)) for s, i in meals.items()))


def purchases_with_variants(
    dataset: Dataset, base: MenuCycle, centers: Sequence[Center], uses: Sequence[VariantUse],
    week: int, **kwargs: Any,
) -> WeekPurchases:
    """Purchase lists of cycle week `week` with each subgroup's people eating its variant
    (`menu_planner.procurement.weekly_purchase_lists`; keyword arguments pass through)."""
    ds, cycle, merged = merged_for_purchases(dataset, base, centers, uses)
    return weekly_purchase_lists(ds, cycle, merged, week, **kwargs)
