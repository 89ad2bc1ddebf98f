"""The purchase lists of one cycle week for many centers, held as arrays (center x food)
so that tens of thousands of centers stay cheap; lines are built only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import numpy.typing as npt

from menu_planner.domain import NATIONAL, Center, Food, Price
from menu_planner.procurement.calendar import CalendarDay
from menu_planner.procurement.money import round_q, sum_q, to_cents

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PurchaseLine:
    """What one center buys of one food in one week, and why (see docs/purchases.md)."""

    food: Food
    purchase_unit: str
    unit_grams: float
    needed_grams: float
    waste_factor: float
    carried_in_grams: float
    quantity: float
    carried_out_grams: float
    unit_price_q: float
    price_date: date
    price_region: str  # the department whose price was used, or `Nacional`
    price_age_days: int
    cost_q: float

    @property
    def food_id(self) -> str:
        """The food's id."""
        return self.food.food_id

    @property
    def national_fallback(self) -> bool:
        """Whether the department lists no price for this food and `Nacional` was used."""
        return self.price_region == NATIONAL


@dataclass(frozen=True, eq=False)
class WeekPurchases:
    """Purchase lists of cycle week `week` for `centers` (all of one program).

    Arrays are indexed [center] or [center, food] along `centers` and `foods`. Per center:
    `people_served` = sum of enrolled x attendance (people per day), `budget_q` =
    daily budget x people served x service days. Per line: grams as purchased,
    `quantity` in purchase units, `cost_q` = quantity x unit price. Prices come from
    `prices[price_slot[c, f]]` (the unit chosen for that center and food this week).
    """

    program: str
    program_name: str
    week: int
    centers: tuple[Center, ...]
    weekdays: tuple[tuple[int, ...], ...]  # [center]: cycle weekdays served (1 = Monday)
    foods: tuple[Food, ...]
    attendance: FloatArray
    people_served: FloatArray
    service_days: IntArray
    daily_budget_q: float
    needed_grams: FloatArray
    carried_in_grams: FloatArray
    quantity: FloatArray
    carried_out_grams: FloatArray
    cost_q: FloatArray
    waste_factor: FloatArray
    prices: tuple[Price, ...]
    price_slot: IntArray
    as_of: date
    price_max_age_days: int
    week_start: date | None = None
    # [center]: the days of the calendar week left out of the service (holidays, closures)
    # and the half days served; empty when the list was not made for a calendar week.
    calendar: tuple[tuple[CalendarDay, ...], ...] = ()
    notes: tuple[str, ...] = ()  # warnings about every center's list (Spanish sentences)

    def days_off(self, index: int) -> tuple[CalendarDay, ...]:
        """The days of the center at row `index` left out of this week's service."""
        return tuple(d for d in self._calendar_of(index) if not d.served)

    def half_days(self, index: int) -> tuple[CalendarDay, ...]:
        """The half days (24 and 31 December) served this week by the center at `index`."""
        return tuple(d for d in self._calendar_of(index) if d.served)

    def _calendar_of(self, index: int) -> tuple[CalendarDay, ...]:
        return self.calendar[index] if self.calendar else ()

    @cached_property
    def center_ids(self) -> tuple[str, ...]:
        """Center ids in array order."""
        return tuple(c.center_id for c in self.centers)

    @cached_property
    def food_ids(self) -> tuple[str, ...]:
        """Food ids in array order (grouped by market section, then name)."""
        return tuple(f.food_id for f in self.foods)

    @cached_property
    def total_q(self) -> FloatArray:
        """What each center spends this week: the sum of its lines' cost, in quetzales."""
        return sum_q(self.cost_q, axis=1)

    @cached_property
    def budget_q(self) -> FloatArray:
        """Each center's food budget for the week: daily budget x people served x days."""
        return round_q(self.daily_budget_q * self.people_served * self.service_days)

    def totals_by_center(self) -> dict[str, float]:
        """center_id -> total_q; sum these over weeks for a month's planned spending."""
        return dict(zip(self.center_ids, self.total_q.tolist(), strict=True))

    def center_index(self, center_id: str) -> int:
        """The array row of a center; KeyError if it is not in this week's lists."""
        return self._center_rows[center_id]

    @cached_property
    def _center_rows(self) -> dict[str, int]:
        return {c.center_id: i for i, c in enumerate(self.centers)}

    def line_mask(self) -> npt.NDArray[np.bool_]:
        """Which (center, food) cells make a line: food needed this week or held in stock."""
        return (self.needed_grams > 0) | (self.carried_in_grams > 0)

    def price_slots(self) -> IntArray:
        """[center, food] index into `prices`."""
        return self.price_slot

    def lines(self, index: int) -> list[PurchaseLine]:
        """The purchase lines of the center at row `index`, in food-axis order."""
        mask = (self.needed_grams[index] > 0) | (self.carried_in_grams[index] > 0)
        slots = self.price_slot[index]
        return [self._line(index, int(f), self.prices[int(slots[f])])
                for f in np.flatnonzero(mask)]

    def _line(self, c: int, f: int, price: Price) -> PurchaseLine:
        return PurchaseLine(
            food=self.foods[f], purchase_unit=price.purchase_unit,
            unit_grams=price.unit_grams, needed_grams=float(self.needed_grams[c, f]),
            waste_factor=float(self.waste_factor[f]),
            carried_in_grams=float(self.carried_in_grams[c, f]),
            quantity=float(self.quantity[c, f]),
            carried_out_grams=float(self.carried_out_grams[c, f]),
            unit_price_q=price.price_q, price_date=price.price_date,
            price_region=price.department,
            price_age_days=(self.as_of - price.price_date).days,
            cost_q=float(self.cost_q[c, f]),
        )

    def stale_prices(self, index: int) -> list[PurchaseLine]:
        """Lines of a center whose price is older than `price_max_age_days`."""
        return [ln for ln in self.lines(index) if ln.price_age_days > self.price_max_age_days]

    def carry_out_by_center(self) -> dict[str, dict[str, float]]:
        """center_id -> food_id -> grams left over (only foods that keep, only > 0)."""
        out: dict[str, dict[str, float]] = {}
        rows, cols = np.nonzero(self.carried_out_grams > 0)
        for r, f in zip(rows.tolist(), cols.tolist(), strict=True):
            out.setdefault(self.centers[r].center_id, {})[self.foods[f].food_id] = float(
                self.carried_out_grams[r, f])
        return out


def total_by_center(weeks: Iterable[WeekPurchases]) -> dict[str, float]:
    """center_id -> the sum of `total_q` over several weeks' lists (e.g. a month's)."""
    cents: dict[str, int] = {}
    for wk in weeks:
        for cid, total in wk.totals_by_center().items():
            cents[cid] = cents.get(cid, 0) + to_cents(total)
    return {cid: c / 100 for cid, c in cents.items()}
