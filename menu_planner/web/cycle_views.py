"""What the cycle pages show, shaped from the core's objects: who eats what (one age
group's week, day by day and slot by slot, each dish with its ingredients in kitchen
measures), nutrient adequacy per age group (bars against targets), targets missed, pins."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from menu_planner.domain import DataError, Dataset, MenuCycle
from menu_planner.exchanges.measures import KitchenMeasures, load_kitchen_measures, measure_text_es
from menu_planner.nutrition import COST, adequacy, average, day_totals, item_grams
from menu_planner.quality.report import QualityReport, QualityResult
from menu_planner.web.render import nutrient_name, weekday_name

ENERGY = "energy_kcal"
BAR_SCALE = 150.0  # a bar's full width is 150 % of its reference (the minimum, else max)


@dataclass(frozen=True)
class Amount:
    """One ingredient of a dish as one person of an age group is served it."""

    food: str  # the food's Spanish name
    measure: str  # "½ taza", "2 cucharadas"; empty when no kitchen measure fits
    grams: float  # edible grams, exact


@dataclass(frozen=True)
class Dish:
    recipe_id: str
    name: str
    slot: str
    key: str  # recipe|week|weekday|slot, the value of its pin checkbox
    pinned: bool = False
    excluded: bool = False
    amounts: tuple[Amount, ...] = ()


@dataclass(frozen=True)
class DayView:
    """One service day as one age group eats it: its dishes by slot, cost and energy."""

    week: int
    weekday: int
    name: str
    meals: list[tuple[str, list[Dish]]]
    cost: float | None  # Q per person of the group (the day's stored totals)
    energy: float | None  # kcal per person of the group


@dataclass(frozen=True)
class GroupTab:
    """An age group of the cycle, for the page's group selector."""

    group: str  # the id (only in addresses)
    name: str  # what people read: "6 a 11 meses"
    portion_min: float | None = None  # reference portions the group may be served
    portion_max: float | None = None


@dataclass(frozen=True)
class Bar:
    """One nutrient of one age group: the week's mean against its target."""

    label: str
    value: float
    min: float | None
    max: float | None
    basis: str
    ok: bool
    width: float  # percent of the track
    min_at: float | None  # where the minimum sits on the track (percent), if any
    max_at: float | None
    percent: float | None  # value as a percent of the minimum (else of the maximum)
    days_missed: int = 0  # days of the week that miss a daily target

    @property
    def ok_all(self) -> bool:
        """The mean meets the target and, for a daily target, so does every day."""
        return self.ok and not self.days_missed

    @property
    def state(self) -> str:
        if not self.ok:
            if self.min is not None and self.value < self.min:
                return "bajo la meta"
            return "sobre el máximo"
        if self.days_missed:
            return f"no se cumple en {self.days_missed} día(s)"
        return "cumple"


@dataclass(frozen=True)
class GroupAdequacy:
    group: str
    name: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(1 for b in self.bars if not b.ok_all)


def group_names(ds: Dataset, program: str) -> dict[str, str]:
    return {g.age_group: g.name_es for g in ds.age_groups_of(program)}


@lru_cache(maxsize=16)
def _slot_names(data_dir: Path | None, program: str) -> dict[str, str]:
    from menu_planner.menu_names import read_slot_names

    try:
        return read_slot_names(data_dir, program)
    except DataError:
        return {}


def slot_name(data_dir: Path | None, program: str, slot: str) -> str:
    """The slot as people say it ('Refacción matutina')."""
    from menu_planner.menu_names import readable_slot

    return _slot_names(data_dir, program).get(slot) or readable_slot(slot)


def dish_key(recipe_id: str, week: int, weekday: int, slot: str) -> str:
    return f"{recipe_id}|{week}|{weekday}|{slot}"


def parse_dish_key(key: str) -> tuple[str, int, int, str] | None:
    """(recipe_id, week, weekday, slot) from a checkbox value; None if malformed."""
    parts = key.split("|")
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1]), int(parts[2]), parts[3]


def group_tabs(ds: Dataset, cycle: MenuCycle) -> list[GroupTab]:
    """The cycle's age groups, in its order, with their Spanish names."""
    known = {g.age_group: g for g in ds.age_groups_of(cycle.program)}
    out = []
    for g in cycle.age_groups:
        info = known.get(g)
        out.append(GroupTab(g, info.name_es, info.portion_min, info.portion_max) if info
                   else GroupTab(g, g))
    return out


def kitchen_measures(ds: Dataset, data_dir: Path | None) -> tuple[KitchenMeasures | None, str]:
    """The kitchen measures of the data directory, or (None, why) when its file is wrong:
    the page then shows grams only and says why."""
    try:
        return load_kitchen_measures(ds, data_dir), ""
    except DataError as exc:
        return None, ("Las medidas de cocina no se pudieron leer; se muestran solo los "
                      "gramos. " + "; ".join(str(p) for p in exc.problems[:3]))


def dish_amounts(ds: Dataset, recipe_id: str, portions: float,
                 measures: KitchenMeasures | None) -> tuple[Amount, ...]:
    """Each ingredient of `portions` reference portions of a dish, in the kitchen measure
    that fits it (rounded to the nearest half measure) and in exact grams."""
    if recipe_id not in ds.recipes or portions <= 0:
        return ()
    out = []
    for food_id, grams in item_grams(ds, recipe_id, portions).items():
        food = ds.foods.get(food_id)
        if food is None:
            out.append(Amount(food_id, "", grams))
            continue
        m = measures.measure(food, grams) if measures else None
        text = measure_text_es(m.count, m.measure) if m and m.measure else ""
        out.append(Amount(food.name_es, text, grams))
    return tuple(out)


def week_menu(ds: Dataset, cycle: MenuCycle, week: int, group: str, data_dir: Path | None,
              measures: KitchenMeasures | None, pins: set[str],
              excluded: set[str]) -> list[DayView]:
    """What one person of age group `group` eats on each service day of cycle week
    `week`: the dishes served to that group only (portion above zero), by slot, each with
    its ingredients in kitchen measures; and the group's cost and energy of the day."""
    out = []
    for d in sorted(cycle.days_of_week(week), key=lambda d: d.weekday):
        meals = []
        for m in d.meals:
            dishes = []
            for it in m.items:
                portions = float(it.portions.get(group, 0.0))
                if portions <= 0:
                    continue
                rec = ds.recipes.get(it.recipe_id)
                key = dish_key(it.recipe_id, d.week, d.weekday, m.slot)
                dishes.append(Dish(it.recipe_id, rec.name_es if rec else it.recipe_id,
                                   m.slot, key, key in pins, it.recipe_id in excluded,
                                   dish_amounts(ds, it.recipe_id, portions, measures)))
            if dishes:
                meals.append((slot_name(data_dir, cycle.program, m.slot), dishes))
        totals = d.totals.get(group, {})
        cost, energy = totals.get(COST), totals.get(ENERGY)
        out.append(DayView(d.week, d.weekday, weekday_name(d.weekday), meals,
                           None if cost is None else float(cost),
                           None if energy is None else float(energy)))
    return out


def week_adequacy(ds: Dataset, cycle: MenuCycle, week: int) -> list[GroupAdequacy]:
    """Per age group: the week's mean of each targeted nutrient against its target, and
    for daily targets how many days of the week miss it."""
    names = group_names(ds, cycle.program)
    days = cycle.days_of_week(week)
    out = []
    for g in cycle.age_groups:
        if not days:
            continue
        per_day = [day_totals(ds, d, g, cycle.price_region) for d in days]
        targets = ds.targets_of(cycle.program, g)
        missed = {t: sum(1 for tot in per_day if not adequacy(tot, [t])[0].ok)
                  for t in targets if t.basis == "day"}
        bars = [_bar(chk.target.nutrient, chk.value, chk.target.min, chk.target.max,
                     chk.target.basis, chk.ok, missed.get(chk.target, 0))
                for chk in adequacy(average(per_day), targets)]
        out.append(GroupAdequacy(g, names.get(g, g), bars))
    return out


def _bar(nutrient: str, value: float, lo: float | None, hi: float | None, basis: str,
         ok: bool, days_missed: int) -> Bar:
    ref = lo or hi
    if not ref:
        return Bar(nutrient_name(nutrient), value, lo, hi, basis, ok, 0.0, None, None, None,
                   days_missed)

    def at(x: float) -> float:
        return round(min(max(x / ref * 100.0, 0.0), BAR_SCALE) / BAR_SCALE * 100.0, 1)

    return Bar(nutrient_name(nutrient), value, lo, hi, basis, ok, at(value),
               at(lo) if lo else None, at(hi) if hi else None,
               round(value / ref * 100.0, 0), days_missed)


def failure_sentences(ds: Dataset, program: str, summary: dict[str, Any],
                      limit: int = 60) -> list[str]:
    """The targets a cycle misses, day by day, in plain Spanish (stored summary)."""
    names = group_names(ds, program)
    out: list[str] = []
    for group, info in (summary.get("age_groups") or {}).items():
        for f in info.get("failures", []):
            out.append(failure_sentence(names.get(group, group), f))
    return out[:limit]


def failure_overview(ds: Dataset, program: str, summary: dict[str, Any]) -> list[str]:
    """One sentence per age group and target missed: on how many days, and the worst."""
    names = group_names(ds, program)
    out: list[str] = []
    for group, info in (summary.get("age_groups") or {}).items():
        by_target: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for f in info.get("failures", []):
            bound = "min" if f.get("shortfall") else "max"
            by_target.setdefault((str(f.get("nutrient")), bound), []).append(f)
        for (nutrient, bound), fs in by_target.items():
            out.append(_overview(names.get(group, group), nutrient, bound, fs))
        shown = len(info.get("failures", []))
        if info.get("failed_targets", 0) > shown:
            out.append(f"{names.get(group, group)}: y {info['failed_targets'] - shown} "
                       "caso(s) más que no se listan.")
    return out


def _overview(group: str, nutrient: str, bound: str, fs: list[dict[str, Any]]) -> str:
    what = nutrient_name(nutrient)
    days = sum(1 for f in fs if f.get("weekday"))
    weeks = len(fs) - days
    where = " y ".join(x for x in (f"{days} día(s)" if days else "",
                                   f"{weeks} promedio(s) semanal(es)" if weeks else "") if x)
    if bound == "min":
        worst = max(fs, key=lambda f: float(f.get("shortfall") or 0))
        return (f"{group} — {what}: por debajo del mínimo ({float(worst['min']):,.1f}) en "
                f"{where}; en el peor caso faltan {float(worst['shortfall']):,.1f}.")
    worst = max(fs, key=lambda f: float(f.get("excess") or 0))
    return (f"{group} — {what}: por encima del máximo ({float(worst.get('max') or 0):,.1f}) "
            f"en {where}; en el peor caso sobran {float(worst.get('excess') or 0):,.1f}.")


def failure_sentence(group_name: str, f: dict[str, Any]) -> str:
    when = f"Semana {f.get('week')}"
    if f.get("weekday"):
        when += f", {weekday_name(int(f['weekday'])).lower()}"
    else:
        when += " (promedio)"
    what = nutrient_name(str(f.get("nutrient", "")))
    value = float(f.get("value") or 0)
    if f.get("shortfall"):
        return (f"{when} — {group_name}: {what} {value:,.1f}, el mínimo es "
                f"{float(f['min']):,.1f} (faltan {float(f['shortfall']):,.1f}).")
    return (f"{when} — {group_name}: {what} {value:,.1f}, el máximo es "
            f"{float(f.get('max') or 0):,.1f} (sobran {float(f.get('excess') or 0):,.1f}).")


def diagnosis_lines(error: dict[str, Any] | None) -> tuple[str, list[str]]:
    """A failed generation's message and its diagnosis lines (Spanish sentences only:
    technical details never reach the page)."""
    if not error:
        return "", []
    message = str(error.get("message") or "No se pudo generar el ciclo.")
    if error.get("code") == "error_interno":
        return message, []
    lines: list[str] = []
    for d in error.get("details") or []:
        if isinstance(d, str):
            lines.append(d)
        elif isinstance(d, dict):
            if isinstance(d.get("message"), str):
                lines.append(d["message"])
            lines += _diagnosis_sentences(d)
            if isinstance(d.get("diagnosis"), dict):
                lines += _diagnosis_sentences(d["diagnosis"])
    return message, list(dict.fromkeys(lines))


def _diagnosis_sentences(d: dict[str, Any]) -> list[str]:
    """The Spanish lines of the optimizer's diagnosis (see optimizer.request.Diagnosis)."""
    lines = [str(x) for key in ("lines_es", "problems_es", "rule_conflicts_es")
             for x in d.get(key) or []]
    least = d.get("least_budget_q")
    if isinstance(least, int | float) and not any("Q" in line for line in lines):
        lines.append(f"Con un presupuesto de Q{least:,.2f} por persona al día sí se "
                     "encontró un ciclo.")
    return lines


def cycle_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The optimizer settings a generated cycle carries (pins, exclusions, objective)."""
    settings = data.get("settings")
    return settings if isinstance(settings, dict) else {}


def quality_groups(report: QualityReport) -> list[tuple[str, list[QualityResult]]]:
    """The quality results per age group (Spanish name), in the report's order."""
    out: dict[str, list[QualityResult]] = {}
    for r in report.results:
        out.setdefault(r.age_group_es, []).append(r)
    return list(out.items())
