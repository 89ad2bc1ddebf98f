"""The national workbook read back with openpyxl (`data_only=True`: what a program reading
the file gets): every figure is a stored value, and the totals are the core's, to the
centavo (no formulas, which openpyxl would save without values)."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from menu_planner.export.caja_xlsx import SUMMARY_SHEET, write_caja_xlsx
from menu_planner.export.liquidacion_xlsx import write_settlement_xlsx
from menu_planner.procurement.caja_month import caja_chica_month, settlement_month
from menu_planner.procurement.calendar import Month
from menu_planner.procurement.money import quetzales

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "centers" / "centers.csv"
CAJA = ROOT / "tests" / "fixtures" / "caja"
TINY = ROOT / "tests" / "fixtures" / "tiny"


def no_formulas(wb) -> bool:
    return not any(isinstance(c.value, str) and c.value.startswith("=")
                   for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def cents(value) -> int:
    return round(value * 100)


@pytest.fixture(scope="module")
def report(tiny):
    return caja_chica_month(DEMO, Month(2026, 4), data_dir=TINY, dataset=tiny,
                            assigned_path=CAJA / "assigned.csv")


@pytest.fixture(scope="module")
def book(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("caja") / "caja.xlsx"
    write_caja_xlsx(report, path, today=date(2026, 3, 25))
    return load_workbook(path, data_only=True)


def header_index(ws, row=4):
    return {c.value: c.column_letter for c in ws[row] if c.value}


def test_one_sheet_per_department_after_the_national_summary(book, report):
    assert book.sheetnames == [SUMMARY_SHEET, *report.departments]
    ws = book["Baja Verapaz"]
    cols = header_index(ws)
    assert {"Código", "Inscritos", "Días de servicio", "Alimentos (Q)", "Gas propano (Q)",
            "Total caja chica (Q)", "Observaciones"} <= set(cols)
    assert ws.print_title_rows == "$4:$4"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_LETTER
    assert ws.page_setup.orientation == "landscape"


def test_department_totals_are_values_equal_to_the_computed_ones(book, report):
    assert no_formulas(book)
    for dept, totals in report.departments.items():
        ws = book[dept]
        cols = header_index(ws)
        last = 4 + totals.centers + 1  # header, centers, then the total row
        assert ws[f"A{last}"].value == f"Total {dept}"
        money = [c for h, c in cols.items() if h.endswith("(Q)") and h not in (
            "Cuota diaria (Q)", "Gasto planificado en alimentos (Q)", "Fondo asignado (Q)",
            "Diferencia asignado - calculado (Q)", "Total caja chica (Q)")]
        total_col = cols["Total caja chica (Q)"]
        assert ws[f"{total_col}{last}"].value == quetzales(totals.total)
        assert ws[f"{cols['Alimentos (Q)']}{last}"].value == quetzales(totals.food_entitlement)
        assert ws[f"{cols['Inscritos']}{last}"].value == totals.enrolled
        rows = range(5, last)
        # each center's total is its food plus allowances; the rows add up to the total
        for r in rows:
            parts = sum(cents(ws[f"{c}{r}"].value or 0) for c in money)
            assert parts == cents(ws[f"{total_col}{r}"].value)
        assert sum(cents(ws[f"{total_col}{r}"].value) for r in rows) == totals.total


def test_the_national_sheet_adds_the_department_sheets(book, report):
    ws = book[SUMMARY_SHEET]
    cols = header_index(ws)
    total_col = cols["Total caja chica (Q)"]
    for r, (dept, totals) in enumerate(report.departments.items(), start=5):
        assert ws[f"A{r}"].value == dept and ws[f"B{r}"].value == totals.centers
        assert ws[f"{total_col}{r}"].value == quetzales(totals.total)
    national_row = 5 + len(report.departments)
    assert ws[f"A{national_row}"].value == "Total nacional"
    assert sum(cents(ws[f"{total_col}{r}"].value) for r in range(5, national_row)) == \
        report.national.total == cents(ws[f"{total_col}{national_row}"].value)
    assert ws[f"B{national_row}"].value == report.national.centers == 671
    assert ws[f"C{national_row}"].value == report.national.enrolled
    assert ws[f"{cols['Fondo asignado (Q)']}{national_row}"].value == 39_845.00
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any("2,678" in n for n in notes)
    assert "Reglas aplicadas: HC y CADI" in notes
    assert any("41-50: Q675.00" in n for n in notes)


def test_the_settlement_workbook_totals_match(tiny, tmp_path):
    result = settlement_month(CAJA / "receipts.csv", CAJA / "assigned.csv", Month(2026, 4),
                              centers_path=DEMO, dataset=tiny)
    path = tmp_path / "liq.xlsx"
    write_settlement_xlsx(result, path)
    wb = load_workbook(path, data_only=True)
    assert no_formulas(wb)
    ws = wb["Liquidación"]
    assert ws["E7"].value == quetzales(result.national.spent)
    assert sum(cents(ws[f"E{r}"].value) for r in (5, 6)) == result.national.spent
    for r in (5, 6):
        assert cents(ws[f"G{r}"].value) == cents(ws[f"D{r}"].value or 0) - cents(
            ws[f"E{r}"].value)
    assert ws["G7"].value == quetzales(result.national.assigned - result.national.spent)
    assert [c.value for c in wb["Comprobantes"]["H"]][4:10] == ["sí", "sí", "no", "no", "sí",
                                                                 "sí"]
