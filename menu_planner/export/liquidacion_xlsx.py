"""The settlement (liquidación) workbook: a sheet of centers (assigned, spent, balance,
flags) with the national total and per-department subtotals, and a sheet of every
receipt with whether it counts. Every figure is stored as a value (the settlement's own
sums in centavos), so a program reading the file gets the numbers. Spanish, letter paper,
header rows repeated."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.export.xlsx_style import (
    BOLD,
    DATE_ES,
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
from menu_planner.procurement.money import Cents, quetzales
from menu_planner.procurement.settlement import Settlement, SettlementTotals

HEADER_ROW = 4
CENTER_HEADERS = ["Código", "Nombre", "Departamento", "Fondo asignado (Q)",
                  "Gasto comprobado (Q)", "Comprobantes observados (Q)", "Saldo (Q)",
                  "A devolver (Q)", "Sobregiro (Q)", "Comprobantes", "Observaciones"]
RECEIPT_HEADERS = ["Código", "Línea", "Fecha", "No. comprobante", "Proveedor", "Concepto",
                   "Monto (Q)", "¿Se acepta?", "Motivo"]


def _q(cents: Cents | None) -> float | None:
    return None if cents is None else quetzales(cents)


def write_settlement_xlsx(result: Settlement, path: Path, today: date | None = None) -> None:
    """Write the month's settlement workbook to `path`."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Liquidación"
    footer = generated_on_es(today or date.today())
    _centers_sheet(ws, result, footer)
    _receipts_sheet(wb.create_sheet("Comprobantes"), result, footer)
    wb.save(path)


def _centers_sheet(ws: Worksheet, result: Settlement, footer: str) -> None:
    write_title(ws, f"Liquidación de caja chica de {result.month}",
                "Saldo = fondo asignado - gasto comprobado; los comprobantes observados no "
                "se cuentan (ver la hoja 'Comprobantes').")
    write_header_row(ws, HEADER_ROW, CENTER_HEADERS)
    money = [None, None, None] + [QUETZALES] * 6 + [INTEGER, None]
    row = HEADER_ROW + 1
    for c in result.centers:
        values: list[Any] = [
            c.center_id, c.center.name if c.center else "", c.department, _q(c.assigned),
            _q(c.spent), _q(c.observed), _q(c.balance), _q(c.to_return), _q(c.over),
            len(c.receipts), "\n".join(c.flags)]
        write_row(ws, row, values, money)
        if c.flags:
            ws.cell(row=row, column=len(CENTER_HEADERS)).fill = FAIL_FILL
            fit_row_height(ws, row, sum(-(-len(f) // 70) for f in c.flags))
        row += 1
    total: list[Any] = ["Total nacional", None, None, *_sums(result.national),
                        sum(len(c.receipts) for c in result.centers)]
    write_row(ws, row, [*total, None], money, bold=True, fill=TOTAL_FILL, top_rule=True)
    row += 2
    put(ws, row, 1, "Por departamento").font = BOLD
    row += 1
    write_header_row(ws, row, ["Departamento", "", "", *CENTER_HEADERS[3:9]])
    for dept, totals in result.departments.items():
        row += 1
        write_row(ws, row, [dept, None, None, *_sums(totals)], [None, None, None]
                  + [QUETZALES] * 6)
    set_widths(ws, [10, 28, 16, 13, 13, 13, 13, 13, 13, 11, 60])
    freeze_below(ws, HEADER_ROW, columns=1)
    setup_print(ws, landscape=True, header_text=f"SOSEP: liquidación {result.month}",
                title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)


def _sums(t: SettlementTotals) -> list[float | None]:
    """Assigned, spent, observed, balance, to return and over, in quetzales."""
    return [_q(t.assigned), _q(t.spent), _q(t.observed), _q(t.assigned - t.spent),
            _q(t.to_return), _q(t.over)]


def _receipts_sheet(ws: Worksheet, result: Settlement, footer: str) -> None:
    write_title(ws, f"Comprobantes de {result.month}")
    write_header_row(ws, HEADER_ROW, RECEIPT_HEADERS)
    row = HEADER_ROW + 1
    formats = [None, INTEGER, DATE_ES, None, None, None, QUETZALES, None, None]
    for c in result.centers:
        for r in c.receipts:
            x = r.receipt
            write_row(ws, row, [c.center_id, x.line, x.day, x.receipt_no, x.supplier,
                                x.concept, _q(x.amount), "sí" if r.accepted else "no",
                                r.reason], formats)
            if not r.accepted:
                ws.cell(row=row, column=8).fill = FAIL_FILL
            row += 1
    set_widths(ws, [10, 7, 11, 14, 24, 24, 12, 9, 50])
    freeze_below(ws, HEADER_ROW, columns=1)
    setup_print(ws, landscape=True, header_text=f"SOSEP: comprobantes {result.month}",
                title_rows=(HEADER_ROW, HEADER_ROW), footer_text=footer)
