"""The menu-cycle optimizer: a day-menu decomposition solved with HiGHS.

Public API (pure, no file I/O besides `load_variety_rules`):
`plan_cycle(dataset, PlanRequest) -> PlanResult`; see docs/optimizer.md.
"""

from menu_planner.optimizer.request import (
    ALL_REGIONS,
    Diagnosis,
    Exclusion,
    Pin,
    PlanRequest,
    PlanResult,
    TargetPrice,
    Violation,
)
from menu_planner.optimizer.rules import (
    DEFAULT_RULES,
    VarietyRule,
    VarietyRules,
    load_variety_rules,
    read_variety_rules,
)
from menu_planner.optimizer.solve import check_request, plan_cycle
from menu_planner.optimizer.verify import verify_cycle

__all__ = [
    "ALL_REGIONS",
    "DEFAULT_RULES",
    "Diagnosis",
    "Exclusion",
    "Pin",
    "PlanRequest",
    "PlanResult",
    "TargetPrice",
    "VarietyRule",
    "VarietyRules",
    "Violation",
    "check_request",
    "load_variety_rules",
    "plan_cycle",
    "read_variety_rules",
    "verify_cycle",
]
