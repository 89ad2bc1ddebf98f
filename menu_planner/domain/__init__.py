"""Domain objects: standard library only; no web, database or spreadsheet imports."""

from menu_planner.domain.constants import (
    DEPARTMENTS,
    DERIVED_NUTRIENTS,
    FAT_ENERGY_PCT,
    FOOD_GROUPS,
    NATIONAL,
    NUTRIENT_LABELS_ES,
    NUTRIENTS,
    nutrient_label_es,
)
from menu_planner.domain.cycle import (
    CYCLE_FORMAT,
    Meal,
    MenuCycle,
    MenuDay,
    MenuItem,
    cycle_from_dict,
    cycle_to_dict,
)
from menu_planner.domain.dataset import Dataset
from menu_planner.domain.models import (
    AgeGroup,
    Center,
    Food,
    Ingredient,
    MealComponent,
    Price,
    Program,
    Recipe,
    Target,
)
from menu_planner.domain.problems import DataError, Problem

__all__ = [
    "CYCLE_FORMAT",
    "DEPARTMENTS",
    "DERIVED_NUTRIENTS",
    "FAT_ENERGY_PCT",
    "FOOD_GROUPS",
    "NATIONAL",
    "NUTRIENTS",
    "NUTRIENT_LABELS_ES",
    "AgeGroup",
    "Center",
    "DataError",
    "Dataset",
    "Food",
    "Ingredient",
    "Meal",
    "MealComponent",
    "MenuCycle",
    "MenuDay",
    "MenuItem",
    "Price",
    "Problem",
    "Program",
    "Recipe",
    "Target",
    "cycle_from_dict",
    "cycle_to_dict",
    "nutrient_label_es",
]
