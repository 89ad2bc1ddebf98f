"""Use cases about purchases: each center's weekly shopping list from the signed cycle of
its program, as JSON, CSV or a spreadsheet. A list asked for by calendar week (its
Monday) follows the service calendar the petty cash uses: holidays and Holy Week are
neither bought for nor funded, and the list names them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from menu_planner.domain import Center, DataError, Dataset, MenuCycle
from menu_planner.export.safe_cells import csv_frame
from menu_planner.procurement import (
    PurchaseSettings,
    WeekPurchases,
    cycle_purchase_lists,
    prepare_purchases,
)
from menu_planner.procurement.calendar import cycle_position, long_date_es, week_monday
from menu_planner.procurement.calendar_weeks import (
    CalendarWeek,
    calendar_purchases,
    weeks_through,
)
from menu_planner.procurement.formats import purchases_frame, purchases_to_dict
from menu_planner.services.auth import Actor
from menu_planner.services.base import ServiceContext
from menu_planner.services.centers import visible_center
from menu_planner.services.cycles import stored_cycle
from menu_planner.services.errors import Conflict, Invalid, NotFound, invalid_from
from menu_planner.services.records import CycleRecord, record
from menu_planner.services.rendering import Rendered, csv_document, json_document, xlsx_document
from menu_planner.services.variants import VariantService, missing_variant_note
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import CenterRow, CycleRow
from menu_planner.storage.repo_cycles import DRAFT
from menu_planner.storage.repo_reference import center_of
from menu_planner.variants.purchases import merged_for_purchases

FIRST_YEAR, LAST_YEAR = 2000, 2100  # calendar weeks a list may be asked for


@dataclass(frozen=True)
class CenterWeek:
    """A center, the signed cycle it buys from, one cycle week and the reference data."""

    center: CenterRow
    row: CycleRow
    cycle: MenuCycle
    week: int
    dataset: Dataset
    monday: date | None = None  # the calendar week; None: every day of the cycle week

    @property
    def attendance(self) -> dict[str, float] | None:
        """The center's own expected attendance, when it has one."""
        a = self.center.attendance
        return {self.center.center_id: a} if a else None


class ProcurementService:
    """Weekly purchase lists per center; the people a center declares on a special menu
    are bought for by its variant (given `variants`)."""

    def __init__(self, ctx: ServiceContext, variants: VariantService) -> None:
        self.ctx = ctx
        self.variants = variants

    def purchase_settings(self) -> PurchaseSettings:
        """Attendance, waste, purchase-step and price-age settings of the lists."""
        return self.ctx.purchase_settings()

    def signed_cycle(self, uow: UnitOfWork, program: str,
                     cycle_id: int | None = None) -> CycleRow:
        """The cycle to buy from: the given one (signed), else the program's current one.
        Food is bought only by menus a nutritionist signed."""
        if cycle_id is None:
            row = uow.cycles.current(program)
            if row is None:
                raise Conflict(f"El programa '{program}' todavía no tiene un ciclo de menú "
                               "aprobado: no hay lista de compras que calcular.",
                               code="sin_ciclo_aprobado")
            return row
        row = uow.cycles.get(cycle_id)
        if row is None:
            raise NotFound(f"No existe el ciclo {cycle_id}.")
        if row.status == DRAFT:
            raise Conflict(f"El ciclo {cycle_id} es un borrador: solo se compra según ciclos "
                           "aprobados por una nutricionista.", code="ciclo_no_aprobado")
        if row.program != program:
            raise Invalid(f"El ciclo {cycle_id} es del programa '{row.program}', no de "
                          f"'{program}'.")
        return row

    def center_week(self, actor: Actor, center_id: str, week: int | None,
                    cycle_id: int | None = None, monday: date | None = None) -> CenterWeek:
        """The center (403 unless the actor may see it), the signed cycle it buys from and
        the reference data, for cycle week `week` (Invalid when the cycle lacks it) or
        for the calendar week of `monday` (its cycle week from the cycle's start date)."""
        with self.ctx.unit() as uow:
            center = visible_center(uow, actor, center_id)
            row = self.signed_cycle(uow, center.program, cycle_id)
            cycle = stored_cycle(row)
            if monday is not None:
                monday = week_monday(monday)
                week = self._cycle_week_on(row, cycle, monday, week)
            if week is None:
                raise Invalid("Indique la semana del ciclo o el lunes de la semana.",
                              [{"field": "week", "message": "falta la semana"}])
            self._check_week(cycle, week)
            return CenterWeek(center, row, cycle, week, self.ctx.dataset(uow), monday)

    def week_purchases(self, actor: Actor, center_id: str, week: int | None = None,
                       cycle_id: int | None = None, *, monday: date | None = None,
                       ) -> tuple[WeekPurchases, CycleRecord]:
        """One center's list for cycle week `week` (every day the cycle has), or for the
        calendar week of `monday` (only the days it serves: no holidays, no Holy Week);
        leftovers of foods that keep are carried in from the earlier weeks of the cycle."""
        cw = self.center_week(actor, center_id, week, cycle_id, monday)
        return self.purchases_of(cw), record(CycleRecord, cw.row)

    def purchases_of(self, cw: CenterWeek) -> WeekPurchases:
        """The week's list of the center of `cw`, with the warnings of `menu_of`."""
        ds, cycle, centers, notes = self.menu_of(cw)
        try:
            plan = prepare_purchases(ds, cycle, centers, settings=self.ctx.purchase_settings(),
                                     attendance=cw.attendance)
            calendar = self.calendar_of(cw)
            if calendar is None:
                weeks = plan.weeks([(w, None) for w in range(1, cw.week + 1)])
            else:
                weeks = calendar_purchases(plan, calendar)
        except DataError as exc:
            raise invalid_from(exc, "No se puede calcular la lista de compras.") from exc
        return replace(weeks[-1], notes=(*weeks[-1].notes, *notes))

    def calendar_of(self, cw: CenterWeek) -> list[CalendarWeek] | None:
        """The calendar weeks of the cycle's current pass up to the week of `cw` (None
        when `cw` names a cycle week, not a calendar one)."""
        if cw.monday is None:
            return None
        return weeks_through(cw.cycle, [center_of(cw.center)], cw.dataset.programs,
                             cw.monday, cw.row.start_date or cw.monday)

    def week_days_and_carry(self, cw: CenterWeek) -> tuple[list[int] | None,
                                                           WeekPurchases | None]:
        """The weekdays the center serves in the week of `cw` (None: every day the cycle
        has) and the list before it, whose leftovers carry in (None for the first)."""
        calendar = self.calendar_of(cw)
        if calendar is None:
            return None, self.carry_in(cw.dataset, cw.cycle, cw.center, cw.week,
                                       cw.attendance)
        days = list(calendar[-1].weekdays[cw.center.center_id])
        if len(calendar) == 1:
            return days, None
        plan = prepare_purchases(cw.dataset, cw.cycle, [center_of(cw.center)],
                                 settings=self.ctx.purchase_settings(), attendance=cw.attendance)
        return days, calendar_purchases(plan, calendar[:-1])[-1]

    def dated(self, wk: WeekPurchases, cw: CenterWeek, notes: Sequence[str] = ()
              ) -> WeekPurchases:
        """`wk` (the center's list of the week of `cw`, computed otherwise) with the
        list's warnings, and dated with the days left out when `cw` is a calendar week."""
        calendar = self.calendar_of(cw)
        if calendar is None:
            return replace(wk, notes=tuple(notes))
        week = calendar[-1]
        return replace(wk, notes=tuple(notes), week_start=week.monday,
                       calendar=(week.calendar[cw.center.center_id],))

    def menu_of(self, cw: CenterWeek) -> tuple[Dataset, MenuCycle, list[Center], list[str]]:
        """What the center's list is bought by: the data, the cycle, the center, and
        warnings for the list. The declared people of each subgroup are on its special
        menu; a subgroup the signed cycle has no special menu for does not blank the
        list: its people get the base menu, and the list says so and what the
        nutritionist has to do."""
        uses, missing = self.variants.for_center(cw.row, cw.center)
        notes = [missing_variant_note(cw.center, s, cw.row) for s in missing]
        if not uses:
            return cw.dataset, cw.cycle, [center_of(cw.center)], notes
        ds, cycle, centers = merged_for_purchases(cw.dataset, cw.cycle,
                                                  [center_of(cw.center)], uses)
        return ds, cycle, centers, notes

    def carry_in(self, ds: Dataset, cycle: MenuCycle, center: CenterRow, week: int,
                 attendance: dict[str, float] | None) -> WeekPurchases | None:
        """Last cycle week's list, whose leftovers of foods that keep reduce this week's
        (None for week 1)."""
        if week <= 1:
            return None
        return cycle_purchase_lists(
            ds, cycle, [center_of(center)], settings=self.ctx.purchase_settings(),
            attendance=attendance, service_weeks=[(w, None) for w in range(1, week)])[-1]

    def render_purchases(self, wk: WeekPurchases, fmt: str, stem: str,
                         for_people: bool = False) -> Rendered:
        """The list as JSON, CSV or xlsx bytes (`for_people`: the CSV with Spanish headers
        and words instead of codes, as the pages offer it)."""
        if fmt == "json":
            return json_document(purchases_to_dict(wk), stem)
        if fmt == "csv" and for_people:
            from menu_planner.export.people_csv import purchases_csv_es

            return csv_document(purchases_csv_es(wk, self.ctx.program_names()), stem)
        if fmt == "csv":
            return csv_document(csv_frame(purchases_frame(wk)).to_csv(index=False), stem)
        from menu_planner.export.purchases_xlsx import write_purchases_xlsx

        return xlsx_document(lambda p: write_purchases_xlsx([wk], p), stem)

    @staticmethod
    def _cycle_week_on(row: CycleRow, cycle: MenuCycle, monday: date,
                       week: int | None) -> int:
        """The cycle week served in the calendar week of `monday`; Conflict before the
        cycle starts, Invalid when `week` is given and is another one."""
        if not FIRST_YEAR <= monday.year <= LAST_YEAR:
            msg = f"La semana debe ser de un año entre {FIRST_YEAR} y {LAST_YEAR}."
            raise Invalid(msg, [{"field": "week_start", "message": msg}])
        start = row.start_date or monday
        if monday < week_monday(start):
            raise Conflict(f"El ciclo aprobado empieza la semana del {long_date_es(start)}: "
                           f"la semana del {long_date_es(monday)} no tiene lista de ese "
                           "ciclo.", code="semana_antes_del_ciclo")
        served = cycle_position(monday, start, cycle.weeks)[0]
        if week is not None and week != served:
            msg = (f"La semana del {long_date_es(monday)} es la semana {served} del ciclo, "
                   f"no la {week}.")
            raise Invalid(msg, [{"field": "week", "message": msg}])
        return served

    @staticmethod
    def _check_week(cycle: MenuCycle, week: int) -> None:
        weeks = sorted({d.week for d in cycle.days})
        if week not in weeks:
            raise Invalid(f"El ciclo no tiene la semana {week} (tiene de la {weeks[0]} a la "
                          f"{weeks[-1]}).", [{"field": "week", "message": "semana fuera del "
                                              "ciclo"}])

