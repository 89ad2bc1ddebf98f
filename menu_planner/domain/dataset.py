"""A validated data directory in memory, with the look-ups every use case needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from menu_planner.domain.constants import NATIONAL
from menu_planner.domain.models import (
    AgeGroup,
    Food,
    MealComponent,
    Price,
    Program,
    Recipe,
    Target,
)


@dataclass(frozen=True)
class Dataset:
    """Foods, prices and menu data, already checked for consistency by the loader."""

    foods: dict[str, Food]
    prices: tuple[Price, ...]
    recipes: dict[str, Recipe]
    programs: dict[str, Program]
    age_groups: tuple[AgeGroup, ...]
    meal_patterns: tuple[MealComponent, ...]
    targets: tuple[Target, ...]
    notes: dict[str, str] = field(default_factory=dict)

    def program(self, program: str) -> Program:
        """The program named `program`; KeyError if unknown."""
        return self.programs[program]

    def age_groups_of(self, program: str) -> tuple[AgeGroup, ...]:
        """The program's age groups, in file order."""
        return tuple(g for g in self.age_groups if g.program == program)

    def pattern_of(self, program: str) -> tuple[MealComponent, ...]:
        """The program's meal pattern lines, in file order."""
        return tuple(c for c in self.meal_patterns if c.program == program)

    def slots_of(self, program: str) -> tuple[str, ...]:
        """The program's meal slots in serving order (the order they first appear)."""
        return tuple(dict.fromkeys(c.slot for c in self.pattern_of(program)))

    def recipes_of(self, program: str) -> tuple[Recipe, ...]:
        """The recipes a program may serve, sorted by id for determinism."""
        return tuple(sorted(
            (r for r in self.recipes.values() if program in r.programs),
            key=lambda r: r.recipe_id,
        ))

    def targets_of(self, program: str, age_group: str | None = None) -> tuple[Target, ...]:
        """The targets of a program, optionally of one age group only."""
        return tuple(
            t for t in self.targets
            if t.program == program and (age_group is None or t.age_group == age_group)
        )

    @cached_property
    def price_regions(self) -> tuple[str, ...]:
        """`Nacional` first, then every department that lists at least one price."""
        deps = sorted({p.department for p in self.prices} - {NATIONAL})
        return (NATIONAL, *deps)

    @cached_property
    def _best_prices(self) -> dict[tuple[str, str], Price]:
        best: dict[tuple[str, str], Price] = {}
        for p in self.prices:
            key = (p.food_id, p.department)
            cur = best.get(key)
            if cur is None or p.q_per_purchased_gram < cur.q_per_purchased_gram:
                best[key] = p
        return best

    def price_for(self, food_id: str, region: str = NATIONAL) -> Price:
        """The price used for a food in a region: the cheapest per gram the region lists,
        else the national one. KeyError when neither exists."""
        best = self._best_prices
        found = best.get((food_id, region)) or best.get((food_id, NATIONAL))
        if found is None:
            raise KeyError(food_id)
        return found

    def prices_in(self, food_id: str, region: str) -> list[Price]:
        """Every price row of a food in one region (all purchase units), file order."""
        return [p for p in self.prices if p.food_id == food_id and p.department == region]

    def cost_per_edible_gram(self, food_id: str, region: str = NATIONAL) -> float:
        """Quetzales per gram of edible portion: price per purchased gram / edible fraction."""
        food = self.foods[food_id]
        return self.price_for(food_id, region).q_per_purchased_gram / food.edible_fraction
