"""The national petty-cash workbook: a national summary sheet and one sheet per department
with a row per center. Every figure, totals included, is stored as a value (a program
reading the file gets the numbers; openpyxl cannot save a formula's value): each center's
total is its food entitlement plus allowances, each department's totals are the sums of
its rows, and the national row the sum of the departments, all added in centavos exactly
as the report (page, JSON, CSV) adds them. Spanish, letter paper, landscape, header rows
repeated on every printed page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.export.xlsx_style import (
    BOLD,
    FAIL_FILL,
    INTEGER,
    QUETZALES,
    TOTAL_FILL,
    fit_row_height,
    freeze_below,
    generated_on_es,
    put,
    set_widths,
    setup_print,
    write_header_row,
    write_row,
    write_title,
)
from menu_planner.procurement.allowances import item_label
from menu_planner.procurement.caja_chica import CenterBudget
from menu_planner.procurement.finance import CajaChicaReport
from menu_planner.procurement.money import Cents, quetzales

SUMMARY_SHEET = "Resumen nacional"
HEADER_ROW = 4
PROGRAM_ES = {"cadi": "HC y CADI", "mad": "Mis Años Dorados"}


def _q(cents: Cents | None) -> float | None:
    return None if cents is None else quetzales(cents)


def _summary_values(name: str, sums: dict[int, int | None], layout: _Layout) -> list[Any]:
    """A summary row: name, centers, enrolled, then the money columns in quetzales."""
    return [name, sums[0], sums[layout.enrolled],
            *(_q(sums[c]) for c in layout.money_columns())]


class _Layout:
    """Which column holds what, on a department sheet (1-based)."""

    def __init__(self, report: CajaChicaReport) -> None:
        self.items = report.items
        fixed = ["Código", "Nombre", "Tipo", "Programa", "Municipio", "Inscritos",
                 "Días de servicio", "Cuota diaria (Q)", "Alimentos (Q)"]
        self.headers = fixed + [f"{item_label(i).capitalize()} (Q)" for i in self.items]
        self.enrolled, self.quota, self.food = 6, 8, 9
        self.first_item = 10
        self.total = self.first_item + len(self.items)
        self.headers.append("Total caja chica (Q)")
        self.planned = self.total + 1
        self.headers.append("Gasto planificado en alimentos (Q)")
        self.assigned = self.diff = 0
        if report.with_assigned:
            self.assigned, self.diff = self.planned + 1, self.planned + 2
            self.headers += ["Fondo asignado (Q)", "Diferencia asignado - calculado (Q)"]
        self.flags = len(self.headers) + 1
        self.headers.append("Observaciones")

    def money_columns(self) -> list[int]:
        """Columns summed in the total row."""
        cols = [self.food, *range(self.first_item, self.total + 1), self.planned]
        return cols + ([self.assigned, self.diff] if self.assigned else [])

    def letter(self, column: int) -> str:
        return str(get_column_letter(column))


def write_caja_xlsx(report: CajaChicaReport, path: Path, today: date | None = None) -> None:
    """Write the national petty-cash workbook of `report` to `path`."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY_SHEET
    layout = _Layout(report)
    footer = generated_on_es(today or date.today())
    totals: dict[str, _Sums] = {}
    for dept in report.departments:
        rows = [b for b in report.budgets if b.center.department == dept]
        ws = wb.create_sheet(title=dept[:31])
        totals[dept] = _department_sheet(ws, dept, rows, layout, report, footer)
    _summary_sheet(summary, report, layout, totals, footer)
    wb.save(path)


_Sums = dict[int, int | None]  # column -> centavos (people for the enrolled column)


def _money_cells(b: CenterBudget, layout: _Layout) -> _Sums:
    """A center's money columns, in centavos (None: blank)."""
    cells: _Sums = {layout.food: b.food_entitlement}
    for k, item in enumerate(layout.items):
        cells[layout.first_item + k] = b.allowances.get(item)
    cells[layout.total] = b.total
    cells[layout.planned] = b.planned_food
    if layout.assigned:
        cells[layout.assigned] = b.assigned
        cells[layout.diff] = None if b.assigned is None else b.assigned - b.total
    return cells


def _add(rows: list[_Sums]) -> _Sums:
    """Column sums of `rows` (a column blank in every row stays blank)."""
    columns = rows[0].keys() if rows else ()
    return {c: None if all(r[c] is None for r in rows) else sum(r[c] or 0 for r in rows)
            for c in columns}


def _department_sheet(
    ws: Worksheet, dept: str, budgets: list[CenterBudget], layout: _Layout,
    report: CajaChicaReport, footer: str,
) -> _Sums:
    """One row per center and a total row; returns the totals (and the centers' count
    under column 0)."""
    write_title(ws, f"Caja chica de {report.month}: {dept}",
                "Cálculo según inscritos, días de servicio y reglas de asignación "
                "(ver la hoja 'Resumen nacional').")
    write_header_row(ws, HEADER_ROW, layout.headers)
    row = HEADER_ROW + 1
    for b in budgets:
        _center_row(ws, row, b, layout)
        row += 1
    sums = _add([{**_money_cells(b, layout), layout.enrolled: b.enrolled, 0: 1}
                 for b in budgets])
    total: list[Any] = [None] * (len(layout.headers))
    total[0] = f"Total {dept}"
    total[layout.enrolled - 1] = sums[layout.enrolled]
    for col in layout.money_columns():
        total[col - 1] = _q(sums[col])
    formats = [None] * 5 + [INTEGER, INTEGER] + [QUETZALES] * (layout.flags - 8) + [None]
    write_row(ws, row, total, formats, bold=True, fill=TOTAL_FILL, top_rule=True)
    set_widths(ws, [10, 30, 8, 14, 20, 10, 9, 10, 13] + [12] * len(layout.items)
               + [14, 14] + ([13, 14] if layout.assigned else []) + [60])
    freeze_below(ws, HEADER_ROW, columns=2)
    setup_print(ws, landscape=True, header_text=f"SOSEP: caja chica {report.month}",
                title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)
    return sums


def _center_row(ws: Worksheet, row: int, b: CenterBudget, layout: _Layout) -> None:
    c = b.center
    values: list[Any] = [c.center_id, c.name, c.center_type, PROGRAM_ES.get(c.program, c.program),
                         c.municipality, b.enrolled, b.service_days, _q(b.daily_quota),
                         _q(b.food_entitlement)]
    money = _money_cells(b, layout)
    values += [_q(money[c]) for c in range(layout.first_item, layout.flags)]
    values.append("\n".join(b.flags))
    formats = [None] * 5 + [INTEGER, INTEGER] + [QUETZALES] * (layout.flags - 8) + [None]
    write_row(ws, row, values, formats)
    for i, item in enumerate(layout.items):
        if item in b.pending:
            cell = ws.cell(row=row, column=layout.first_item + i)
            cell.fill = FAIL_FILL
    if b.flags:
        ws.cell(row=row, column=layout.flags).fill = FAIL_FILL
        fit_row_height(ws, row, sum(-(-len(f) // 70) for f in b.flags))


def _summary_sheet(
    ws: Worksheet, report: CajaChicaReport, layout: _Layout, totals: dict[str, _Sums],
    footer: str,
) -> None:
    """One row per department (its sheet's total row) and the national total."""
    write_title(ws, f"Caja chica de {report.month}: resumen nacional",
                "Cada cifra es la de la fila de total de la hoja del departamento.")
    money = layout.money_columns()
    headers = ["Departamento", "Centros", "Inscritos"] + [layout.headers[c - 1] for c in money]
    write_header_row(ws, HEADER_ROW, headers)
    row = HEADER_ROW + 1
    for dept, sums in totals.items():
        write_row(ws, row, _summary_values(dept, sums, layout),
                  [None, INTEGER, INTEGER] + [QUETZALES] * len(money))
        row += 1
    national = _summary_values("Total nacional", _add(list(totals.values())), layout)
    write_row(ws, row, national, [None, INTEGER, INTEGER] + [QUETZALES] * len(money),
              bold=True, fill=TOTAL_FILL, top_rule=True)
    row += 2
    for heading, lines in (("Observaciones", report.notes), *(
            (f"Reglas aplicadas: {PROGRAM_ES.get(p, p)}", text)
            for p, text in report.rules_text.items())):
        if not lines:
            continue
        put(ws, row, 1, heading).font = BOLD
        row += 1
        for line in lines:
            put(ws, row, 1, line)
            row += 1
        row += 1
    set_widths(ws, [22, 9, 10] + [14] * len(money))
    freeze_below(ws, HEADER_ROW, columns=1)
    setup_print(ws, landscape=True, header_text=f"SOSEP: caja chica {report.month}",
                title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)
