"""What a caller asks of the optimizer and what it gets back (pure data, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from menu_planner.domain import NATIONAL, MenuCycle
from menu_planner.optimizer.rules import DEFAULT_RULES, VarietyRules
from menu_planner.quality.standard import NO_QUALITY_RULES, QualityStandard

ALL_REGIONS = "all"
ProgressFn = Callable[[float, str], None]
Objective = Literal["cost", "variety"]


@dataclass(frozen=True)
class Pin:
    """A dish that must be on the menu of a given day and slot (week and weekday from 1)."""

    recipe_id: str
    week: int
    weekday: int
    slot: str


@dataclass(frozen=True)
class Exclusion:
    """A dish kept off the menu (e.g. out of season): in the weeks listed, or in all."""

    recipe_id: str
    weeks: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanRequest:
    """Everything `plan_cycle` needs besides the dataset.

    `department` is a price region (`Nacional` or a department), or `all`: then the budget
    must hold at the prices of every region and the cost objective uses national prices.
    `budget_q` overrides the program's daily budget per person. `gap` is the relative
    distance to the proven lower bound at which the search stops. `unknown_max` says what
    to do with a dish holding a food whose value is unknown (ND) for a nutrient that has a
    maximum target: "estimate" (default) bounds it by the highest known value of the food's
    group in the maximum rows, "forbid" keeps the dish off the menu, "allow" counts the
    value as 0; each reports the dishes concerned.
    """

    program: str
    weeks: int = 6
    department: str = NATIONAL
    budget_q: float | None = None
    objective: Objective = "cost"
    time_limit_s: float = 60.0
    gap: float = 0.01
    pins: tuple[Pin, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    rules: VarietyRules = DEFAULT_RULES
    quality: QualityStandard = NO_QUALITY_RULES
    unknown_max: Literal["estimate", "forbid", "allow"] = "estimate"
    variety_weight: float = 0.5
    default_acceptability: float = 0.5
    threads: int = 2
    diagnose: bool = True
    price_targets: bool = True
    progress: ProgressFn | None = field(default=None, compare=False)

    def settings(self) -> dict[str, Any]:
        """The request as plain JSON-ready data (for the cycle file)."""
        out = {k: v for k, v in asdict(self).items() if k not in ("progress", "rules", "quality")}
        out["pins"] = [asdict(p) for p in self.pins]
        out["exclusions"] = [{"recipe_id": e.recipe_id, "weeks": list(e.weeks)}
                             for e in self.exclusions]
        out["variety_rules"] = self.rules.source
        out["quality_rules"] = self.quality.source
        return out


@dataclass(frozen=True)
class Violation:
    """How far the least-violating cycle misses one target (diagnosis)."""

    age_group: str
    nutrient: str
    basis: str  # day | week
    bound: str  # min | max
    limit: float
    value: float
    week: int
    weekday: int | None  # None for a weekly target

    @property
    def amount(self) -> float:
        """The shortfall (min) or excess (max), in the nutrient's unit."""
        return self.limit - self.value if self.bound == "min" else self.value - self.limit


@dataclass(frozen=True)
class Diagnosis:
    """Why no cycle meets every rule, in Spanish lines and in structured form."""

    lines_es: tuple[str, ...]
    problems_es: tuple[str, ...] = ()  # structural impossibilities (slots, pins, rules)
    violations: tuple[Violation, ...] = ()
    least_budget_q: float | None = None  # a daily budget at which a cycle was found
    least_budget_bound_q: float | None = None  # no cycle exists below this budget
    rule_conflicts_es: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "lines_es": list(self.lines_es),
            "problems_es": list(self.problems_es),
            "violations": [{**asdict(v), "amount": round(v.amount, 4)}
                           for v in self.violations],
            "least_budget_q": self.least_budget_q,
            "least_budget_bound_q": self.least_budget_bound_q,
            "rule_conflicts_es": list(self.rule_conflicts_es),
        }


@dataclass(frozen=True)
class TargetPrice:
    """What meeting one binding target costs per person of its age group per day."""

    age_group: str
    nutrient: str
    basis: str
    bound: str  # min | max
    limit: float
    q_per_day: float  # cost saved per person per day if the target were dropped
    q_per_unit: float  # marginal cost of one more unit (per day), from the LP duals
    message_es: str


@dataclass(frozen=True)
class PlanResult:
    """The cycle (or None), the solver's honest account, and diagnosis or target prices.

    `status` is one of: `optimal` (proven within 0.01 % of the lower bound), `gap_reached`
    (proven within the requested gap), `time_limit` (stopped by the time limit; the gap
    says how good the cycle is), `feasible` (the search found nothing better to try
    before the time limit; the gap was not proven), `infeasible` (no cycle meets every
    rule; see diagnosis), `no_solution` (no cycle found in the time available).
    Costs are Q per person per day, averaged over age groups and service days.
    """

    status: str
    cycle: MenuCycle | None
    objective: str
    objective_value: float | None
    cost_q: float | None
    lower_bound: float | None
    gap: float | None
    solve_seconds: float
    solver: str
    settings: dict[str, Any]
    target_prices: tuple[TargetPrice, ...] = ()
    diagnosis: Diagnosis | None = None
    warnings_es: tuple[str, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether a cycle that meets every rule was found."""
        return self.cycle is not None

    def report_dict(self) -> dict[str, Any]:
        """The solver facts added to the cycle file's top level (or written alone)."""
        return {
            "status": self.status,
            "objective": self.objective,
            "objective_value": self.objective_value,
            "cost_q": self.cost_q,
            "lower_bound": self.lower_bound,
            "gap": self.gap,
            "solve_seconds": round(self.solve_seconds, 3),
            "solver": self.solver,
            "settings": self.settings,
            "target_prices": [asdict(p) for p in self.target_prices],
            "diagnosis": self.diagnosis.to_dict() if self.diagnosis else None,
            "warnings_es": list(self.warnings_es),
            "stats": self.stats,
        }
