"""The cross-day rules (variety rules, weekly targets, the quality standard's weekly
minima and distinct day menus) as one object per family, each writing itself into every
model of the cycle and into the cycle check.

A model (the aggregated master LP, the per-day integer master, the week set program, the
per-dish MILP, and `family_check.CycleCheck`) implements `CycleModel`: a handful of
primitives that say what a rule means in its own variables, e.g. `count` (the days of each
week or of the cycle that have some features, between bounds). A family only says which
primitive it is, so a new rule of an existing shape touches this file alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from menu_planner.domain import Recipe
from menu_planner.optimizer.day_model import DayColumn
from menu_planner.optimizer.features import Features, Mode
from menu_planner.optimizer.highs_util import INF
from menu_planner.optimizer.instance import Instance, TargetRow
from menu_planner.optimizer.rules import VarietyRule


class CycleModel(Protocol):
    """What a model of the cycle (or the cycle check) can be told."""

    def target(self, rule: WeeklyTarget) -> None:
        """A weekly target: the week's mean of a group's nutrient within the target."""

    def count(self, name: str, features: tuple[int, ...], period: str, lb: float,
              ub: float, label_es: str) -> None:
        """lb <= sum of `features` over the days of each week (`period` week) or of the
        whole cycle (`period` cycle) <= ub; `label_es` says what is counted."""

    def consecutive(self, rule: NoConsecutive) -> None:
        """`rule.features` never on two consecutive service days."""

    def weeks_differ(self, rule: WeeksDiffer) -> None:
        """Every two weeks differ in at least `rule.value` (weekday, dish) positions."""

    def distinct(self, rule: DistinctDays) -> None:
        """Every day menu of each of `rule.groups` differs from the others."""

    def variety(self) -> None:
        """The variety objective's reward for each dish used in the cycle."""


class Family(Protocol):
    """A family of rules: it writes itself into a model."""

    def write(self, model: CycleModel) -> None:
        """Write the rule into `model`."""


@dataclass(frozen=True)
class WeeklyTarget:
    """A target on the week's mean (the feature is the day's amount for the group)."""

    feature: int
    row: TargetRow

    def write(self, model: CycleModel) -> None:
        """Write this target into `model`."""
        model.target(self)


@dataclass(frozen=True)
class CountCap:
    """sum of `features` over the days of each period <= value."""

    name: str
    label_es: str
    features: tuple[int, ...]
    period: str  # week | cycle
    value: int

    def write(self, model: CycleModel) -> None:
        """Write this cap into `model`."""
        model.count(self.name, self.features, self.period, -INF, float(self.value),
                    self.label_es)


@dataclass(frozen=True)
class WeekFloor:
    """sum of `feature` over the days of each week >= days (a quality indicator)."""

    name: str
    label_es: str
    feature: int
    days: int

    def write(self, model: CycleModel) -> None:
        """Write this weekly minimum into `model`."""
        model.count(self.name, (self.feature,), "week", float(self.days), INF,
                    self.label_es)


@dataclass(frozen=True)
class NoConsecutive:
    """features(t) + features(t+1) <= 1 for consecutive service days (cyclic)."""

    name: str
    label_es: str
    features: tuple[int, ...]
    within_week: bool  # False when a weekly cap of 1 already forbids it inside a week

    def write(self, model: CycleModel) -> None:
        """Write this rule into `model`."""
        model.consecutive(self)


@dataclass(frozen=True)
class WeeksDiffer:
    """Every two weeks differ in at least `value` (weekday, dish) positions of a component."""

    name: str
    component: str
    dishes: tuple[tuple[int, tuple[int, ...]], ...]  # (dish, features)
    value: int

    def write(self, model: CycleModel) -> None:
        """Write this rule into `model`."""
        model.weeks_differ(self)


@dataclass(frozen=True)
class DistinctDays:
    """Every day menu of each of these groups differs from the others (the set of dishes
    served to the group)."""

    groups: tuple[int, ...]

    def write(self, model: CycleModel) -> None:
        """Write this rule into `model`."""
        model.distinct(self)


@dataclass(frozen=True)
class Families:
    """All cross-day rule families of an instance."""

    week_rows: tuple[tuple[int, TargetRow], ...]  # (feature, row)
    caps: tuple[CountCap, ...]
    no_consecutive: tuple[NoConsecutive, ...]
    weeks_differ: tuple[WeeksDiffer, ...]
    floors: tuple[WeekFloor, ...] = ()
    distinct_groups: tuple[int, ...] = ()  # groups whose day menus must all differ

    @property
    def targets(self) -> tuple[WeeklyTarget, ...]:
        """The weekly targets as family objects."""
        return tuple(WeeklyTarget(f, row) for f, row in self.week_rows)

    def write(self, model: CycleModel, mode: Mode) -> None:
        """Write every rule into `model` (in a fixed order: targets, caps, weekly minima,
        consecutive days, weeks that differ, distinct day menus, then the variety
        objective's reward)."""
        rules: tuple[Family, ...] = (*self.targets, *self.caps, *self.floors,
                                     *self.no_consecutive, *self.weeks_differ)
        for rule in rules:
            rule.write(model)
        if self.distinct_groups:
            DistinctDays(self.distinct_groups).write(model)
        if mode is Mode.VARIETY:
            model.variety()


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
