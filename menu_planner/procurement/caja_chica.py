"""The monthly petty-cash (caja chica) budget of each center. Pure.

Per center and month (contract `menu_planner.caja_chica/1`, docs/caja-chica.md):
- service days: from the service calendar (weekdays, national holidays, closures);
- food entitlement = the program's daily budget x enrolled x service days;
- planned food spending = the sum of the month's purchase lists when a menu cycle is given
  (each calendar week mapped onto its cycle week, only the days served that week);
- allowances from the program's allowance rules;
- total = food entitlement + allowances.
All money is whole centavos.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from menu_planner.domain import Center, Dataset, MenuCycle, Program
from menu_planner.procurement.allowances import AllowanceRules, monthly_allowances
from menu_planner.procurement.calendar import (
    Closure,
    Month,
    service_dates,
    service_pattern,
    weekdays_per_cycle_week,
)
from menu_planner.procurement.money import Cents, to_cents
from menu_planner.procurement.purchases import planned_food_q
from menu_planner.procurement.settings import PurchaseSettings


@dataclass(frozen=True)
class CenterBudget:
    """One center's petty cash for one month (money in centavos)."""

    center: Center
    service_days: int
    daily_quota: Cents
    food_entitlement: Cents
    allowances: Mapping[str, Cents]
    pending: tuple[str, ...] = ()  # allowance items left for review
    planned_food: Cents | None = None  # None: no menu cycle for this program
    flags: tuple[str, ...] = ()
    assigned: Cents | None = None  # the fund actually assigned, when a file gives it
    previous_enrolled: int | None = None  # last month's enrollment, when given

    @property
    def enrolled(self) -> int:
        """People enrolled, all age groups together."""
        return self.center.total_enrolled

    @property
    def allowances_total(self) -> Cents:
        """The sum of the computed allowances."""
        return sum(self.allowances.values())

    @property
    def total(self) -> Cents:
        """Food entitlement plus allowances: the fund the rules give the center."""
        return self.food_entitlement + self.allowances_total

    def flagged(self, *flags: str) -> CenterBudget:
        """A copy with more flags."""
        return replace(self, flags=self.flags + tuple(f for f in flags if f))


def center_service_dates(
    month: Month, centers: Sequence[Center], programs: Mapping[str, Program], *,
    closures: Mapping[str, Sequence[Closure]] | None = None, half_days_off: bool = False,
) -> dict[str, list[date]]:
    """center_id -> the dates of `month` the center serves meals."""
    closures = closures or {}
    out: dict[str, list[date]] = {}
    for c in centers:
        pattern = service_pattern(programs[c.program].service_days_per_week, c.center_type)
        closed = [x.day for x in closures.get(c.center_id, ())]
        out[c.center_id] = service_dates(month, pattern, closures=closed,
                                         half_days_off=half_days_off)
    return out


def closure_flags(
    month: Month, centers: Sequence[Center], programs: Mapping[str, Program],
    closures: Mapping[str, Sequence[Closure]], *, half_days_off: bool = False,
) -> dict[str, str]:
    """center_id -> a flag naming the closures that took service days away this month."""
    out: dict[str, str] = {}
    for c in centers:
        rows = closures.get(c.center_id)
        if not rows:
            continue
        pattern = service_pattern(programs[c.program].service_days_per_week, c.center_type)
        would = set(service_dates(month, pattern, half_days_off=half_days_off))
        taken = sorted((x for x in rows if x.day in would), key=lambda x: x.day)
        if taken:
            listed = ", ".join(f"{x.day:%d/%m}" + (f" ({x.reason})" if x.reason else "")
                               for x in taken)
            out[c.center_id] = f"Cierre(s) declarado(s): {listed}."
    return out


def center_budget(
    center: Center, program: Program, rules: AllowanceRules | None, service_days: int,
    planned_food: Cents | None = None,
) -> CenterBudget:
    """The month's budget of one center from its service days and the program's rules."""
    quota = to_cents(program.daily_budget_q)
    enrolled = center.total_enrolled
    if rules is None:
        return CenterBudget(center, service_days, quota, quota * enrolled * service_days, {},
                            planned_food=planned_food,
                            flags=(f"Sin reglas de asignaciones para el programa "
                                   f"'{center.program}': solo alimentos.",))
    allowances = monthly_allowances(rules, enrolled)
    flags = list(allowances.flags)
    if service_days == 0:
        flags.append("El centro no tiene días de servicio en el mes.")
    return CenterBudget(center, service_days, quota, quota * enrolled * service_days,
                        allowances.amounts, allowances.pending, planned_food, tuple(flags))


def month_budgets(
    centers: Sequence[Center], programs: Mapping[str, Program],
    rules: Mapping[str, AllowanceRules], served: Mapping[str, Sequence[date]],
    planned: Mapping[str, Cents] | None = None, notes: Mapping[str, str] | None = None,
) -> list[CenterBudget]:
    """Every center's budget, in the centers' order. `served`: center_id -> service
    dates; `planned`: center_id -> planned food spending (centers absent: None); `notes`:
    center_id -> a flag to add (e.g. its closures)."""
    planned, notes = planned or {}, notes or {}
    return [center_budget(c, programs[c.program], rules.get(c.program),
                          len(served[c.center_id]), planned.get(c.center_id))
            .flagged(notes.get(c.center_id, ""))
            for c in centers]


def planned_food_for_month(
    dataset: Dataset, cycle: MenuCycle, centers: Sequence[Center], month: Month,
    served: Mapping[str, Sequence[date]], start: date, *,
    settings: PurchaseSettings | None = None, attendance: Mapping[str, float] | None = None,
) -> dict[str, Cents]:
    """center_id -> the month's planned food spending for the centers of the cycle's
    program: the purchase lists of each calendar week of the month (its cycle week, the
    days each center serves in the month), leftovers carried from week to week. Days the
    cycle has no menu for (e.g. weekends of a residential center) are left out."""
    mine = [c for c in centers if c.program == cycle.program]
    if not mine:
        return {}
    menu_days = {w: {d.weekday for d in cycle.days_of_week(w)}
                 for w in range(1, cycle.weeks + 1)}
    weeks = weekdays_per_cycle_week(month, start, cycle.weeks,
                                    {c.center_id: served[c.center_id] for c in mine})
    service_weeks = [
        (cw, {cid: tuple(d for d in days if d in menu_days[cw]) for cid, days in per.items()})
        for cw, per in weeks
    ]
    totals = planned_food_q(dataset, cycle, mine, service_weeks, settings=settings,
                            attendance=attendance, as_of=month.first_day)
    return {cid: to_cents(q) for cid, q in totals.items()}
