"""Use cases of the financial unit: the monthly petty cash (caja chica) per center with
department and national totals, and settlements (liquidaciones) against receipts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from menu_planner.domain import DEPARTMENTS, DataError
from menu_planner.enrollment_bounds import bounds_of
from menu_planner.export.safe_cells import csv_rows
from menu_planner.procurement.caja_chica import (
    center_service_dates,
    month_budgets,
    planned_food_for_month,
)
from menu_planner.procurement.caja_files import load_program_rules, load_published
from menu_planner.procurement.caja_formats import (
    caja_csv_rows,
    caja_to_dict,
    settlement_center_to_dict,
)
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.finance import AssignedFund, CajaChicaReport, build_report
from menu_planner.procurement.money import quetzales, to_cents
from menu_planner.procurement.published import published_checks
from menu_planner.procurement.settlement import Receipt, settle
from menu_planner.services.auth import ADMIN, FINANCE, Actor
from menu_planner.services.base import ServiceContext
from menu_planner.services.centers import enrollment_flags, visible_center
from menu_planner.services.cycles import stored_cycle
from menu_planner.services.errors import Invalid, NotFound, invalid_from
from menu_planner.services.records import SettlementRecord, record, records
from menu_planner.services.rendering import Rendered, csv_document, json_document, xlsx_document
from menu_planner.spanish import long_date, program_name
from menu_planner.storage import UnitOfWork
from menu_planner.storage.models import SettlementRow
from menu_planner.storage.repo_reference import center_of


@dataclass(frozen=True)
class ReceiptIn:
    """A receipt as a person enters it."""

    day: date
    receipt_no: str
    supplier: str
    amount_q: float
    concept: str = ""


def parse_month(text: str) -> Month:
    """A Month from AAAA-MM; Invalid otherwise."""
    try:
        month = Month.parse(text)
        if not 2000 <= month.first_day.year <= 2099:
            raise ValueError(text)
        return month
    except (ValueError, DataError) as exc:
        raise Invalid(f"'{text}' no es un mes AAAA-MM.", [{"field": "month",
                                                           "message": "use AAAA-MM"}]) from exc


class FinanceService:
    """Caja chica and liquidaciones."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def caja_chica(self, actor: Actor, month: str, *, center_id: str | None = None,
                   department: str | None = None) -> CajaChicaReport:
        """The month's petty cash of one center, one department or the whole country.
        A center administrator sees only their centers; roll-ups are for finance."""
        m = parse_month(month)
        if center_id is None:
            actor.require(FINANCE, ADMIN, action="ver la caja chica por departamento o "
                                                 "nacional")
            if department is not None and department not in DEPARTMENTS:
                raise NotFound(f"Departamento desconocido '{department}'.")
        with self.ctx.unit() as uow:
            if center_id is not None:
                rows = [visible_center(uow, actor, center_id)]
            else:
                rows = uow.centers.find(department=department)
            if not rows:
                raise NotFound(f"No hay centros en '{department}'.", code="sin_centros")
            return self._report(uow, m, rows)

    def _report(self, uow: UnitOfWork, month: Month, rows: Sequence[Any]) -> CajaChicaReport:
        ds = self.ctx.dataset(uow)
        centers = [center_of(r) for r in rows]
        attendance = {r.center_id: r.attendance for r in rows if r.attendance}
        rules = self._rules()
        served = center_service_dates(month, centers, ds.programs)
        planned: dict[str, int] = {}
        notes: list[str] = []
        programs = []
        names = {k: p.name_es for k, p in ds.programs.items()}
        for program in sorted({c.program for c in centers}):
            cycle_row = uow.cycles.current(program)
            if cycle_row is None:
                notes.append(f"El programa {program_name(program, names)} no tiene ciclo "
                             "aprobado: sin gasto planificado.")
                continue
            cycle = stored_cycle(cycle_row)
            start = cycle_row.start_date or month.first_day
            mine = [c for c in centers if c.program == program]
            try:
                planned.update(planned_food_for_month(
                    ds, cycle, mine, month, served, start,
                    settings=self.ctx.purchase_settings(), attendance=attendance))
            except DataError as exc:
                raise invalid_from(exc, "No se puede calcular el gasto planificado.") from exc
            programs.append((program, start))
            notes.append(f"Gasto planificado de {program_name(program, names)}: ciclo "
                         f"{cycle_row.id} versión {cycle_row.version}, semana 1 desde el "
                         f"{long_date(start)}.")
        notes += published_checks(centers, load_published()) if len(centers) > 1 else []
        flags = enrollment_flags(uow, rows, bounds_of(self.ctx.data_dir),
                                 {str(month), str(month.previous())})
        budgets = month_budgets(centers, ds.programs, rules, served, planned, flags)
        one = programs[0] if len(programs) == 1 else (None, None)
        return build_report(month, budgets, rules, programs=ds.programs, notes=notes,
                            cycle_program=one[0], cycle_start=one[1])

    def _rules(self) -> dict[str, Any]:
        try:
            return load_program_rules(self.ctx.data_dir)
        except DataError as exc:
            raise invalid_from(exc, "Las reglas de asignaciones no son válidas.") from exc

    def render_caja(self, report: CajaChicaReport, fmt: str, stem: str,
                    for_people: bool = False) -> Rendered:
        """The report as JSON (menu_planner.caja_chica/1), CSV or xlsx (`for_people`: the
        CSV with Spanish headers and words instead of codes, as the pages offer it)."""
        if fmt == "json":
            return json_document(caja_to_dict(report), stem)
        if fmt == "csv" and for_people:
            from menu_planner.export.people_csv import caja_csv_es

            return csv_document(caja_csv_es(report, self.ctx.program_names()), stem)
        if fmt == "csv":
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(csv_rows(caja_csv_rows(report)))
            return csv_document(buf.getvalue(), stem)
        from menu_planner.export.caja_xlsx import write_caja_xlsx

        return xlsx_document(lambda p: write_caja_xlsx(report, p), stem)

    # -- settlements ---------------------------------------------------------------------
    def settle(self, actor: Actor, center_id: str, month: str,
               receipts: Sequence[ReceiptIn], assigned_q: float | None = None,
               notes: str = "") -> SettlementRecord:
        """Settle a center's month against receipts. The fund is `assigned_q`, else the
        month's computed caja chica. Receipts outside the month or repeating one already
        settled (same supplier and number) are observed, not counted. A new settlement of
        the same center and month supersedes the earlier one (both kept)."""
        actor.require(FINANCE, ADMIN, action="liquidar caja chica")
        m = parse_month(month)
        with self.ctx.unit() as uow:
            row = uow.centers.get(center_id)
            if row is None:
                raise NotFound(f"No existe el centro '{center_id}'.")
            center = center_of(row)
            fund = to_cents(Decimal(str(assigned_q))) if assigned_q is not None else \
                self._report(uow, m, [row]).budgets[0].total
            prior = _prior_receipts(uow, center_id, str(m))
            mine = [Receipt(center_id, m, r.day, r.receipt_no, r.supplier,
                            to_cents(Decimal(str(r.amount_q))), r.concept, i + 1)
                    for i, r in enumerate(receipts)]
            result = settle(m, [AssignedFund(center_id, m, fund)], prior + mine,
                            {center_id: center})
            cs = next(s for s in result.centers if s.center_id == center_id)
            detail = settlement_center_to_dict(cs)
            saved = uow.settlements.add(SettlementRow(
                center_id=center_id, month=str(m), budget_q=quetzales(fund),
                spent_q=quetzales(cs.spent), balance_q=quetzales(cs.balance),
                receipts=[_receipt_json(r) for r in receipts], details=detail, notes=notes,
                settled_by=actor.username))
            self.ctx.audit(uow, actor, "liquidar_caja_chica", "liquidacion", saved.id,
                           center_id=center_id, month=str(m), assigned_q=saved.budget_q,
                           spent_q=saved.spent_q, balance_q=saved.balance_q)
            return record(SettlementRecord, saved)

    def settlements(self, actor: Actor, center_id: str | None = None,
                    month: str | None = None, offset: int = 0,
                    limit: int = 100) -> tuple[list[SettlementRecord], int]:
        """Stored settlements (a center administrator: only their centers')."""
        if center_id is not None:
            actor.require_center(center_id)
        ids = [center_id] if center_id else (None if actor.sees_all_centers
                                             else sorted(actor.centers))
        with self.ctx.unit() as uow:
            rows, total = uow.settlements.find(ids, month, offset, limit)
        return records(SettlementRecord, rows), total

    def settlement(self, actor: Actor, settlement_id: int) -> SettlementRecord:
        with self.ctx.unit() as uow:
            row = uow.settlements.get(settlement_id)
        if row is None:
            raise NotFound(f"No existe la liquidación {settlement_id}.")
        actor.require_center(row.center_id)
        return record(SettlementRecord, row)


def _receipt_json(r: ReceiptIn) -> dict[str, Any]:
    return {"date": r.day.isoformat(), "receipt_no": r.receipt_no, "supplier": r.supplier,
            "amount_q": r.amount_q, "concept": r.concept}


def _prior_receipts(uow: UnitOfWork, center_id: str, month: str) -> list[Receipt]:
    """Receipts of every current settlement but this center's for this month, so a
    receipt filed twice is caught."""
    out: list[Receipt] = []
    rows, _ = uow.settlements.find(None, None, 0, 1_000_000)
    for s in rows:
        if not s.is_current or (s.center_id == center_id and s.month == month):
            continue
        m = Month.parse(s.month)
        for r in s.receipts:
            out.append(Receipt(s.center_id, m, date.fromisoformat(r["date"]),
                               r["receipt_no"], r["supplier"],
                               to_cents(Decimal(str(r["amount_q"]))), r.get("concept", "")))
    return out

