"""The national petty-cash workbook: a national summary sheet and one sheet per department
with a row per center. Totals are live formulas: each center's total is =SUM of its food
entitlement and allowances, each department's totals are =SUM over its rows, and the
national sheet refers to each department sheet's total row (then =SUM over departments).
Spanish, letter paper, landscape, header rows repeated on every printed page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.export.safe_cells import Formula
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


def _ref(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + cell


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
    total_rows: dict[str, int] = {}
    for dept in report.departments:
        rows = [b for b in report.budgets if b.center.department == dept]
        ws = wb.create_sheet(title=dept[:31])
        total_rows[dept] = _department_sheet(ws, dept, rows, layout, report, footer)
    _summary_sheet(summary, report, layout, total_rows, footer)
    wb.save(path)


def _department_sheet(
    ws: Worksheet, dept: str, budgets: list[CenterBudget], layout: _Layout,
    report: CajaChicaReport, footer: str,
) -> int:
    """One row per center and a total row of =SUM formulas; returns the total row."""
    write_title(ws, f"Caja chica de {report.month}: {dept}",
                "Cálculo según inscritos, días de servicio y reglas de asignación "
                "(ver la hoja 'Resumen nacional').")
    write_header_row(ws, HEADER_ROW, layout.headers)
    row = HEADER_ROW + 1
    for b in budgets:
        _center_row(ws, row, b, layout)
        row += 1
    first, last = HEADER_ROW + 1, max(row - 1, HEADER_ROW + 1)
    total: list[Any] = [None] * (len(layout.headers))
    total[0] = f"Total {dept}"
    letter = layout.letter(layout.enrolled)
    total[layout.enrolled - 1] = Formula(f"=SUM({letter}{first}:{letter}{last})")
    for col in layout.money_columns():
        letter = layout.letter(col)
        total[col - 1] = Formula(f"=SUM({letter}{first}:{letter}{last})")
    formats = [None] * 5 + [INTEGER, INTEGER] + [QUETZALES] * (layout.flags - 8) + [None]
    write_row(ws, row, total, formats, bold=True, fill=TOTAL_FILL, top_rule=True)
    set_widths(ws, [10, 30, 8, 14, 20, 10, 9, 10, 13] + [12] * len(layout.items)
               + [14, 14] + ([13, 14] if layout.assigned else []) + [60])
    freeze_below(ws, HEADER_ROW, columns=2)
    setup_print(ws, landscape=True, header_text=f"SOSEP: caja chica {report.month}",
                title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)
    return row


def _center_row(ws: Worksheet, row: int, b: CenterBudget, layout: _Layout) -> None:
    c = b.center
    values: list[Any] = [c.center_id, c.name, c.center_type, PROGRAM_ES.get(c.program, c.program),
                         c.municipality, b.enrolled, b.service_days, _q(b.daily_quota),
                         _q(b.food_entitlement)]
    values += [_q(b.allowances.get(i)) for i in layout.items]
    food, last_item = layout.letter(layout.food), layout.letter(layout.total - 1)
    values.append(Formula(f"=SUM({food}{row}:{last_item}{row})"))
    values.append(_q(b.planned_food))
    if layout.assigned:
        values.append(_q(b.assigned))
        values.append(None if b.assigned is None else
                      Formula(f"={layout.letter(layout.assigned)}{row}-{layout.letter(layout.total)}{row}"))
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
    ws: Worksheet, report: CajaChicaReport, layout: _Layout, total_rows: dict[str, int],
    footer: str,
) -> None:
    """One row per department referring to its sheet's total row; national =SUM row."""
    write_title(ws, f"Caja chica de {report.month}: resumen nacional",
                "Cada cifra viene de la fila de total de la hoja del departamento.")
    money = layout.money_columns()
    headers = ["Departamento", "Centros", "Inscritos"] + [layout.headers[c - 1] for c in money]
    write_header_row(ws, HEADER_ROW, headers)
    row = HEADER_ROW + 1
    for dept, total_row in total_rows.items():
        sheet = dept[:31]
        codes = _ref(sheet, f"A{HEADER_ROW + 1}:A{total_row - 1}")
        enrolled = _ref(sheet, f"{layout.letter(layout.enrolled)}{total_row}")
        values: list[Any] = [dept, Formula(f"=COUNTA({codes})"), Formula("=" + enrolled)]
        values += [Formula("=" + _ref(sheet, f"{layout.letter(c)}{total_row}"))
                   for c in money]
        write_row(ws, row, values, [None, INTEGER, INTEGER] + [QUETZALES] * len(money))
        row += 1
    first, last = HEADER_ROW + 1, max(row - 1, HEADER_ROW + 1)
    national: list[Any] = ["Total nacional"]
    for i in range(1, len(headers)):
        letter = get_column_letter(i + 1)
        national.append(Formula(f"=SUM({letter}{first}:{letter}{last})"))
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
