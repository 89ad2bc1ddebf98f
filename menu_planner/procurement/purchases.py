"""Weekly purchase lists: a menu cycle x the centers' enrollment -> what each center buys.

The arithmetic (contract `menu_planner.purchases/1`, explained in docs/purchases.md):
per food, needed grams = sum over the week's service days and dishes of portions x
ingredient grams x enrolled x attendance / edible fraction x (1 + waste factor). It is
computed as grams per person per age group first (a small matrix per week), then one
matrix product with the people served per center and age group: no long table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from menu_planner.domain import NATIONAL, Center, DataError, Dataset, Food, MenuCycle, Price
from menu_planner.nutrition import grams_of, meal_items
from menu_planner.procurement.checks import (
    CENTERS_LABEL,
    CYCLE_LABEL,
    center_problems,
    cycle_problems,
    price_problems,
    week_problems,
)
from menu_planner.procurement.money import round_q
from menu_planner.procurement.result import FloatArray, IntArray, WeekPurchases, total_by_center
from menu_planner.procurement.settings import WEEK_COST, PurchaseSettings
from menu_planner.procurement.units import left_over, round_grams, units_to_buy

_BLOCK = 2048  # centers per block of array arithmetic

# Weekdays served: one set for every center, or center_id -> set (others: every day).
Weekdays = Collection[int] | Mapping[str, Collection[int]] | None
CarryIn = WeekPurchases | Mapping[str, Mapping[str, float]] | None


@dataclass(frozen=True, eq=False)
class PurchasePlan:
    """What does not change from week to week: the checked centers of the cycle's program,
    the food axis, people served per age group, and the prices per department."""

    dataset: Dataset
    cycle: MenuCycle
    settings: PurchaseSettings
    centers: tuple[Center, ...]
    foods: tuple[Food, ...]
    attendance: FloatArray  # [center]
    people: FloatArray  # [center, age group]: enrolled x attendance
    gross_factor: FloatArray  # [food]: (1 + waste) / edible fraction
    waste_factor: FloatArray  # [food]
    keeps: np.ndarray  # [food] bool
    prices: tuple[Price, ...]
    # [region, food, k] -> index into prices of the k-th cheapest unit per gram (-1: none)
    price_table: IntArray
    region_of_center: IntArray  # [center]
    as_of: date
    cycle_label: str = CYCLE_LABEL

    def week(
        self, cycle_week: int, weekdays: Weekdays = None, carry_in: CarryIn = None,
        week_start: date | None = None,
    ) -> WeekPurchases:
        """The purchase lists of one cycle week; DataError if the week or a day is missing."""
        groups = _weekday_groups(self, cycle_week, weekdays)
        n_c, n_f = len(self.centers), len(self.foods)
        needed = np.empty((n_c, n_f))
        days = np.zeros(n_c, dtype=np.int64)
        served_by_center: list[tuple[int, ...]] = [()] * n_c
        for served, rows in groups:
            per_person = self._week_grams(cycle_week, served)  # [group, food] gross grams
            if len(groups) == 1:
                np.matmul(self.people, per_person, out=needed)
            else:
                needed[rows] = self.people[rows] @ per_person
            days[rows] = len(served)
            for r in rows.tolist():
                served_by_center[r] = served
        cin = self._carry_matrix(carry_in)
        qty, cout, cost, slot = self._buy(needed, cin)
        return WeekPurchases(
            program=self.cycle.program,
            program_name=self.dataset.programs[self.cycle.program].name_es,
            week=cycle_week, centers=self.centers, weekdays=tuple(served_by_center),
            foods=self.foods, attendance=self.attendance,
            people_served=self.people.sum(axis=1), service_days=days,
            daily_budget_q=self.cycle.daily_budget_q, needed_grams=needed,
            carried_in_grams=cin, quantity=qty, carried_out_grams=cout, cost_q=cost,
            waste_factor=self.waste_factor, prices=self.prices, price_slot=slot,
            as_of=self.as_of,
            price_max_age_days=self.settings.price_max_age_days, week_start=week_start,
        )

    def _buy(
        self, needed: FloatArray, cin: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
        """Round `needed` (in place) and fill quantity, carried-out grams, cost and the
        price used, by blocks of centers so that temporaries stay small."""
        unit_grams = np.array([p.unit_grams for p in self.prices] + [1.0])
        unit_price = np.array([p.price_q for p in self.prices] + [0.0])  # -1: padding
        step = np.array([self.settings.step(p.purchase_unit) for p in self.prices] + [1.0])
        qty, cout, cost = (np.empty_like(needed) for _ in range(3))
        slot: IntArray = np.empty(needed.shape, dtype=np.int64)
        by_week_cost = self.settings.unit_choice == WEEK_COST
        first = self.price_table[:, :, 0]  # [region, food]: the cheapest per gram
        for start in range(0, len(self.centers), _BLOCK):
            rows = slice(start, start + _BLOCK)
            need = needed[rows] = round_grams(needed[rows])
            if by_week_cost and self.price_table.shape[2] > 1:
                options = self.price_table[self.region_of_center[rows]]  # [c, f, k]
                s = _cheapest_this_week(need, cin[rows], options, unit_grams, unit_price, step)
            else:
                s = first[self.region_of_center[rows]]
            ug = unit_grams[s]
            q = qty[rows] = units_to_buy(need, cin[rows], ug, step[s])
            cout[rows] = left_over(need, cin[rows], q, ug, self.keeps)
            cost[rows] = round_q(q * unit_price[s])
            slot[rows] = s
        return qty, cout, cost, slot

    def weeks(
        self, service_weeks: Sequence[tuple[int, Weekdays]] | None = None,
        carry_in: CarryIn = None, first_week_start: date | None = None,
    ) -> list[WeekPurchases]:
        """Several weeks in calendar order, each week's leftovers carried into the next
        (default: every cycle week, every day). Weeks are checked before any is computed."""
        return list(self.iter_weeks(service_weeks, carry_in, first_week_start))

    def iter_weeks(
        self, service_weeks: Sequence[tuple[int, Weekdays]] | None = None,
        carry_in: CarryIn = None, first_week_start: date | None = None,
    ) -> Iterator[WeekPurchases]:
        """Like `weeks`, one week at a time: a caller that keeps only totals does not hold
        every week's arrays in memory."""
        if service_weeks is None:
            service_weeks = [(w, None) for w in sorted({d.week for d in self.cycle.days})]
        problems = [p for w, days in service_weeks for p in week_problems(
            self.cycle, w, None if isinstance(days, Mapping) else days, self.cycle_label)]
        if problems:
            raise DataError(problems)
        carry = carry_in
        for i, (w, days) in enumerate(service_weeks):
            start = None if first_week_start is None else first_week_start + timedelta(7 * i)
            carry = self.week(w, days, carry, start)
            yield carry

    def _week_grams(self, cycle_week: int, served: tuple[int, ...]) -> FloatArray:
        """Gross grams per person of each age group over the served days of the week."""
        index = {f.food_id: i for i, f in enumerate(self.foods)}
        out = np.zeros((len(self.cycle.age_groups), len(self.foods)))
        for day in self.cycle.days_of_week(cycle_week):
            if day.weekday not in served:
                continue
            for g, group in enumerate(self.cycle.age_groups):
                for food_id, grams in grams_of(self.dataset,
                                               meal_items(day.meals, group)).items():
                    out[g, index[food_id]] += grams
        return out * self.gross_factor

    def _carry_matrix(self, carry_in: CarryIn) -> FloatArray:
        shape = (len(self.centers), len(self.foods))
        if carry_in is None:
            return np.zeros(shape)
        if (isinstance(carry_in, WeekPurchases) and carry_in.centers == self.centers
                and carry_in.foods == self.foods):
            return carry_in.carried_out_grams  # already 0 for foods that do not keep
        given = (carry_in.carry_out_by_center() if isinstance(carry_in, WeekPurchases)
                 else carry_in)
        out = np.zeros(shape)
        food_index = {f.food_id: i for i, f in enumerate(self.foods)}
        for c, center in enumerate(self.centers):
            for food_id, grams in given.get(center.center_id, {}).items():
                f = food_index.get(food_id)
                if f is not None and self.keeps[f] and grams > 0:
                    out[c, f] = grams
        return round_grams(out)


def prepare_purchases(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center], *,
    attendance: Mapping[str, float] | None = None, settings: PurchaseSettings | None = None,
    as_of: date | None = None, cycle_label: str = CYCLE_LABEL,
    centers_label: str = CENTERS_LABEL,
) -> PurchasePlan:
    """Check the cycle, centers and prices and set up the week-independent arrays.

    Only centers of the cycle's program are kept. `attendance` maps center_id -> share
    of enrolled people expected each day (the `attendance` column of centers.csv); other
    centers use `settings.default_attendance`. DataError lists every problem found.
    """
    settings = settings or PurchaseSettings()
    problems = cycle_problems(dataset, cycle, cycle_label)
    problems += center_problems(dataset, cycle, centers, centers_label)
    if problems:
        raise DataError(problems)
    mine = tuple(c for c in centers if c.program == cycle.program)
    foods = _food_axis(dataset, cycle)
    regions = sorted({c.department for c in mine})
    problems = price_problems(dataset, [f.food_id for f in foods], regions)
    if problems:
        raise DataError(problems)
    att = np.array([(attendance or {}).get(c.center_id, settings.default_attendance)
                    for c in mine], dtype=np.float64)
    enrolled = np.array([[c.enrolled.get(g, 0) for g in cycle.age_groups] for c in mine],
                        dtype=np.float64).reshape(len(mine), len(cycle.age_groups))
    waste = np.array([settings.waste_factor(f.food_group) for f in foods])
    prices, table = _price_table(dataset, foods, regions)
    region_index = {r: i for i, r in enumerate(regions)}
    return PurchasePlan(
        dataset=dataset, cycle=cycle, settings=settings, centers=mine, foods=foods,
        attendance=att, people=enrolled * att[:, None],
        gross_factor=(1.0 + waste) / np.array([f.edible_fraction for f in foods]),
        waste_factor=waste, keeps=np.array([f.keeps for f in foods], dtype=bool),
        prices=prices, price_table=table,
        region_of_center=np.array([region_index[c.department] for c in mine], dtype=np.int64),
        as_of=as_of or date.today(), cycle_label=cycle_label,
    )


def weekly_purchase_lists(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center], cycle_week: int, *,
    weekdays: Weekdays = None, carry_in: CarryIn = None,
    settings: PurchaseSettings | None = None, attendance: Mapping[str, float] | None = None,
    as_of: date | None = None, week_start: date | None = None,
) -> WeekPurchases:
    """The purchase lists of cycle week `cycle_week` for every center of the cycle's program.

    `weekdays`: the weekdays served that week (default: every day the cycle has), for all
    centers or per center_id. `carry_in`: last week's lists (or center_id -> food_id ->
    grams) whose leftovers of foods that keep reduce what is bought. Prices: the center's
    department, else `Nacional`; where several units are listed, the cheapest per gram.
    """
    plan = prepare_purchases(dataset, cycle, centers, attendance=attendance,
                             settings=settings, as_of=as_of)
    return plan.week(cycle_week, weekdays, carry_in, week_start)


def cycle_purchase_lists(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center], *,
    service_weeks: Sequence[tuple[int, Weekdays]] | None = None, carry_in: CarryIn = None,
    settings: PurchaseSettings | None = None, attendance: Mapping[str, float] | None = None,
    as_of: date | None = None,
) -> list[WeekPurchases]:
    """Purchase lists of several weeks in order, each week's leftovers carried into the next.

    `service_weeks`: (cycle week, weekdays served) pairs in calendar order, e.g. a month's
    weeks from the service calendar (a week may repeat); default every cycle week, all days.
    """
    plan = prepare_purchases(dataset, cycle, centers, attendance=attendance,
                             settings=settings, as_of=as_of)
    return plan.weeks(service_weeks, carry_in)


def planned_food_q(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center],
    service_weeks: Sequence[tuple[int, Weekdays]], *, carry_in: CarryIn = None,
    settings: PurchaseSettings | None = None, attendance: Mapping[str, float] | None = None,
    as_of: date | None = None,
) -> dict[str, float]:
    """center_id -> planned food spending (Q) over the given (cycle week, weekdays) pairs:
    the sum of `total_q` of their purchase lists, leftovers carried from week to week.
    The caja-chica budget calls this with the weeks and weekdays of one month."""
    plan = prepare_purchases(dataset, cycle, centers, attendance=attendance,
                             settings=settings, as_of=as_of)
    return total_by_center(plan.iter_weeks(service_weeks, carry_in))


def _food_axis(dataset: Dataset, cycle: MenuCycle) -> tuple[Food, ...]:
    """Every food any dish of the cycle uses, by market section, then name."""
    ids = {ing.food_id for d in cycle.days for m in d.meals for it in m.items
           for ing in dataset.recipes[it.recipe_id].ingredients}
    foods = [dataset.foods[i] for i in ids]
    return tuple(sorted(foods, key=lambda f: (f.market_section, f.name_es, f.food_id)))


def _price_table(
    dataset: Dataset, foods: Sequence[Food], regions: Sequence[str]
) -> tuple[tuple[Price, ...], IntArray]:
    """Prices used and [region, food, k] -> the k-th cheapest unit per gram of the region
    (the `Nacional` rows where the region lists none), padded with -1."""
    prices: list[Price] = []
    slot: dict[int, int] = {}
    options: list[list[list[int]]] = []
    listed_in: dict[tuple[str, str], list[Price]] = {}
    for p in dataset.prices:
        listed_in.setdefault((p.food_id, p.department), []).append(p)
    for region in regions:
        row = []
        for food in foods:
            listed = (listed_in.get((food.food_id, region))
                      or listed_in.get((food.food_id, NATIONAL), []))
            ranked = sorted(listed, key=lambda p: p.q_per_purchased_gram)
            first = dataset.price_for(food.food_id, region)  # the contract's choice
            ranked = [first, *(p for p in ranked if p is not first)]
            for p in ranked:
                slot.setdefault(id(p), len(prices))
                if len(prices) == slot[id(p)]:
                    prices.append(p)
            row.append([slot[id(p)] for p in ranked])
        options.append(row)
    depth = max(len(o) for row in options for o in row)
    table = np.full((len(regions), len(foods), depth), -1, dtype=np.int64)
    for r, row in enumerate(options):
        for f, o in enumerate(row):
            table[r, f, : len(o)] = o
    return tuple(prices), table


def _cheapest_this_week(
    need: FloatArray, cin: FloatArray, options: IntArray, unit_grams: FloatArray,
    unit_price: FloatArray, step: FloatArray,
) -> IntArray:
    """Per [center, food], the listed unit whose rounded-up purchase costs least this
    week (ties: the cheaper per gram). Padding (-1) indexes the last, infinite price."""
    costs = np.stack([
        round_q(units_to_buy(need, cin, unit_grams[options[:, :, k]],
                             step[options[:, :, k]]) * unit_price[options[:, :, k]])
        for k in range(options.shape[2])
    ], axis=2)
    costs[options < 0] = np.inf
    best = np.argmin(costs, axis=2)
    chosen: IntArray = np.take_along_axis(options, best[:, :, None], axis=2)[:, :, 0]
    return chosen


def _weekday_groups(
    plan: PurchasePlan, cycle_week: int, weekdays: Weekdays
) -> list[tuple[tuple[int, ...], IntArray]]:
    """(weekdays served, center rows) for each distinct set of served days."""
    label = plan.cycle_label
    problems = week_problems(plan.cycle, cycle_week, None, label)
    if problems:
        raise DataError(problems)
    every = tuple(sorted({d.weekday for d in plan.cycle.days_of_week(cycle_week)}))
    if weekdays is None or not isinstance(weekdays, Mapping):
        served = every if weekdays is None else tuple(sorted(set(weekdays)))
        problems = week_problems(plan.cycle, cycle_week, served, label)
        if problems:
            raise DataError(problems)
        return [(served, np.arange(len(plan.centers)))]
    by_set: dict[tuple[int, ...], list[int]] = {}
    problems = []
    for c, center in enumerate(plan.centers):
        days = weekdays.get(center.center_id)
        served = every if days is None else tuple(sorted(set(days)))
        problems += week_problems(plan.cycle, cycle_week, served, label,
                                  f" (centro {center.center_id})")
        by_set.setdefault(served, []).append(c)
    if problems:
        raise DataError(problems)
    return [(s, np.array(rows, dtype=np.int64)) for s, rows in by_set.items()]


__all__ = [
    "CarryIn",
    "PurchasePlan",
    "Weekdays",
    "cycle_purchase_lists",
    "planned_food_q",
    "prepare_purchases",
    "weekly_purchase_lists",
]
