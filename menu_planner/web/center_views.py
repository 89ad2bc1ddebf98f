"""What a center's page shows: the purchase lists of a calendar week (this one unless the
person picks another) and the next, mapped onto the weeks of the program's signed cycle,
bought and funded for the days the center serves (holidays left out, and named), and
their cost against the fund."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from menu_planner.procurement import PurchaseLine, WeekPurchases
from menu_planner.procurement.calendar import CalendarDay, cycle_position, week_monday
from menu_planner.services import Actor, Conflict, Invalid, Services
from menu_planner.services.records import CenterRecord, CycleRecord
from menu_planner.spanish import long_date


@dataclass(frozen=True)
class WeekList:
    """One calendar week of a center: its cycle week and shopping list, or why none."""

    label: str  # "Esta semana" / "La próxima semana"
    monday: date
    cycle_week: int | None = None
    lines: list[PurchaseLine] = field(default_factory=list)
    total_q: float = 0.0
    fund_q: float = 0.0  # daily budget x people served x service days
    service_days: int = 0
    people_served: float = 0.0
    note: str = ""
    days_off: tuple[CalendarDay, ...] = ()  # weekdays without service, with the reason
    half_days: tuple[CalendarDay, ...] = ()
    warnings: tuple[str, ...] = ()  # about the list (e.g. a special menu not derived yet)

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=4)

    @property
    def balance_q(self) -> float:
        return round(self.fund_q - self.total_q, 2)


@dataclass(frozen=True)
class CenterWeeks:
    center: CenterRecord
    cycle: CycleRecord | None
    weeks: list[WeekList]
    note: str = ""


def week_list(wk: WeekPurchases, center_id: str, label: str, monday: date) -> WeekList:
    i = wk.center_index(center_id)
    return WeekList(label, monday, wk.week, wk.lines(i), float(wk.total_q[i]),
                    float(wk.budget_q[i]), int(wk.service_days[i]),
                    float(wk.people_served[i]), days_off=wk.days_off(i),
                    half_days=wk.half_days(i), warnings=wk.notes)


def cycle_week_of(cycle: CycleRecord, monday: date) -> int | None:
    """The cycle week served in the calendar week of `monday` (None before the cycle
    starts)."""
    start = cycle.start_date or monday
    if monday < week_monday(start):
        return None
    return cycle_position(monday, start, int(cycle.data.get("weeks") or 6))[0]


def center_weeks(services: Services, actor: Actor, center_id: str,
                 today: date | None = None, chosen: date | None = None) -> CenterWeeks:
    """This week's and next week's lists of a center (Forbidden for someone else's), or
    those of the calendar week holding `chosen` and the one after."""
    center = services.centers.get(actor, center_id)
    cycle = services.cycles.current_or_none(center.program)
    if cycle is None:
        return CenterWeeks(center, None, [], "El programa de este centro todavía no tiene "
                           "un ciclo de menú aprobado por la nutricionista: aún no hay lista "
                           "de compras.")
    this_monday = week_monday(today or date.today())
    first = week_monday(chosen) if chosen else this_monday
    weeks = []
    for monday in (first, first + timedelta(days=7)):
        label = {this_monday: "Esta semana",
                 this_monday + timedelta(days=7): "La próxima semana"}.get(monday, "Semana")
        weeks.append(one_week(services, actor, center_id, cycle, label, monday))
    return CenterWeeks(center, cycle, weeks)


def one_week(services: Services, actor: Actor, center_id: str, cycle: CycleRecord,
             label: str, monday: date) -> WeekList:
    cw = cycle_week_of(cycle, monday)
    if cw is None:
        start = long_date(cycle.start_date) if cycle.start_date else ""
        return WeekList(label, monday, note=f"El ciclo aprobado empieza la semana del "
                        f"{start}: esta semana no tiene lista de ese ciclo.")
    try:
        wk, _row = services.procurement.week_purchases(actor, center_id, cw, cycle.id,
                                                       monday=monday)
    except (Conflict, Invalid) as exc:  # e.g. falta_menu_especial: said in words
        return WeekList(label, monday, cw, note=exc.message)
    return week_list(wk, center_id, label, monday)
