"""Procurement: weekly purchase lists per center from a menu cycle and enrollment
(this package's core is pure: no web, database or spreadsheet imports)."""

from menu_planner.procurement.purchases import (
    CarryIn,
    PurchasePlan,
    Weekdays,
    cycle_purchase_lists,
    planned_food_q,
    prepare_purchases,
    weekly_purchase_lists,
)
from menu_planner.procurement.result import PurchaseLine, WeekPurchases, total_by_center
from menu_planner.procurement.settings import (
    PurchaseSettings,
    load_attendance,
    load_purchase_settings,
)

__all__ = [
    "CarryIn",
    "PurchaseLine",
    "PurchasePlan",
    "PurchaseSettings",
    "WeekPurchases",
    "Weekdays",
    "cycle_purchase_lists",
    "load_attendance",
    "load_purchase_settings",
    "planned_food_q",
    "prepare_purchases",
    "total_by_center",
    "weekly_purchase_lists",
]
