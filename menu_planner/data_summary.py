"""What `menu-planner data check` reports about a valid dataset (pure, Spanish text)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from menu_planner.domain import NATIONAL, NUTRIENTS, Dataset


@dataclass(frozen=True)
class DataSummary:
    """Counts per table, unknown nutrient values per food group, and price dates."""

    counts: dict[str, int]
    unknown_by_group: dict[str, dict[str, int]]  # food_group -> nutrient -> foods unknown
    price_dates: dict[str, tuple[str, str, int]]  # region -> (oldest, newest, rows)
    unknown_in_targets: dict[str, list[str]]  # target nutrient -> recipes using unknown foods

    def lines(self) -> list[str]:
        """The summary as lines of Spanish text."""
        out = ["Datos válidos.", "", "Registros por tabla:"]
        out += [f"  {name}: {n}" for name, n in self.counts.items()]
        out += ["", "Valores de nutrientes desconocidos (ND) por grupo de alimentos:"]
        if not self.unknown_by_group:
            out.append("  ninguno")
        for group, per in sorted(self.unknown_by_group.items()):
            detail = ", ".join(f"{n} {c}" for n, c in sorted(per.items()))
            out.append(f"  {group}: {detail}")
        out += ["", "Fechas de precios por región (más antigua, más reciente, filas):"]
        for region, (oldest, newest, rows) in self.price_dates.items():
            out.append(f"  {region}: {oldest} a {newest} ({rows})")
        if self.unknown_in_targets:
            out += ["", "Recetas con algún ingrediente de valor desconocido en un nutriente "
                        "con meta (ese ingrediente aporta 0 en el cálculo):"]
            for n, recipes in sorted(self.unknown_in_targets.items()):
                shown = ", ".join(recipes[:6]) + (" ..." if len(recipes) > 6 else "")
                out.append(f"  {n}: {len(recipes)} receta(s): {shown}")
        return out


def summarize(ds: Dataset) -> DataSummary:
    """The summary of a loaded dataset."""
    counts = {
        "alimentos (foods.csv)": len(ds.foods),
        "precios (prices.csv)": len(ds.prices),
        "recetas (recipes.csv)": len(ds.recipes),
        "ingredientes (recipe_ingredients.csv)": sum(len(r.ingredients)
                                                    for r in ds.recipes.values()),
        "programas (programs.csv)": len(ds.programs),
        "grupos de edad (age_groups.csv)": len(ds.age_groups),
        "patrones de comida (meal_patterns.csv)": len(ds.meal_patterns),
        "metas (targets.csv)": len(ds.targets),
    }
    unknown: dict[str, Counter[str]] = {}
    for f in ds.foods.values():
        for n in NUTRIENTS:
            if f.nutrients.get(n) is None:
                unknown.setdefault(f.food_group, Counter())[n] += 1
    dates: dict[str, list[str]] = {}
    for p in ds.prices:
        dates.setdefault(p.department, []).append(p.price_date.isoformat())
    regions = [NATIONAL, *sorted(set(dates) - {NATIONAL})]
    price_dates = {r: (min(dates[r]), max(dates[r]), len(dates[r])) for r in regions
                   if r in dates}
    target_nutrients = {t.nutrient for t in ds.targets}
    in_targets: dict[str, list[str]] = {}
    for r in sorted(ds.recipes.values(), key=lambda r: r.recipe_id):
        for n in sorted(target_nutrients & set(NUTRIENTS)):
            if any(ds.foods[i.food_id].nutrients.get(n) is None for i in r.ingredients):
                in_targets.setdefault(n, []).append(r.recipe_id)
    return DataSummary(counts, {g: dict(c) for g, c in unknown.items()}, price_dates,
                       in_targets)
