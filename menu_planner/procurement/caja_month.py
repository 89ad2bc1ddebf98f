"""Use cases of the financial unit, from files: a month of petty cash for a centers file,
and the month's settlement against receipts. Loads and checks every input (all problems
of all files reported together), then calls the pure core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from menu_planner.centers import load_centers
from menu_planner.domain import Center, DataError, Dataset, MenuCycle, Problem
from menu_planner.procurement.caja_chica import (
    center_service_dates,
    closure_flags,
    month_budgets,
    planned_food_for_month,
)
from menu_planner.procurement.caja_files import (
    CENTERS,
    data_file,
    load_assigned,
    load_closures,
    load_program_rules,
    load_published,
    load_receipts,
)
from menu_planner.procurement.calendar import Month, week_monday
from menu_planner.procurement.finance import CajaChicaReport, build_report
from menu_planner.procurement.published import published_checks
from menu_planner.procurement.settings import load_attendance, load_purchase_settings
from menu_planner.procurement.settlement import Settlement, settle
from menu_planner.reference_data import load_dataset
from menu_planner.spanish import day_date, program_name

T = TypeVar("T")


class _Collector:
    """Runs loaders, keeping every DataError's problems to raise them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def run(self, load: Callable[[], T]) -> T | None:
        try:
            return load()
        except DataError as exc:
            self.problems += exc.problems
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def cycle_start(month: Month, cycle: MenuCycle, start_date: date | None) -> date:
    """The date whose calendar week is cycle week 1: `start_date`, else the cycle file's
    `start_date`, else the first day of the month."""
    if start_date is not None:
        return start_date
    given = cycle.extra.get("start_date")
    if isinstance(given, str):
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise DataError([Problem("ciclo", None, "start_date",
                                     f"'{given}' no es una fecha AAAA-MM-DD")]) from None
    return month.first_day


def caja_chica_month(
    centers_path: Path, month: Month, *, data_dir: Path | None = None,
    cycle: MenuCycle | None = None, rules_path: Path | None = None,
    mad_settings_path: Path | None = None, assigned_path: Path | None = None,
    previous_path: Path | None = None, closures_path: Path | None = None,
    start_date: date | None = None, half_days_off: bool = False,
    dataset: Dataset | None = None,
) -> CajaChicaReport:
    """The month's petty cash of every center of `centers_path` (see docs/caja-chica.md)."""
    ds = dataset or load_dataset(data_dir)
    col = _Collector()
    centers = col.run(lambda: load_centers(centers_path, ds, label=centers_path.name)) or []
    rules = col.run(lambda: load_program_rules(data_dir, rules_path, mad_settings_path)) or {}
    known = {c.center_id for c in centers} if centers else None
    closures = (col.run(lambda: load_closures(closures_path, known, closures_path.name))
                if closures_path else None)
    assigned = (col.run(lambda: load_assigned(assigned_path, known, assigned_path.name))
                if assigned_path else None)
    previous = (col.run(lambda: load_centers(previous_path, ds, label=previous_path.name))
                if previous_path else None)
    published = col.run(lambda: load_published())
    col.raise_if_any()
    served = center_service_dates(month, centers, ds.programs, closures=closures,
                                  half_days_off=half_days_off)
    flags = closure_flags(month, centers, ds.programs, closures or {},
                          half_days_off=half_days_off)
    notes = published_checks(centers, published or [])
    planned, start = None, None
    if cycle is not None:
        start = cycle_start(month, cycle, start_date)
        planned = planned_food_for_month(
            ds, cycle, centers, month, served, start,
            settings=load_purchase_settings(data_dir),
            attendance=load_attendance(centers_path, label=centers_path.name))
        notes.insert(0, _cycle_note(cycle, start, centers))
    budgets = month_budgets(centers, ds.programs, rules, served, planned, flags)
    return build_report(month, budgets, rules, programs=ds.programs, assigned=assigned,
                        previous=previous, notes=notes,
                        cycle_program=cycle.program if cycle else None, cycle_start=start)


def _cycle_note(cycle: MenuCycle, start: date, centers: list[Center]) -> str:
    others = sum(c.program != cycle.program for c in centers)
    text = (f"Gasto planificado: listas de compras del ciclo de {program_name(cycle.program)} "
            f"({cycle.weeks} semanas); la semana 1 del ciclo es la del lunes "
            f"{day_date(week_monday(start))}.")
    if others:
        text += f" {others} centro(s) de otros programas quedan sin gasto planificado."
    return text


def settlement_month(
    receipts_path: Path, assigned_path: Path, month: Month, *,
    centers_path: Path | None = None, data_dir: Path | None = None,
    dataset: Dataset | None = None,
) -> Settlement:
    """The month's settlement (liquidación) of every center with a fund or receipts.
    Centers are checked against `centers_path` (the shipped demo centers by default)."""
    path = centers_path or data_file(data_dir, CENTERS)
    ds = dataset or load_dataset(data_dir)
    col = _Collector()
    centers = col.run(lambda: load_centers(path, ds, label=path.name)) or []
    known = {c.center_id for c in centers} if centers else None
    funds = col.run(lambda: load_assigned(assigned_path, known, assigned_path.name)) or []
    receipts = col.run(lambda: load_receipts(receipts_path, known, receipts_path.name)) or []
    col.raise_if_any()
    return settle(month, funds, receipts, {c.center_id: c for c in centers})
