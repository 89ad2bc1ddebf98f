"""Shared look and print setup of the spreadsheets people print and file.

Every workbook the planner writes is in Spanish and ready to print on letter paper:
fit to page width, header rows repeated on each page, no gridlines, a header with the
program name and a footer with the page number. Exporters use these helpers so that all
sheets look alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.export.safe_cells import Formula, looks_like_formula

# Number formats (Excel codes; the decimal mark follows the reader's locale).
QUETZALES = '"Q" #,##0.00'
GRAMS = "#,##0.0"
DECIMAL_1 = "#,##0.0"
DECIMAL_2 = "#,##0.00"
INTEGER = "#,##0"
PERCENT = "0%"
DATE_ES = "DD/MM/YYYY"

WEEKDAYS_ES = ("Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo")

TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(italic=True, size=10, color="404040")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
BOLD = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
FAIL_FILL = PatternFill("solid", fgColor="F8CBAD")
_THIN = Side(style="thin", color="A6A6A6")
_MEDIUM = Side(style="medium", color="404040")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TOP_RULE = Border(left=_THIN, right=_THIN, top=_MEDIUM, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")

PAGE_NUMBER = "Página &P de &N"


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell; every value a writer puts in a sheet goes through here. Text that
    a spreadsheet would run as a formula (`=`, `+`, `-`, `@`...) is stored as text with
    Excel's "quote prefix", so it shows as typed and stays text if edited; a `Formula`
    the exporter made on purpose stays a formula."""
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell), "writing into a merged range"
    if isinstance(value, Formula):
        cell.value = str(value)
    elif looks_like_formula(value):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def escape_hf(text: str) -> str:
    """Text safe for a header or footer ("&" starts a code there)."""
    return text.replace("&", "&&")


def setup_print(
    ws: Worksheet, *, landscape: bool, header_text: str, title_rows: tuple[int, int] | None,
    footer_text: str = "",
) -> None:
    """Letter paper, fit to one page wide, repeated title rows, margins, no gridlines,
    `header_text` centered on top (sheet name on the right) and `footer_text` plus
    "Página n de m" at the bottom."""
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75,
                                  header=0.3, footer=0.3)
    ws.print_options.gridLines = False
    ws.print_options.horizontalCentered = True
    ws.sheet_view.showGridLines = False
    header: Any = ws.oddHeader  # typed Optional in the stubs; always present on a sheet
    footer: Any = ws.oddFooter
    header.center.text, header.center.size = escape_hf(header_text), 10
    header.right.text, header.right.size = "&A", 8  # the sheet's name
    footer.left.text, footer.left.size = escape_hf(footer_text), 8
    footer.right.text, footer.right.size = PAGE_NUMBER, 8


def generated_on_es(day: date) -> str:
    """Footer text saying when a workbook was made, e.g. "Generado el 05/03/2026"."""
    return f"Generado el {day:%d/%m/%Y}"


def write_title(ws: Worksheet, title: str, subtitle: str = "") -> int:
    """Title in A1 and an optional subtitle in A2; returns the first free row after a gap."""
    put(ws, 1, 1, title).font = TITLE_FONT
    if subtitle:
        put(ws, 2, 1, subtitle).font = SUBTITLE_FONT
    return 4


def write_header_row(ws: Worksheet, row: int, headers: Sequence[str], column: int = 1) -> None:
    """A bold, filled, wrapped header row (the row to repeat when printing)."""
    for i, text in enumerate(headers):
        cell = put(ws, row, column + i, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = BORDER


def write_row(
    ws: Worksheet, row: int, values: Sequence[Any], formats: Sequence[str | None] = (),
    *, bold: bool = False, fill: PatternFill | None = None, top_rule: bool = False,
    column: int = 1,
) -> None:
    """One bordered data row; `formats[i]` is the number format of column i (None = text)."""
    for i, value in enumerate(values):
        cell = put(ws, row, column + i, value)
        cell.border = TOP_RULE if top_rule else BORDER
        cell.alignment = WRAP
        fmt = formats[i] if i < len(formats) else None
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = BOLD
        if fill is not None:
            cell.fill = fill


def write_pairs(ws: Worksheet, row: int, pairs: Iterable[tuple[str, Any, str | None]]) -> int:
    """Label/value rows (label in bold); returns the next free row."""
    for label, value, fmt in pairs:
        put(ws, row, 1, label).font = BOLD
        cell = put(ws, row, 2, value)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if fmt:
            cell.number_format = fmt
        row += 1
    return row


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Column widths in characters, from column A."""
    for i, width in enumerate(widths):
        ws.column_dimensions[_letter(i + 1)].width = width


def break_page_after(ws: Worksheet, row: int) -> None:
    """A manual page break after `row`."""
    ws.row_breaks.append(Break(id=row))


def freeze_below(ws: Worksheet, row: int, columns: int = 0) -> None:
    """Keep rows up to `row` (and the first `columns` columns) in view while scrolling."""
    ws.freeze_panes = f"{_letter(columns + 1)}{row + 1}"


def fit_row_height(ws: Worksheet, row: int, lines: int) -> None:
    """Row height for `lines` lines of 10-11 pt wrapped text (Excel does not autofit)."""
    ws.row_dimensions[row].height = max(15.0, 14.5 * lines + 2)


def _letter(column: int) -> str:
    return str(get_column_letter(column))
