"""Checking any menu cycle (generated or imported) against the quality standard.

`check_cycle` evaluates every rule of `quality_rules.csv` for every age group of the
cycle and says, in Spanish and in numbers, which weeks, days, dishes and grams make it
pass or fail (see `docs/menu-quality.md`). Pure: no files, web or database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from menu_planner.domain import FOOD_GROUPS, Dataset, MenuCycle, Recipe
from menu_planner.menu_names import readable_slot, weekday_name_es
from menu_planner.quality.report import (
    QualityReport,
    QualityResult,
    days_es,
    grams_es,
    kcal_es,
    pct_es,
    times_es,
)
from menu_planner.quality.standard import (
    DIVERSITY_GROUPS,
    QUALITY_FILE,
    QualityRule,
    QualityStandard,
    diversity_grams,
    food_matches,
    grams_per_portion,
    is_forbidden,
)

Day = tuple[int, int]  # (week, weekday)
EPS = 1e-6  # grams or percent closer than this to a limit meet it


@dataclass(frozen=True)
class Served:
    """A dish served to one person of the age group: its slot and reference portions."""

    slot: str
    recipe: Recipe
    portions: float


class GroupMenu:
    """What one age group is served on each day of a cycle."""

    def __init__(self, cycle: MenuCycle, dataset: Dataset, group: str, group_es: str,
                 slot_names: Mapping[str, str]) -> None:
        self.dataset, self.group, self.group_es = dataset, group, group_es
        self.slot_names = slot_names
        ordered = sorted(cycle.days, key=lambda d: (d.week, d.weekday))
        self.served: dict[Day, list[Served]] = {
            (d.week, d.weekday): [Served(m.slot, dataset.recipes[i.recipe_id],
                                         i.portions.get(group, 0.0))
                                  for m in d.meals for i in m.items
                                  if i.portions.get(group, 0.0) > 0]
            for d in ordered}

    @property
    def days(self) -> list[Day]:
        return list(self.served)

    @cached_property
    def weeks(self) -> dict[int, list[Day]]:
        out: dict[int, list[Day]] = {}
        for day in self.served:
            out.setdefault(day[0], []).append(day)
        return out

    def grams(self, day: Day, tokens: tuple[str, ...], slot: str | None = None) -> float:
        """Grams of the foods named by `tokens` served on `day` (in one slot, or all)."""
        return sum(s.portions * grams_per_portion(tokens, s.recipe, self.dataset.foods)
                   for s in self.served[day] if slot is None or s.slot == slot)

    def slots(self, day: Day) -> list[str]:
        """The slots in which the group is served something on `day`, in order."""
        return list(dict.fromkeys(s.slot for s in self.served[day]))

    def energy(self, day: Day) -> float:
        """Kilocalories served on `day` (a food with no known energy value counts 0)."""
        foods = self.dataset.foods
        return sum(s.portions * i.grams * (foods[i.food_id].per_gram("energy_kcal") or 0.0)
                   for s in self.served[day] for i in s.recipe.ingredients)

    def slot_es(self, slot: str) -> str:
        return self.slot_names.get(slot) or readable_slot(slot)

    def result(self, rule: QualityRule, passed: bool, title: str, summary: str,
               details: Iterable[str] = (), numbers: Mapping[str, object] | None = None,
               *, kind: str | None = None, advisory: bool = False) -> QualityResult:
        return QualityResult(kind or rule.rule, self.group, self.group_es, passed, title,
                             summary, tuple(details), dict(numbers or {}), rule.source,
                             rule.line, advisory)


def check_cycle(cycle: MenuCycle, dataset: Dataset, standard: QualityStandard,
                slot_names: Mapping[str, str] | None = None) -> QualityReport:
    """Every rule of `standard` that applies to the cycle's program, checked for each of
    its age groups. Every dish of the cycle must exist in `dataset` (KeyError otherwise:
    check imported cycles with `procurement.checks.cycle_problems` first)."""
    names = {g.age_group: g.name_es for g in dataset.age_groups_of(cycle.program)}
    rules = standard.for_program(cycle.program)
    results: list[QualityResult] = []
    for group in cycle.age_groups:
        menu = GroupMenu(cycle, dataset, group, names.get(group, group), slot_names or {})
        for rule in rules:
            if rule.applies_to(group):
                results += CHECKS[rule.rule](menu, rule)
    source = QUALITY_FILE if standard.rules else standard.source
    return QualityReport(cycle.program, source, tuple(results))


def foods_es(tokens: Iterable[str], dataset: Dataset, conj: str = "o") -> str:
    """'carnes, aves y pescado o huevo de gallina': the foods a subject names."""
    parts = []
    for token in tokens:
        kind, sep, name = token.partition(":")
        if not sep:
            parts.append(FOOD_GROUPS.get(token, token).lower())
        elif kind == "food":
            food = dataset.foods.get(name)
            parts.append(food.name_es.split(",")[0].lower() if food else name)
        else:
            parts.append(f"platos con la etiqueta «{name}»")
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conj} {parts[-1]}"


def _distinct_days(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    same: dict[frozenset[tuple[str, str]], list[Day]] = {}
    for day, served in menu.served.items():
        same.setdefault(frozenset((s.slot, s.recipe.recipe_id) for s in served), []).append(day)
    required = int(rule.value) or len(menu.days)
    repeated = sorted((days for days in same.values() if len(days) > 1), key=lambda d: d[0])
    details = [f"El mismo menú {len(days)} días: {days_es(days)}" for days in repeated]
    key_of = {day: key for key, days in same.items() for day in days}
    signature: dict[tuple[int, ...], list[int]] = {}
    index = {key: i for i, key in enumerate(same)}
    for week, days in menu.weeks.items():
        sig = tuple(sorted(index[key_of[d]] for d in days))
        signature.setdefault(sig, []).append(week)
    copies = [weeks for weeks in signature.values() if len(weeks) > 1]
    details += [f"Las semanas {', '.join(map(str, weeks))} son los mismos días en otro orden"
                for weeks in copies]
    n = len(same)
    summary = (f"{n} menús de día distintos en {len(menu.days)} días del ciclo "
               f"(se piden {required})")
    return [menu.result(rule, n >= required, "Menús de día distintos en el ciclo", summary,
                        details, {"days": len(menu.days), "distinct": n,
                                  "required": required,
                                  "repeated": [[list(d) for d in days] for days in repeated],
                                  "same_weeks": copies})]


def _max_per_cycle(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    slot, component = rule.slot_component
    cap = int(rule.value)
    served: dict[str, list[Day]] = {}
    for day, items in menu.served.items():
        for s in items:
            if s.slot == slot and s.recipe.component == component:
                served.setdefault(s.recipe.recipe_id, []).append(day)
    over = sorted(((rid, days) for rid, days in served.items() if len(days) > cap),
                  key=lambda x: (-len(x[1]), x[0]))
    what = f"{component.replace('_', ' ')} del {menu.slot_es(slot).lower()}"
    title = f"Cada {what}: a lo sumo {times_es(cap)} en el ciclo"
    if not served:
        summary = f"no se sirve ningún {what}"
    elif over:
        summary = (f"{_dishes(len(served))}; {len(over)} "
                   f"{'se sirve' if len(over) == 1 else 'se sirven'} más de "
                   f"{times_es(cap)} (hasta {times_es(len(over[0][1]))})")
    else:
        top = max(len(d) for d in served.values())
        summary = (f"{_dishes(len(served))}; ninguno pasa de {times_es(cap)} (el "
                   f"más repetido, {times_es(top)})")
    details = [f"{menu.dataset.recipes[rid].name_es}: {times_es(len(days))} ({days_es(days)})"
               for rid, days in over]
    return [menu.result(rule, not over, title, summary, details,
                        {"max": cap, "dishes": len(served),
                         "times": {rid: len(d) for rid, d in sorted(served.items())},
                         "over": {rid: len(d) for rid, d in over}})]


def _group_each_meal(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    need, tokens = rule.min_grams, rule.tokens
    low: dict[str, dict[Day, float]] = {}
    total = 0
    for day in menu.days:
        for slot in menu.slots(day):
            total += 1
            grams = menu.grams(day, tokens, slot)
            if grams < need - EPS:
                low.setdefault(slot, {})[day] = grams
    n_low = sum(len(d) for d in low.values())
    title = (f"{_cap(foods_es(tokens, menu.dataset))} en cada tiempo de comida "
             f"({grams_es(need)} o más)")
    summary = f"{total - n_low} de {total} tiempos de comida con {grams_es(need)} o más"
    details = [f"{menu.slot_es(slot)}, {len(days)} días por debajo: "
               f"{days_es(days, grams_es)}" for slot, days in low.items()]
    below = [{"week": d[0], "weekday": d[1], "slot": slot, "grams": round(g, 1)}
             for slot, days in low.items() for d, g in days.items()]
    return [menu.result(rule, not n_low, title, summary, details,
                        {"min_grams": need, "meals": total, "meals_below": n_low,
                         "below": below})]


def _group_each_day(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    need, tokens = rule.min_grams, rule.tokens
    grams = {day: menu.grams(day, tokens) for day in menu.days}
    low = {day: g for day, g in grams.items() if g < need - EPS}
    title = f"{_cap(foods_es(tokens, menu.dataset))} todos los días ({grams_es(need)} o más)"
    summary = (f"{len(grams) - len(low)} de {len(grams)} días con {grams_es(need)} o más "
               f"(de {grams_es(min(grams.values(), default=0))} a "
               f"{grams_es(max(grams.values(), default=0))} por día)")
    details = [f"Días por debajo: {days_es(low, grams_es)}"] if low else []
    return [menu.result(rule, not low, title, summary, details,
                        {"min_grams": need, "days": len(grams), "days_below": len(low),
                         "below": [{"week": d[0], "weekday": d[1], "grams": round(g, 1)}
                                   for d, g in low.items()]})]


def _group_days_per_week(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    need, tokens, times = rule.min_grams, rule.tokens, int(rule.value)
    details, weeks, failed = [], [], 0
    for week, days in menu.weeks.items():
        grams = {d: menu.grams(d, tokens) for d in days}
        counted = [d for d, g in grams.items() if g >= need - EPS]
        failed += len(counted) < times
        weeks.append({"week": week, "days": len(counted), "which": [d[1] for d in counted]})
        which = ", ".join(f"{weekday_name_es(d[1])} {grams_es(grams[d])}" for d in counted)
        which = f" ({which})" if which else ""
        best = max(grams.items(), key=lambda x: x[1])
        extra = ("" if len(counted) >= times else
                 f"; el día con más, {weekday_name_es(best[0][1])}, {grams_es(best[1])}"
                 if best[1] > 0 else "; ningún día los lleva")
        details.append(f"Semana {week}: {times_es(len(counted), 'día', 'días')}{which}{extra}")
    title = (f"{_cap(foods_es(tokens, menu.dataset))} al menos {times_es(times, 'día', 'días')} "
             f"por semana ({grams_es(need)} o más en el día)")
    summary = (f"{len(weeks) - failed} de {len(weeks)} semanas lo cumplen (días por semana: "
               f"{', '.join(str(w['days']) for w in weeks)})")
    return [menu.result(rule, not failed, title, summary, details,
                        {"required": times, "min_grams": need, "weeks": weeks})]


def _dietary_diversity(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    need, count = rule.min_grams, int(rule.value)
    present: dict[Day, tuple[str, ...]] = {}
    for day, served in menu.served.items():
        grams: dict[str, float] = {}
        for s in served:
            for group, g in diversity_grams(s.recipe, menu.dataset.foods).items():
                grams[group] = grams.get(group, 0.0) + g * s.portions
        present[day] = tuple(g for g in DIVERSITY_GROUPS if grams.get(g, 0.0) >= need - EPS)
    low: dict[tuple[str, ...], list[Day]] = {}
    for day, groups in present.items():
        if len(groups) < count:
            low.setdefault(groups, []).append(day)
    sizes = [len(g) for g in present.values()] or [0]
    title = (f"Diversidad alimentaria: al menos {count} de los 7 grupos cada día "
             f"({grams_es(need)} o más de cada uno)")
    n_low = sum(len(d) for d in low.values())
    summary = (f"{len(present) - n_low} de {len(present)} días con {count} grupos o más (de "
               f"{min(sizes)} a {max(sizes)} grupos por día)")
    details = [f"{len(groups)} grupos ({'; '.join(DIVERSITY_GROUPS[g] for g in groups)}) en "
               f"{days_es(days)}" if groups else f"Ningún grupo en {days_es(days)}"
               for groups, days in low.items()]
    return [menu.result(rule, not low, title, summary, details,
                        {"required": count, "min_grams": need, "days_below": n_low,
                         "groups_per_day": [{"week": d[0], "weekday": d[1], "groups": list(g)}
                                            for d, g in present.items()]})]


def _forbidden(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    tokens, foods = rule.tokens, menu.dataset.foods
    found: dict[str, list[Day]] = {}
    for day, served in menu.served.items():
        for s in served:
            if is_forbidden(tokens, s.recipe, foods):
                found.setdefault(s.recipe.recipe_id, []).append(day)
    details = []
    for rid, days in sorted(found.items(), key=lambda x: (-len(x[1]), x[0])):
        recipe = menu.dataset.recipes[rid]
        held = sorted({foods[i.food_id].name_es.split(",")[0].lower()
                       for i in recipe.ingredients if food_matches(tokens, foods[i.food_id])})
        tags = sorted(recipe.tags & {t.partition(":")[2] for t in tokens if t.startswith("tag:")})
        held += [f"etiqueta «{t}»" for t in tags]
        details.append(f"{recipe.name_es} (lleva {', '.join(held)}): "
                       f"{times_es(len(days), 'día', 'días')} ({days_es(days)})")
    n_days = len({d for days in found.values() for d in days})
    title = f"Sin {foods_es(tokens, menu.dataset, 'ni')} en ningún plato"
    summary = ("ningún plato servido los lleva" if not found else
               f"{len(found)} platos servidos los llevan, en {n_days} de {len(menu.days)} días")
    return [menu.result(rule, not found, title, summary, details,
                        {"dishes": {rid: len(d) for rid, d in sorted(found.items())},
                         "days": n_days})]


def _energy_week_mean(menu: GroupMenu, rule: QualityRule) -> list[QualityResult]:
    goal, (low, high) = rule.value, rule.band
    energy = {day: menu.energy(day) for day in menu.days}
    weeks, bad = [], []
    for week, days in menu.weeks.items():
        mean = sum(energy[d] for d in days) / len(days)
        weeks.append({"week": week, "mean_kcal": round(mean, 1),
                      "pct": round(mean / goal * 100, 1)})
        if not low - EPS <= mean / goal * 100 <= high + EPS:  # exact: rounding is for reading
            bad.append(weeks[-1])
    band = f"entre {low:g} % y {high:g} % de la meta ({kcal_es(goal)})"
    pcts = [float(w["pct"]) for w in weeks] or [0.0]
    summary = (f"{len(weeks) - len(bad)} de {len(weeks)} semanas en la banda (medias de "
               f"{pct_es(min(pcts))} a {pct_es(max(pcts))})")
    details = [f"Semana {w['week']}: {kcal_es(float(w['mean_kcal']))} de media, "
               f"{pct_es(float(w['pct']))} de la meta" for w in weeks]
    week_result = menu.result(rule, not bad, f"Energía: promedio de cada semana {band}",
                              summary, details, {"goal_kcal": goal, "low_pct": low,
                                                 "high_pct": high, "weeks": weeks})
    return [week_result, _energy_days(menu, rule, energy)]


def _energy_days(menu: GroupMenu, rule: QualityRule,
                 energy: Mapping[Day, float]) -> QualityResult:
    """Each day's energy against the weekly band: advice, since a single day may range
    over the daily targets' 95-110 %."""
    goal, (low, high) = rule.value, rule.band
    pct = {d: e / goal * 100 for d, e in energy.items()}
    under = {d: p for d, p in pct.items() if p < low - EPS}
    over = {d: p for d, p in pct.items() if p > high + EPS}
    values = list(pct.values()) or [0.0]
    summary = (f"{len(pct) - len(under) - len(over)} de {len(pct)} días entre {low:g} % y "
               f"{high:g} % (de {pct_es(min(values))} a {pct_es(max(values))} de la meta)")
    details = [f"{label}: {days_es(days, pct_es)}"
               for label, days in ((f"Bajo {low:g} %", under), (f"Sobre {high:g} %", over))
               if days]
    return menu.result(rule, not under and not over,
                       f"Energía de cada día frente a la banda semanal ({low:g}-{high:g} %, "
                       "aviso: un día puede ir de 95 % a 110 %)", summary, details,
                       {"goal_kcal": goal, "days_below": len(under), "days_above": len(over),
                        "days": [{"week": d[0], "weekday": d[1], "kcal": round(energy[d], 1),
                                  "pct": round(p, 1)} for d, p in pct.items()]},
                       kind="energy_day", advisory=True)


def _dishes(n: int) -> str:
    return times_es(n, "plato distinto", "platos distintos")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


CHECKS: dict[str, Callable[[GroupMenu, QualityRule], list[QualityResult]]] = {
    "distinct_days": _distinct_days,
    "max_per_cycle": _max_per_cycle,
    "group_each_meal": _group_each_meal,
    "group_each_day": _group_each_day,
    "group_days_per_week": _group_days_per_week,
    "dietary_diversity": _dietary_diversity,
    "forbidden": _forbidden,
    "energy_week_mean": _energy_week_mean,
}
