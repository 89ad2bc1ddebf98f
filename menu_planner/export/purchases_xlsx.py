"""The weekly shopping list per center as a printable workbook, in Spanish.

A `Resumen` sheet (one row per center and week: budget, purchase, difference, % used) and
one sheet per center and week: foods grouped by market section with quantity, unit, unit
price and subtotal, the total against the week's budget, the days without service and
why, price dates (with a warning when they are old), and signature lines. Every amount is
stored as a value (not a formula): the very `cost_q`/`total_q`/`budget_q` of the list,
rounded by `procurement.money`'s one rule, so a program reading the file gets the
numbers and the rows add up to the total the page shows, to the centavo.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.export import xlsx_style as st
from menu_planner.procurement.formats import calendar_sentences
from menu_planner.procurement.money import to_cents
from menu_planner.procurement.price_dates import price_dates
from menu_planner.procurement.result import PurchaseLine, WeekPurchases

MONEY = st.QUETZALES
PERCENT = "0.0%"
HEADERS = ("Alimento", "Cantidad", "Unidad de compra", "Precio unitario", "Subtotal",
           "Precio de", "Fecha del precio", "Observación")
WIDTHS = (38, 10, 20, 13, 13, 14, 12, 36)
SUMMARY_HEADERS = ("Semana", "Código", "Centro", "Departamento", "Personas por día", "Días",
                   "Presupuesto", "Compra", "Diferencia", "% usado")
SUMMARY_WIDTHS = (8, 12, 34, 16, 10, 6, 14, 14, 14, 9)
DAY_NAMES = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
SIGNATURES = ("Elaborado por", "Revisado por", "Recibido conforme")

_WARN = Font(bold=True, color="C00000")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")


def write_purchases_xlsx(
    weeks: Sequence[WeekPurchases], path: Path, rows: Sequence[int] | None = None
) -> None:
    """Write the shopping lists of `weeks` (all centers, or the rows `rows`) to `path`."""
    purchases_workbook(weeks, rows).save(path)


def purchases_workbook(
    weeks: Sequence[WeekPurchases], rows: Sequence[int] | None = None
) -> Workbook:
    """The workbook: a summary sheet, then one sheet per center and week."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Resumen"
    used: set[str] = {"Resumen"}
    entries: list[tuple[WeekPurchases, int]] = []
    for wk in weeks:
        for i in range(len(wk.centers)) if rows is None else rows:
            _center_sheet(wb.create_sheet(_sheet_name(wk, i, len(weeks) > 1, used)), wk, i)
            entries.append((wk, i))
    _summary_sheet(summary, entries)
    return wb


def _sheet_name(wk: WeekPurchases, index: int, several_weeks: bool, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "-", wk.centers[index].center_id)
    if several_weeks:
        base = f"S{wk.week} {base}"
    name, n = base[:31], 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _center_sheet(ws: Worksheet, wk: WeekPurchases, index: int) -> None:
    """Fill one center's list."""
    lines = wk.lines(index)
    row = _heading(ws, wk, index)
    header_row = row
    st.write_header_row(ws, row, HEADERS)
    st.fit_row_height(ws, row, 2)
    row = _item_rows(ws, lines, row + 1)
    total_row = _totals(ws, wk, index, row + 1)
    row = _price_notes(ws, wk, index, lines, total_row + 4)
    _signatures(ws, row + 2)
    _print_setup(ws, wk, header_row)


def _heading(ws: Worksheet, wk: WeekPurchases, index: int) -> int:
    c = wk.centers[index]
    st.write_title(ws, "Lista de compras semanal")
    people = float(wk.people_served[index])
    served = wk.weekdays[index]
    info = (
        f"Programa: {wk.program_name}   ·   Semana {wk.week} del ciclo   ·   "
        f"{_service_dates(wk, served)}",
        f"Centro: {c.name}   ·   Código: {c.center_id}   ·   Tipo: {c.center_type}",
        f"Departamento: {c.department}   ·   Municipio: {c.municipality}",
        f"Inscritos: {c.total_enrolled}   ·   Asistencia esperada: "
        f"{float(wk.attendance[index]):.0%}   ·   Personas atendidas por día: "
        f"{people:,.1f}   ·   Días de servicio: {int(wk.service_days[index])}",
    )
    for r, text in enumerate(info, start=2):
        st.put(ws, r, 1, text)
    row = len(info) + 2
    for text in (*wk.notes, *calendar_sentences(wk, index)):
        st.put(ws, row, 1, text).font = _WARN
        row += 1
    return row + 1


def _service_dates(wk: WeekPurchases, served: Sequence[int]) -> str:
    names = ", ".join(DAY_NAMES[(d - 1) % 7] for d in served)
    if wk.week_start is None or not served:
        return f"Días servidos: {names or 'ninguno'}"
    first = wk.week_start + timedelta(days=served[0] - 1)
    last = wk.week_start + timedelta(days=served[-1] - 1)
    return f"Del {first:%d/%m/%Y} al {last:%d/%m/%Y} (días servidos: {names})"


def _item_rows(ws: Worksheet, lines: Sequence[PurchaseLine], row: int) -> int:
    section = None
    for ln in lines:
        name = ln.food.market_section or "Otros"
        if name != section:
            section = name
            for col in range(1, len(HEADERS) + 1):
                ws.cell(row, col).fill = _SECTION_FILL
            st.put(ws, row, 1, section).font = st.BOLD
            row += 1
        values: tuple[str | float | date, ...] = (
            ln.food.name_es, ln.quantity, ln.purchase_unit, ln.unit_price_q,
            ln.cost_q, ln.price_region, ln.price_date, _observation(ln))
        st.write_row(ws, row, values, (None, None, None, MONEY, MONEY, None, st.DATE_ES))
        height = max(_lines(v, w) for v, w in zip(values, WIDTHS, strict=True))
        if height > 1:
            st.fit_row_height(ws, row, height)
        row += 1
    return row


def _lines(value: object, width: float) -> int:
    """Lines a text needs in a column `width` characters wide (Excel does not autofit)."""
    if not isinstance(value, str):
        return 1
    return -(-len(value) // max(1, int(width * 1.1)))


def _observation(ln: PurchaseLine) -> str:
    parts = []
    if ln.carried_in_grams > 0:
        parts.append(f"hay guardado {ln.carried_in_grams:,.0f} g")
    if ln.quantity == 0:
        parts.append("no comprar: alcanza con lo guardado")
    if ln.carried_out_grams > 0:
        parts.append(f"sobran {ln.carried_out_grams:,.0f} g para la otra semana")
    return "; ".join(parts)


def _totals(ws: Worksheet, wk: WeekPurchases, index: int, row: int) -> int:
    days = int(wk.service_days[index])
    people = float(wk.people_served[index])
    budget_text = (f"Presupuesto de la semana (Q{wk.daily_budget_q:,.2f} por persona al día "
                   f"× {people:,.1f} personas × {days} días)")
    total, budget = float(wk.total_q[index]), float(wk.budget_q[index])
    cells: tuple[tuple[str, float, str], ...] = (
        ("Total de la compra", total, MONEY),
        (budget_text, budget, MONEY),
        ("Diferencia (presupuesto − compra)", _difference(budget, total), MONEY),
        ("Porcentaje del presupuesto usado", _share(total, budget), PERCENT),
    )
    for r, (label, value, fmt) in enumerate(cells, start=row):
        st.put(ws, r, 1, label).font = st.BOLD
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        ws.cell(r, 1).alignment = Alignment(horizontal="right", wrap_text=True)
        st.write_row(ws, r, (value,), (fmt,), bold=True, fill=st.TOTAL_FILL, column=5)
    return row


def _price_notes(ws: Worksheet, wk: WeekPurchases, index: int,
                 lines: Sequence[PurchaseLine], row: int) -> int:
    dates = price_dates(lines, wk.price_max_age_days)
    if dates is not None:
        st.put(ws, row, 1, dates.range_text())
        row += 1
    if dates is not None and dates.stale:
        st.put(ws, row, 1, f"ATENCIÓN: {dates.stale_text()}").font = _WARN
        row += 1
    if float(wk.total_q[index]) > float(wk.budget_q[index]):
        st.put(ws, row, 1, "ATENCIÓN: la compra supera el presupuesto de la semana.").font = _WARN
        row += 1
    return row


def _signatures(ws: Worksheet, row: int) -> None:
    for k, label in enumerate(SIGNATURES):
        col = 1 + k * 3 if k < 2 else 7
        st.put(ws, row, col, "_" * 28)
        st.put(ws, row + 1, col, label).font = st.BOLD
        st.put(ws, row + 2, col, "Nombre, firma y fecha")


def _print_setup(ws: Worksheet, wk: WeekPurchases, header_row: int) -> None:
    st.set_widths(ws, WIDTHS)
    st.setup_print(ws, landscape=True, header_text=f"{wk.program_name}: lista de compras",
                   title_rows=(header_row, header_row),
                   footer_text=st.generated_on_es(wk.as_of))
    st.freeze_below(ws, header_row)


def _difference(budget: float, total: float) -> float:
    """Budget minus purchase, exact to the centavo."""
    return (to_cents(budget) - to_cents(total)) / 100


def _share(part: float, whole: float) -> float:
    """The share of the budget used (0 without a budget)."""
    return part / whole if whole > 0 else 0.0


def _summary_sheet(ws: Worksheet, entries: Sequence[tuple[WeekPurchases, int]]) -> None:
    st.write_title(ws, "Resumen de listas de compras",
                   "Presupuesto = cuota diaria × personas atendidas por día × días de servicio")
    st.write_header_row(ws, 3, SUMMARY_HEADERS)
    st.fit_row_height(ws, 3, 2)
    formats = (None, None, None, None, st.DECIMAL_1, None, MONEY, MONEY, MONEY, PERCENT)
    row = 4
    budget_cents = total_cents = 0
    for wk, i in entries:
        c = wk.centers[i]
        budget, total = float(wk.budget_q[i]), float(wk.total_q[i])
        budget_cents += to_cents(budget)
        total_cents += to_cents(total)
        values: tuple[str | int | float, ...] = (
            wk.week, c.center_id, c.name, c.department, round(float(wk.people_served[i]), 1),
            int(wk.service_days[i]), budget, total, _difference(budget, total),
            _share(total, budget))
        st.write_row(ws, row, values, formats)
        row += 1
    budget, total = budget_cents / 100, total_cents / 100
    totals = ("", "", "", "", "", "Total", budget, total, _difference(budget, total),
              _share(total, budget))
    st.write_row(ws, row, totals, formats, bold=True, fill=st.TOTAL_FILL)
    st.set_widths(ws, SUMMARY_WIDTHS)
    program = entries[0][0].program_name if entries else ""
    as_of = entries[0][0].as_of if entries else None
    st.setup_print(ws, landscape=True, header_text=f"{program}: listas de compras",
                   title_rows=(3, 3),
                   footer_text=st.generated_on_es(as_of) if as_of else "")
    st.freeze_below(ws, 3)
