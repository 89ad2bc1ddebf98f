"""Purchase lists with unavailable foods replaced: the week's lists before and after, the
substitutions made, and every target or budget the change breaks (days per person, and
each center's weekly budget), so that a person sees them before accepting the list."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from menu_planner.domain import Center, Dataset, MenuCycle
from menu_planner.exchanges.impact import Breach
from menu_planner.exchanges.rules import ExchangeRules
from menu_planner.exchanges.substitution import (
    Substitution,
    choose_substitutions,
    substitute_recipes,
    swaps_of,
)
from menu_planner.procurement import WeekPurchases, weekly_purchase_lists
from menu_planner.variants.purchases import VariantUse, purchases_with_variants


@dataclass(frozen=True)
class BudgetBreach:
    """A center whose weekly list fits its budget before the substitution and not after."""

    center_id: str
    name: str
    budget_q: float
    before_q: float
    after_q: float

    def message_es(self) -> str:
        """E.g. "C-1 (Centro): Q212.40 > presupuesto Q200.00 (antes Q196.10)"."""
        return (f"{self.center_id} ({self.name}): Q{self.after_q:,.2f} > presupuesto "
                f"Q{self.budget_q:,.2f} (antes Q{self.before_q:,.2f})")


@dataclass(frozen=True)
class SubstitutedWeek:
    """The week's purchase lists before and after replacing the unavailable foods."""

    substitutions: tuple[Substitution, ...]
    before: WeekPurchases
    after: WeekPurchases
    budget_breaches: tuple[BudgetBreach, ...]

    @property
    def day_breaches(self) -> tuple[Breach, ...]:
        """Every day or weekly target and daily budget broken, over all substitutions."""
        seen: dict[Breach, None] = {}
        for s in self.substitutions:
            seen.update(dict.fromkeys(s.breaches))
        return tuple(seen)

    @property
    def breaks_something(self) -> bool:
        """Whether anything that held before fails after (the list then needs accepting)."""
        return bool(self.day_breaches or self.budget_breaches)


def price_region_of(cycle: MenuCycle, centers: Sequence[Center]) -> str:
    """The department of the cycle's centers when they all share one, else the cycle's
    price region: the prices at which the replacement is chosen."""
    deps = {c.department for c in centers if c.program == cycle.program}
    return deps.pop() if len(deps) == 1 else cycle.price_region


def substituted_week(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center], week: int,
    unavailable: Sequence[str], *, region: str | None = None,
    rules: ExchangeRules | None = None, data_dir: Path | None = None,
    variants: Sequence[VariantUse] = (), weekdays: Collection[int] | None = None,
    **purchase_kwargs: Any,
) -> SubstitutedWeek:
    """Lists of cycle week `week` before and after replacing `unavailable` foods by their
    best exchange (see `choose_substitutions`). `variants`: subgroups eating a variant
    (their people's lists use the variant, with the same substitutions). Other keyword
    arguments go to `weekly_purchase_lists` (carry_in, settings, attendance, as_of...)."""
    region = region or price_region_of(cycle, centers)
    subs = choose_substitutions(dataset, cycle, week, unavailable, region=region, rules=rules,
                                data_dir=data_dir,
                                weekdays=sorted(weekdays) if weekdays is not None else None)
    changed = substitute_recipes(dataset, swaps_of(subs))

    def lists(ds: Dataset) -> WeekPurchases:
        if variants:
            return purchases_with_variants(ds, cycle, centers, variants, week,
                                           weekdays=weekdays, **purchase_kwargs)
        return weekly_purchase_lists(ds, cycle, centers, week, weekdays=weekdays,
                                     **purchase_kwargs)

    before, after = lists(dataset), lists(changed)
    return SubstitutedWeek(tuple(subs), before, after, tuple(budget_breaches(before, after)))


def budget_breaches(before: WeekPurchases, after: WeekPurchases) -> list[BudgetBreach]:
    """Centers within budget before and over it after."""
    out = []
    for i, c in enumerate(after.centers):
        budget = float(after.budget_q[i])
        old, new = float(before.total_q[i]), float(after.total_q[i])
        if old <= budget < new:
            out.append(BudgetBreach(c.center_id, c.name, budget, old, new))
    return out
