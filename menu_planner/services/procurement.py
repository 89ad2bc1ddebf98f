"""Use cases about purchases: each center's weekly shopping list from the signed cycle of
its program, as JSON, CSV or a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass

from menu_planner.domain import DataError, Dataset, MenuCycle
from menu_planner.export.safe_cells import csv_frame
from menu_planner.procurement import WeekPurchases, cycle_purchase_lists
from menu_planner.procurement.formats import purchases_frame, purchases_to_dict
from menu_planner.services.auth import Actor
from menu_planner.services.base import ServiceBase
from menu_planner.services.cycles import stored_cycle
from menu_planner.services.errors import Conflict, Invalid, NotFound, invalid_from
from menu_planner.services.rendering import Rendered, csv_document, json_document, xlsx_document
from menu_planner.storage import Repository
from menu_planner.storage.models import CenterRow, CycleRow
from menu_planner.storage.repo_cycles import DRAFT
from menu_planner.storage.repo_reference import center_of


@dataclass(frozen=True)
class CenterWeek:
    """A center, the signed cycle it buys from, one cycle week and the reference data."""

    center: CenterRow
    row: CycleRow
    cycle: MenuCycle
    week: int
    dataset: Dataset

    @property
    def attendance(self) -> dict[str, float] | None:
        """The center's own expected attendance, when it has one."""
        a = self.center.attendance
        return {self.center.center_id: a} if a else None


class ProcurementService(ServiceBase):
    """Weekly purchase lists per center."""

    def signed_cycle(self, repo: Repository, program: str,
                     cycle_id: int | None = None) -> CycleRow:
        """The cycle to buy from: the given one (signed), else the program's current one.
        Food is bought only by menus a nutritionist signed."""
        if cycle_id is None:
            row = repo.current_cycle(program)
            if row is None:
                raise Conflict(f"El programa '{program}' todavía no tiene un ciclo de menú "
                               "aprobado: no hay lista de compras que calcular.",
                               code="sin_ciclo_aprobado")
            return row
        row = repo.get_cycle(cycle_id)
        if row is None:
            raise NotFound(f"No existe el ciclo {cycle_id}.")
        if row.status == DRAFT:
            raise Conflict(f"El ciclo {cycle_id} es un borrador: solo se compra según ciclos "
                           "aprobados por una nutricionista.", code="ciclo_no_aprobado")
        if row.program != program:
            raise Invalid(f"El ciclo {cycle_id} es del programa '{row.program}', no de "
                          f"'{program}'.")
        return row

    def center_week(self, actor: Actor, center_id: str, week: int,
                    cycle_id: int | None = None) -> CenterWeek:
        """The center (403 unless the actor may see it), the signed cycle it buys from and
        the reference data, for cycle week `week` (Invalid when the cycle lacks it)."""
        with self.unit() as repo:
            center = self._visible_center(repo, actor, center_id)
            row = self.signed_cycle(repo, center.program, cycle_id)
            cycle = stored_cycle(row)
            self._check_week(cycle, week)
            return CenterWeek(center, row, cycle, week, self.dataset(repo))

    def week_purchases(self, actor: Actor, center_id: str, week: int,
                       cycle_id: int | None = None) -> tuple[WeekPurchases, CycleRow]:
        """One center's list for cycle week `week`; leftovers of foods that keep are
        carried in from the earlier weeks of the cycle."""
        cw = self.center_week(actor, center_id, week, cycle_id)
        return self.purchases_of(cw), cw.row

    def purchases_of(self, cw: CenterWeek) -> WeekPurchases:
        """The week's list of the center of `cw` (subclasses add special menus)."""
        try:
            weeks = cycle_purchase_lists(
                cw.dataset, cw.cycle, [center_of(cw.center)],
                settings=self.purchase_settings(), attendance=cw.attendance,
                service_weeks=[(w, None) for w in range(1, cw.week + 1)])
        except DataError as exc:
            raise invalid_from(exc, "No se puede calcular la lista de compras.") from exc
        return weeks[-1]

    def carry_in(self, ds: Dataset, cycle: MenuCycle, center: CenterRow, week: int,
                 attendance: dict[str, float] | None) -> WeekPurchases | None:
        """Last cycle week's list, whose leftovers of foods that keep reduce this week's
        (None for week 1)."""
        if week <= 1:
            return None
        return cycle_purchase_lists(
            ds, cycle, [center_of(center)], settings=self.purchase_settings(),
            attendance=attendance, service_weeks=[(w, None) for w in range(1, week)])[-1]

    def render_purchases(self, wk: WeekPurchases, fmt: str, stem: str) -> Rendered:
        """The list as JSON, CSV or xlsx bytes."""
        if fmt == "json":
            return json_document(purchases_to_dict(wk), stem)
        if fmt == "csv":
            return csv_document(csv_frame(purchases_frame(wk)).to_csv(index=False), stem)
        from menu_planner.export.purchases_xlsx import write_purchases_xlsx

        return xlsx_document(lambda p: write_purchases_xlsx([wk], p), stem)

    def _visible_center(self, repo: Repository, actor: Actor, center_id: str) -> CenterRow:
        row = repo.get_center(center_id)
        if row is None:
            raise NotFound(f"No existe el centro '{center_id}'.")
        actor.require_center(center_id)
        return row

    @staticmethod
    def _check_week(cycle: MenuCycle, week: int) -> None:
        weeks = sorted({d.week for d in cycle.days})
        if week not in weeks:
            raise Invalid(f"El ciclo no tiene la semana {week} (tiene de la {weeks[0]} a la "
                          f"{weeks[-1]}).", [{"field": "week", "message": "semana fuera del "
                                              "ciclo"}])

