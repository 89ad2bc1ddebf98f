"""The cross-day rules (variety rules and weekly targets) in terms of day features, shared
by the aggregated LP master and the per-day integer master."""

from __future__ import annotations

from dataclasses import dataclass

from menu_planner.domain import Recipe
from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.features import Features
from menu_planner.optimizer.instance import Instance, TargetRow
from menu_planner.optimizer.rules import VarietyRule


@dataclass(frozen=True)
class CountCap:
    """sum of `features` over the days of each period <= value."""

    name: str
    label_es: str
    features: tuple[int, ...]
    period: str  # week | cycle
    value: int


@dataclass(frozen=True)
class NoConsecutive:
    """features(t) + features(t+1) <= 1 for consecutive service days (cyclic)."""

    name: str
    label_es: str
    features: tuple[int, ...]
    within_week: bool  # False when a weekly cap of 1 already forbids it inside a week


@dataclass(frozen=True)
class WeeksDiffer:
    """Every two weeks differ in at least `value` (weekday, dish) positions of a component."""

    name: str
    component: str
    dishes: tuple[tuple[int, tuple[int, ...]], ...]  # (dish, features)
    value: int


@dataclass(frozen=True)
class WeekFloor:
    """sum of `feature` over the days of each week >= days (a quality indicator)."""

    name: str
    label_es: str
    feature: int
    days: int


@dataclass(frozen=True)
class Families:
    """All cross-day rule families of an instance."""

    week_rows: tuple[tuple[int, TargetRow], ...]  # (feature, row)
    caps: tuple[CountCap, ...]
    no_consecutive: tuple[NoConsecutive, ...]
    weeks_differ: tuple[WeeksDiffer, ...]
    floors: tuple[WeekFloor, ...] = ()
    distinct_groups: tuple[int, ...] = ()  # groups whose day menus must all differ


def _scope_features(fe: Features, dish: int, scope: str, slot: str = "") -> tuple[int, ...]:
    if slot:
        base, alt = fe.slot_used[slot, dish]
    else:
        base, alt = int(fe.base_used[dish]), int(fe.alt_used[dish])
    return (base,) if scope == "menu" else (base, alt)


def _covered_dishes(inst: Instance, rule: VarietyRule) -> list[int]:
    def in_slot(r: Recipe) -> bool:
        return not rule.slot or rule.slot in r.slots

    if rule.subject_kind == "dish":
        return [d for d, r in enumerate(inst.dishes)
                if rule.subject in ("*", r.recipe_id) and in_slot(r)]
    if rule.subject_kind == "component":
        return [d for d, r in enumerate(inst.dishes)
                if r.component == rule.subject and in_slot(r)]
    return []


def build_families(inst: Instance, fe: Features) -> Families:
    """The rule families of `inst`, merged so each (features, period) has one cap."""
    caps: dict[tuple[tuple[int, ...], str], CountCap] = {}
    consec: dict[tuple[int, ...], NoConsecutive] = {}
    differ: list[WeeksDiffer] = []
    for rule in inst.rules:
        if rule.period in ("week", "cycle"):
            for key, cap in _caps_of(inst, fe, rule):
                if key not in caps or cap.value < caps[key].value:
                    caps[key] = cap
    for rule in inst.rules:
        if rule.rule == "no_consecutive_days":
            for d in _covered_dishes(inst, rule):
                feats = _scope_features(fe, d, rule.scope)
                implied = any(c.period == "week" and c.value <= 1
                              and set(feats) <= set(c.features) for c in caps.values())
                name = inst.dishes[d].recipe_id
                consec[feats] = NoConsecutive(
                    f"no_consecutive_{name}", f"el plato «{inst.dishes[d].name_es}» en días "
                    "seguidos", feats,
                    within_week=not implied)
        elif rule.rule == "weeks_differ":
            dishes = tuple((d, _scope_features(fe, d, rule.scope))
                           for d in _covered_dishes(inst, rule))
            differ.append(WeeksDiffer(f"weeks_differ_{rule.subject}", rule.subject, dishes,
                                      rule.value))
    week_rows = tuple((int(fe.week_row[r]), row) for r, row in enumerate(inst.week_rows))
    floors = tuple(WeekFloor(f"floor_{m.name}", m.label_es, int(fe.indicator[m.indicator]),
                             m.days) for m in inst.quality.week_minima)
    return Families(week_rows, tuple(caps[k] for k in sorted(caps, key=str)),
                    tuple(consec[k] for k in sorted(consec)), tuple(differ), floors,
                    inst.quality.distinct_groups)


def served_key(inst: Instance, column: DayColumn, g: int) -> frozenset[int]:
    """The dishes a day menu serves to group g: two days with the same key are the same
    day menu for that group."""
    return frozenset(inst.placements[j].dish for (j, _), p in
                     zip(column.listed, column.portions, strict=True) if p[g] > 0)


def alike_menus(inst: Instance, fam: Families, pool: list[DayColumn],
                candidates: list[int]) -> list[tuple[int, ...]]:
    """Sets of candidates that serve some group with `distinct_groups` the same day menu
    (each candidate is in one set per such group): each set may fill at most one day
    of the cycle."""
    if not fam.distinct_groups:
        return []
    sets: dict[tuple[int, frozenset[int]], list[int]] = {}
    for k in candidates:
        for g in fam.distinct_groups:
            sets.setdefault((g, served_key(inst, pool[k], g)), []).append(k)
    return sorted({tuple(v) for v in sets.values()})


def _caps_of(inst: Instance, fe: Features,
             rule: VarietyRule) -> list[tuple[tuple[tuple[int, ...], str], CountCap]]:
    period = rule.period or "week"
    out: list[tuple[tuple[tuple[int, ...], str], CountCap]] = []
    if rule.subject_kind == "food":
        foods = sorted(fe.food_used) if rule.subject == "*" else [rule.subject]
        for f in foods:
            if f in fe.food_used:
                feats: tuple[int, ...] = (fe.food_used[f],)
                out.append(((feats, period), CountCap(
                    f"cap_{period}_food_{f}", f"el alimento «{inst.dataset.foods[f].name_es}»",
                    feats, period, rule.value)))
        return out
    for d in _covered_dishes(inst, rule):
        feats = _scope_features(fe, d, rule.scope, rule.slot)
        name = inst.dishes[d].recipe_id
        at = f"_{rule.slot}" if rule.slot else ""
        out.append(((feats, period), CountCap(f"cap_{period}_{name}_{rule.scope}{at}",
                                              f"el plato «{inst.dishes[d].name_es}»", feats,
                                              period,
                                              rule.value)))
    return out
