"""Plain domain objects of the menu and procurement planner. Standard library only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Food:
    """A food as bought; nutrients per 100 g of edible portion (None = unknown, never 0)."""

    food_id: str
    name_es: str
    food_group: str
    edible_fraction: float
    nutrients: Mapping[str, float | None]
    source: str
    market_section: str = ""
    keeps: bool = False  # non-perishable: leftovers carry into next week's purchases

    def per_gram(self, nutrient: str) -> float | None:
        """Amount of `nutrient` in one gram of edible portion, or None when unknown."""
        value = self.nutrients.get(nutrient)
        return None if value is None else value / 100.0


@dataclass(frozen=True)
class Price:
    """What one purchase unit of a food costs in a department (or `Nacional`)."""

    food_id: str
    department: str
    purchase_unit: str
    unit_grams: float  # as-purchased grams in one unit
    price_q: float
    price_date: date
    source: str

    @property
    def q_per_purchased_gram(self) -> float:
        """Quetzales per as-purchased gram."""
        return self.price_q / self.unit_grams


@dataclass(frozen=True)
class Ingredient:
    """Grams of edible portion of a food in one reference portion of a recipe."""

    food_id: str
    grams: float


@dataclass(frozen=True)
class Recipe:
    """A dish (preparación) and what one reference portion of it contains."""

    recipe_id: str
    name_es: str
    component: str
    slots: tuple[str, ...]
    programs: tuple[str, ...]
    ingredients: tuple[Ingredient, ...]
    tags: frozenset[str] = frozenset()
    acceptability: float | None = None  # 0..1, higher = better liked

    def suits(self, age_group: AgeGroup) -> bool:
        """Whether this dish may be served to `age_group` (it carries the group's tag)."""
        return not age_group.requires_tag or age_group.requires_tag in self.tags


@dataclass(frozen=True)
class Program:
    """A feeding program and its daily food budget per person."""

    program: str
    name_es: str
    service_days_per_week: int
    daily_budget_q: float


@dataclass(frozen=True)
class AgeGroup:
    """An age group of a program and the range of reference portions it may be served."""

    program: str
    age_group: str
    name_es: str
    portion_min: float
    portion_max: float
    requires_tag: str = ""  # a recipe must carry this tag to be served to the group


@dataclass(frozen=True)
class MealComponent:
    """One line of a meal pattern: how many dishes of `component` a slot holds."""

    program: str
    slot: str
    component: str
    min_items: int
    max_items: int


@dataclass(frozen=True)
class Target:
    """A bound on what a day (or the weekly average of days) delivers per person."""

    program: str
    age_group: str
    nutrient: str
    min: float | None
    max: float | None
    basis: str  # "day" or "week"


@dataclass(frozen=True)
class Center:
    """A center and how many people of each age group it has enrolled."""

    center_id: str
    name: str
    program: str
    center_type: str
    department: str
    municipality: str
    enrolled: Mapping[str, int] = field(default_factory=dict)

    @property
    def total_enrolled(self) -> int:
        """Everyone enrolled, all age groups together."""
        return sum(self.enrolled.values())
