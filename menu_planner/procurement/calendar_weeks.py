"""Purchase lists of calendar weeks: each center buys, and is funded, for the days it
serves that week by the service calendar the petty cash uses (national holidays, Holy
Week, Christmas, its declared closures), and its list names the days left out and why.

A calendar week is mapped onto its cycle week (`calendar.cycle_position`); the weeks of
the current pass through the cycle, from its week 1 to the one asked for, are computed in
order so that leftovers of foods that keep carry into the week (docs/purchases.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from menu_planner.domain import Center, MenuCycle, Program
from menu_planner.procurement.calendar import (
    CalendarDay,
    Closure,
    cycle_position,
    service_pattern,
    week_monday,
    week_service,
)
from menu_planner.procurement.purchases import CarryIn, PurchasePlan
from menu_planner.procurement.result import WeekPurchases

NO_MENU_ES = "el ciclo de menú no tiene menú para ese día"


@dataclass(frozen=True)
class CalendarWeek:
    """One calendar week of some centers: its cycle week, the weekdays each center serves
    (and the cycle has a menu for), and the days the calendar singles out per center."""

    monday: date
    cycle_week: int
    weekdays: Mapping[str, tuple[int, ...]]  # center_id -> weekdays served (1 = Monday)
    calendar: Mapping[str, tuple[CalendarDay, ...]]  # center_id -> days left out, half days


def calendar_week(
    cycle: MenuCycle, centers: Sequence[Center], programs: Mapping[str, Program],
    monday: date, start: date, *, closures: Mapping[str, Sequence[Closure]] | None = None,
    half_days_off: bool = False,
) -> CalendarWeek:
    """The week of `monday` for `centers`, with cycle week 1 the week holding `start`.
    Each center serves its program's weekdays (every day if residential), minus national
    holidays (not if residential) and its closures, as `caja_chica.center_service_dates`
    counts them; a served day the cycle has no menu for (a weekend) is left out too."""
    first = week_monday(monday)
    cw = cycle_position(first, start, cycle.weeks)[0]
    menu_days = {d.weekday for d in cycle.days_of_week(cw)}
    weekdays: dict[str, tuple[int, ...]] = {}
    calendar: dict[str, tuple[CalendarDay, ...]] = {}
    for c in centers:
        pattern = service_pattern(programs[c.program].service_days_per_week, c.center_type)
        closed = {x.day: x.reason for x in (closures or {}).get(c.center_id, ())}
        week = week_service(first, pattern, closures=closed, half_days_off=half_days_off)
        no_menu = tuple(CalendarDay(d, NO_MENU_ES) for d in week.served
                        if d.isoweekday() not in menu_days)
        weekdays[c.center_id] = tuple(d for d in week.weekdays if d in menu_days)
        calendar[c.center_id] = tuple(sorted((*week.left_out, *no_menu, *week.half_days),
                                             key=lambda x: x.day))
    return CalendarWeek(first, cw, weekdays, calendar)


def weeks_through(
    cycle: MenuCycle, centers: Sequence[Center], programs: Mapping[str, Program],
    monday: date, start: date, *, closures: Mapping[str, Sequence[Closure]] | None = None,
    half_days_off: bool = False,
) -> list[CalendarWeek]:
    """The calendar weeks of the current pass through the cycle, from the one served as
    cycle week 1 up to the week of `monday` (whose leftovers carry into it)."""
    cw = cycle_position(week_monday(monday), start, cycle.weeks)[0]
    first = week_monday(monday) - timedelta(weeks=cw - 1)
    return [calendar_week(cycle, centers, programs, first + timedelta(weeks=i), start,
                          closures=closures, half_days_off=half_days_off)
            for i in range(cw)]


def calendar_purchases(
    plan: PurchasePlan, weeks: Sequence[CalendarWeek], carry_in: CarryIn = None,
) -> list[WeekPurchases]:
    """The purchase lists of `weeks` in order, each week's leftovers carried into the next;
    every list knows its Monday and, per center, the days left out and why."""
    lists = plan.iter_weeks([(w.cycle_week, w.weekdays) for w in weeks], carry_in)
    return [replace(wk, week_start=w.monday,
                    calendar=tuple(w.calendar.get(c.center_id, ()) for c in wk.centers))
            for wk, w in zip(lists, weeks, strict=True)]
