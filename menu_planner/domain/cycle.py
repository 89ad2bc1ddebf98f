"""The menu cycle (format `menu_planner.cycle/1`) and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from menu_planner.domain.problems import DataError, Problem

CYCLE_FORMAT = "menu_planner.cycle/1"


@dataclass(frozen=True)
class MenuItem:
    """A dish in a meal and the reference portions each age group is served (0 = none)."""

    recipe_id: str
    portions: Mapping[str, float]


@dataclass(frozen=True)
class Meal:
    """The dishes served in one slot (tiempo de comida)."""

    slot: str
    items: tuple[MenuItem, ...]


@dataclass(frozen=True)
class MenuDay:
    """One service day: its meals and, per age group, cost and nutrient totals."""

    week: int
    weekday: int
    meals: tuple[Meal, ...]
    totals: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class MenuCycle:
    """A menu cycle of `weeks` weeks; `extra` carries solver facts and diagnostics."""

    program: str
    weeks: int
    service_days_per_week: int
    daily_budget_q: float
    price_region: str
    age_groups: tuple[str, ...]
    days: tuple[MenuDay, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def day(self, week: int, weekday: int) -> MenuDay:
        """The day at (week, weekday); KeyError if the cycle has none."""
        for d in self.days:
            if d.week == week and d.weekday == weekday:
                return d
        raise KeyError((week, weekday))

    def days_of_week(self, week: int) -> tuple[MenuDay, ...]:
        """The service days of cycle week `week`, in order."""
        return tuple(d for d in self.days if d.week == week)


def cycle_to_dict(cycle: MenuCycle) -> dict[str, Any]:
    """The JSON-ready form of a cycle, as the contract lays it out."""
    out: dict[str, Any] = {
        "format": CYCLE_FORMAT,
        "program": cycle.program,
        "weeks": cycle.weeks,
        "service_days_per_week": cycle.service_days_per_week,
        "daily_budget_q": cycle.daily_budget_q,
        "price_region": cycle.price_region,
        "age_groups": list(cycle.age_groups),
        "days": [
            {
                "week": d.week,
                "weekday": d.weekday,
                "meals": [
                    {
                        "slot": m.slot,
                        "items": [
                            {"recipe_id": i.recipe_id, "portions": dict(i.portions)}
                            for i in m.items
                        ],
                    }
                    for m in d.meals
                ],
                "totals": {g: dict(t) for g, t in d.totals.items()},
            }
            for d in cycle.days
        ],
    }
    out.update(cycle.extra)
    return out


_KNOWN_KEYS = {
    "format",
    "program",
    "weeks",
    "service_days_per_week",
    "daily_budget_q",
    "price_region",
    "age_groups",
    "days",
}


def cycle_from_dict(data: Any, source: str = "ciclo") -> MenuCycle:
    """Read a cycle from its JSON form; DataError names every field that is wrong."""
    problems: list[Problem] = []

    def bad(field_name: str, msg: str) -> None:
        problems.append(Problem(source, None, field_name, msg))

    if not isinstance(data, dict):
        raise DataError([Problem(source, None, None, "el ciclo debe ser un objeto JSON")])
    if data.get("format") != CYCLE_FORMAT:
        bad("format", f"se esperaba '{CYCLE_FORMAT}', se encontró {data.get('format')!r}")
    for key, typ in (("program", str), ("price_region", str)):
        if not isinstance(data.get(key), typ):
            bad(key, "falta o no es texto")
    for key in ("weeks", "service_days_per_week"):
        if not isinstance(data.get(key), int) or data[key] < 1:
            bad(key, "debe ser un entero positivo")
    budget = data.get("daily_budget_q")
    if not isinstance(budget, int | float) or budget < 0:
        bad("daily_budget_q", "debe ser un número no negativo")
    groups = data.get("age_groups")
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups) or not groups:
        bad("age_groups", "debe ser una lista no vacía de grupos de edad")
        groups = []
    raw_days = data.get("days")
    if not isinstance(raw_days, list) or not raw_days:
        bad("days", "el ciclo no tiene días")
        raw_days = []
    days = [_day_from_dict(d, i, set(groups), bad) for i, d in enumerate(raw_days)]
    if problems:
        raise DataError(problems)
    return MenuCycle(
        program=data["program"],
        weeks=data["weeks"],
        service_days_per_week=data["service_days_per_week"],
        daily_budget_q=float(data["daily_budget_q"]),
        price_region=data["price_region"],
        age_groups=tuple(groups),
        days=tuple(d for d in days if d is not None),
        extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
    )


def _day_from_dict(raw: Any, index: int, groups: set[str], bad: Any) -> MenuDay | None:
    where = f"days[{index}]"
    if not isinstance(raw, dict):
        bad(where, "cada día debe ser un objeto")
        return None
    week, weekday = raw.get("week"), raw.get("weekday")
    if not isinstance(week, int) or not isinstance(weekday, int) or week < 1 or weekday < 1:
        bad(where, "'week' y 'weekday' deben ser enteros positivos")
        return None
    meals: list[Meal] = []
    for j, m in enumerate(raw.get("meals") or []):
        mw = f"{where}.meals[{j}]"
        if not isinstance(m, dict) or not isinstance(m.get("slot"), str):
            bad(mw, "cada comida necesita 'slot' (texto)")
            continue
        items: list[MenuItem] = []
        for k, it in enumerate(m.get("items") or []):
            iw = f"{mw}.items[{k}]"
            portions = it.get("portions") if isinstance(it, dict) else None
            if not isinstance(it, dict) or not isinstance(it.get("recipe_id"), str):
                bad(iw, "cada plato necesita 'recipe_id' (texto)")
                continue
            if not isinstance(portions, dict):
                bad(iw, "'portions' debe ser un objeto {grupo: porciones}")
                continue
            clean: dict[str, float] = {}
            for g, p in portions.items():
                if g not in groups:
                    bad(f"{iw}.portions", f"grupo de edad desconocido '{g}'")
                elif not isinstance(p, int | float) or p < 0:
                    bad(f"{iw}.portions.{g}", "las porciones deben ser un número no negativo")
                else:
                    clean[g] = float(p)
            items.append(MenuItem(it["recipe_id"], clean))
        meals.append(Meal(m["slot"], tuple(items)))
    raw_totals = raw.get("totals")
    totals: dict[str, dict[str, float]] = raw_totals if isinstance(raw_totals, dict) else {}
    return MenuDay(week, weekday, tuple(meals), totals)
