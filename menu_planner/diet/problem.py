"""The least-cost diet problem ("Cost of the Diet") and what solving it yields.

Plain data: no solver, file or command-line code here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MIN = "min"
MAX = "max"


@dataclass(frozen=True)
class DietFood:
    """A food that may enter the diet: cost and nutrient amounts per unit of food."""

    food_id: str
    cost: float
    nutrients: Mapping[str, float]
    max_units: float | None = None  # None = no limit


@dataclass(frozen=True)
class Requirement:
    """What the diet must deliver of one nutrient (None = no bound on that side)."""

    nutrient: str
    min: float | None
    max: float | None

    def bounds(self) -> list[tuple[str, float]]:
        """The (side, limit) pairs this requirement sets, `min` first."""
        out: list[tuple[str, float]] = []
        if self.min is not None:
            out.append((MIN, self.min))
        if self.max is not None:
            out.append((MAX, self.max))
        return out


@dataclass(frozen=True)
class DietProblem:
    """Foods and requirements, already checked (see `menu_planner.diet.reading`)."""

    foods: tuple[DietFood, ...]
    requirements: tuple[Requirement, ...]

    def amount(self, quantities: Mapping[str, float], nutrient: str) -> float:
        """How much of `nutrient` the given units of food deliver."""
        return sum(
            f.nutrients.get(nutrient, 0.0) * quantities.get(f.food_id, 0.0) for f in self.foods
        )


@dataclass(frozen=True)
class BindingRequirement:
    """A requirement the optimal diet meets exactly, and what relaxing it is worth.

    `shadow_price` is the change of the minimum cost per unit increase of `limit`
    (positive for a binding minimum, negative or zero for a binding maximum).
    """

    nutrient: str
    side: str  # "min" or "max"
    limit: float
    value: float
    shadow_price: float


@dataclass(frozen=True)
class DietSolution:
    """The least-cost diet, as proved optimal by the solver."""

    total_cost: float
    quantities: Mapping[str, float]  # non-zero units of food only
    nutrients: Mapping[str, float]  # what the diet delivers of each required nutrient
    binding: tuple[BindingRequirement, ...]
    shadow_prices: Mapping[str, float]  # per nutrient: marginal cost of its requirement
    solver: str
    status: str = "optimal"

    def as_json(self) -> dict[str, Any]:
        """The JSON form printed by `menu-planner diet`."""
        return {
            "status": self.status,
            "total_cost": self.total_cost,
            "quantities": dict(self.quantities),
            "nutrients": dict(self.nutrients),
            "binding": [
                {"nutrient": b.nutrient, "bound": b.side, "limit": b.limit,
                 "value": b.value, "shadow_price": b.shadow_price}
                for b in self.binding
            ],
            "shadow_prices": dict(self.shadow_prices),
            "solver": self.solver,
        }


@dataclass(frozen=True)
class Violation:
    """A requirement that no diet can meet, and by how much the closest diet misses it."""

    nutrient: str
    side: str  # "min" (shortfall) or "max" (excess)
    limit: float
    achieved: float  # what the closest diet delivers of the nutrient
    amount: float  # shortfall below min or excess above max (> 0)

    @property
    def relative(self) -> float:
        """The miss as a share of the limit (amount itself when the limit is 0)."""
        return self.amount / self.limit if self.limit > 0 else self.amount


@dataclass(frozen=True)
class DietInfeasible:
    """No diet meets every requirement: the violations of the closest diet.

    The closest diet minimizes the sum of relative violations (shortfall / min,
    excess / max); among those, it is the cheapest.
    """

    violations: tuple[Violation, ...]
    nearest_cost: float
    nearest_quantities: Mapping[str, float]
    message_es: str
    solver: str
    status: str = "infeasible"

    def as_json(self) -> dict[str, Any]:
        """The JSON form printed by `menu-planner diet` (exit code 2)."""
        return {
            "status": self.status,
            "message": self.message_es,
            "violations": [
                {"nutrient": v.nutrient, "bound": v.side, "limit": v.limit,
                 "achieved": v.achieved,
                 "shortfall" if v.side == MIN else "excess": v.amount}
                for v in self.violations
            ],
            "nearest_diet": {"total_cost": self.nearest_cost,
                             "quantities": dict(self.nearest_quantities)},
            "solver": self.solver,
        }


class SolverError(Exception):
    """The solver ended without proving optimality or infeasibility (message in Spanish)."""
