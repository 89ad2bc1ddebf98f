"""Kitchen measures: how many grams one unidad, taza, cucharada, onza... of a food weighs,
and an amount in grams rounded to the nearest half measure a cook can use.

Data (`menus/kitchen_measures.csv`, optional): `food_id, food_group, measure, grams,
source, note`. A row names either a food (`food_id`) or a food group (`food_group`; `*` =
every food). Grams are of the edible portion. A food's measures are its own rows, then
its group's (for measures it has no row of), then those of `*`.

Choosing the measure (docs/exchanges.md): candidates in that order (food, group, `*`;
file order within each); the first whose amount rounded to the nearest half measure is at
least ½ and within 25 % of the exact grams is used; otherwise the closest one. The exact
grams are always shown too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from menu_planner.domain import FOOD_GROUPS, DataError, Dataset, Food, Problem
from menu_planner.domain.constants import ANY
from menu_planner.reference_data import data_file
from menu_planner.tabular import Column, check_unique, read_table

MEASURES_FILE = "menus/kitchen_measures.csv"
TOLERANCE = 0.25  # largest relative difference between the rounded measure and the grams

PLURALS_ES = {"unidad": "unidades", "taza": "tazas", "cucharada": "cucharadas",
              "cucharadita": "cucharaditas", "onza": "onzas", "libra": "libras",
              "rodaja": "rodajas"}
_FRACTIONS = {0.0: "", 0.5: "½"}

MEASURE_COLUMNS = [
    Column("food_id", required=False, default=""),
    Column("food_group", required=False, default=""),
    Column("measure"),
    Column("grams", "float", min=0.0, min_exclusive=True),
    Column("source", required=False, default=""),
    Column("note", required=False, default=""),
]


@dataclass(frozen=True)
class KitchenMeasure:
    """One measure: `grams` of edible portion in one `measure` of a food, group or all."""

    measure: str
    grams: float
    food_id: str = ""
    food_group: str = ""  # a group key, or "*" for every food
    source: str = ""


@dataclass(frozen=True)
class MeasuredAmount:
    """Grams as a cook reads them: `count` (a multiple of ½) of `measure`, e.g. ½ taza."""

    grams: float
    measure: str | None  # None when no measure fits (only grams are shown)
    count: float
    measure_grams: float  # grams in one measure

    @property
    def rounded_grams(self) -> float:
        """Grams of the rounded amount (count x grams of one measure)."""
        return self.count * self.measure_grams

    @property
    def text_es(self) -> str:
        """E.g. "1 ½ tazas (310.0 g)", "1 unidad (50.0 g)", or "3.0 g"."""
        grams = f"{self.grams:,.1f} g"
        if self.measure is None:
            return grams
        return f"{measure_text_es(self.count, self.measure)} ({grams})"


def measure_text_es(count: float, measure: str) -> str:
    """"½ taza", "1 unidad", "2 ½ cucharadas"."""
    whole = math.floor(count)
    half = _FRACTIONS.get(round(count - whole, 1), "")
    number = " ".join(p for p in (str(whole) if whole else "", half) if p) or "0"
    name = measure if count <= 1 else PLURALS_ES.get(measure, measure + "s")
    return f"{number} {name}"


def round_half(x: float) -> float:
    """To the nearest multiple of ½ (halves away from zero: 0.25 -> 0.5, 0.75 -> 1)."""
    return math.floor(x * 2 + 0.5) / 2


@dataclass(frozen=True)
class KitchenMeasures:
    """Every measure, with look-up by food."""

    measures: tuple[KitchenMeasure, ...]
    source: str = ""

    @cached_property
    def _by_key(self) -> dict[tuple[str, str], list[KitchenMeasure]]:
        out: dict[tuple[str, str], list[KitchenMeasure]] = {}
        for m in self.measures:
            key = ("food", m.food_id) if m.food_id else ("group", m.food_group)
            out.setdefault(key, []).append(m)
        return out

    def for_food(self, food: Food) -> list[KitchenMeasure]:
        """The food's measures: its own, then its group's, then those for every food."""
        out: list[KitchenMeasure] = []
        seen: set[str] = set()
        for key in (("food", food.food_id), ("group", food.food_group), ("group", ANY)):
            for m in self._by_key.get(key, []):
                if m.measure not in seen:
                    seen.add(m.measure)
                    out.append(m)
        return out

    def measure(self, food: Food, grams: float) -> MeasuredAmount:
        """`grams` of `food` in the best kitchen measure, to the nearest half measure."""
        options = [(m, round_half(grams / m.grams)) for m in self.for_food(food)]
        usable = [(m, n) for m, n in options if n >= 0.5]
        for m, n in usable:
            if grams > 0 and abs(n * m.grams - grams) / grams <= TOLERANCE:
                return MeasuredAmount(grams, m.measure, n, m.grams)
        if not usable or grams <= 0:
            return MeasuredAmount(grams, None, 0.0, 0.0)
        m, n = min(usable, key=lambda mn: abs(mn[1] * mn[0].grams - grams))
        return MeasuredAmount(grams, m.measure, n, m.grams)


DEFAULT_MEASURES: tuple[KitchenMeasure, ...] = (
    KitchenMeasure("onza", 28.35, food_group=ANY, source="onza avoirdupois"),
    KitchenMeasure("libra", 453.6, food_group=ANY, source="libra avoirdupois"),
    KitchenMeasure("cucharada", 13.6, food_group="grasas", source="USDA SR28"),
    KitchenMeasure("cucharadita", 4.5, food_group="grasas", source="USDA SR28"),
    KitchenMeasure("cucharada", 12.5, food_group="azucares", source="USDA SR28"),
    KitchenMeasure("cucharadita", 4.2, food_group="azucares", source="USDA SR28"),
    KitchenMeasure("taza", 172.0, food_group="leguminosas", source="USDA SR28"),
    KitchenMeasure("taza", 130.0, food_group="verduras", source="USDA SR28"),
    KitchenMeasure("taza", 150.0, food_group="frutas", source="USDA SR28"),
    KitchenMeasure("unidad", 50.0, food_id="huevo_gallina", source="USDA SR28"),
    KitchenMeasure("taza", 244.0, food_id="leche_fluida", source="USDA SR28"),
    KitchenMeasure("unidad", 30.0, food_id="tortilla_maiz", source="USDA SR28"),
)


def load_kitchen_measures(dataset: Dataset, data_dir: Path | None = None) -> KitchenMeasures:
    """Measures of `data_dir` (shipped data by default), or the defaults when the file is
    absent. DataError names every bad row at once."""
    path = data_file(data_dir, MEASURES_FILE)
    if path is None:
        return KitchenMeasures(DEFAULT_MEASURES, "valores por defecto")
    rows, problems = read_table(path, MEASURE_COLUMNS, label=MEASURES_FILE)
    problems += check_unique(
        rows, lambda r: (r["food_id"] or "", r["food_group"] or "", r["measure"].lower()),
        MEASURES_FILE, "measure", "medida")
    out: list[KitchenMeasure] = []
    for r in rows:
        msg = _row_problem(r["food_id"] or "", r["food_group"] or "", dataset.foods)
        if msg:
            problems.append(Problem(MEASURES_FILE, r["_line"], msg[0], msg[1]))
            continue
        out.append(KitchenMeasure(r["measure"].strip().lower(), r["grams"],
                                  r["food_id"] or "", r["food_group"] or "", r["source"] or ""))
    if problems:
        raise DataError(problems)
    return KitchenMeasures(tuple(out), str(path))


def _row_problem(food_id: str, group: str, foods: Mapping[str, Food]) -> tuple[str, str] | None:
    if bool(food_id) == bool(group):
        return "food_id", "indique food_id o food_group (uno de los dos)"
    if food_id and food_id not in foods:
        return "food_id", f"alimento desconocido '{food_id}'"
    if group and group != ANY and group not in FOOD_GROUPS:
        return "food_group", f"grupo de alimentos desconocido '{group}' (o '*' para todos)"
    return None


__all__ = [
    "DEFAULT_MEASURES",
    "MEASURES_FILE",
    "KitchenMeasure",
    "KitchenMeasures",
    "MeasuredAmount",
    "load_kitchen_measures",
    "measure_text_es",
    "round_half",
]
