"""The national workbook read back with openpyxl: its totals are formulas, and evaluating
them over the cells gives the totals the core computes."""

import re
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

REF = r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]+)\$?(\d+)"


class Evaluator:
    """Just enough of a spreadsheet engine for the formulas the exports write."""

    def __init__(self, wb):
        self.wb = wb

    def value(self, sheet, coord):
        v = self.wb[sheet][coord].value
        if isinstance(v, str) and v.startswith("="):
            return self.formula(sheet, v[1:])
        return v

    def cells(self, sheet, rng):
        m = re.fullmatch(r"(?:'((?:[^']|'')+)'!)?(\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+)", rng)
        target = m.group(1).replace("''", "'") if m.group(1) else sheet
        for row in self.wb[target][m.group(2).replace("$", "")]:
            for cell in row:
                yield self.value(target, cell.coordinate)

    def ref(self, sheet, text):
        m = re.fullmatch(REF, text)
        target = m.group(1).replace("''", "'") if m.group(1) else sheet
        return self.value(target, f"{m.group(2)}{m.group(3)}")

    def formula(self, sheet, f):
        if m := re.fullmatch(r"SUM\((.+)\)", f):
            return sum(v for v in self.cells(sheet, m.group(1)) if isinstance(v, int | float))
        if m := re.fullmatch(r"COUNTA\((.+)\)", f):
            return sum(1 for v in self.cells(sheet, m.group(1)) if v not in (None, ""))
        if m := re.fullmatch(rf"({REF})-({REF})", f):
            return (self.ref(sheet, m.group(1)) or 0) - (self.ref(sheet, m.group(5)) or 0)
        if re.fullmatch(REF, f):
            return self.ref(sheet, f)
        raise AssertionError(f"unexpected formula ={f}")


@pytest.fixture(scope="module")
def report(tiny):
    return caja_chica_month(DEMO, Month(2026, 4), data_dir=TINY, dataset=tiny,
                            assigned_path=CAJA / "assigned.csv")


@pytest.fixture(scope="module")
def book(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("caja") / "caja.xlsx"
    write_caja_xlsx(report, path, today=date(2026, 3, 25))
    return load_workbook(path)


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


def test_department_totals_are_sum_formulas_equal_to_the_computed_ones(book, report):
    ev = Evaluator(book)
    for dept, totals in report.departments.items():
        ws = book[dept]
        cols = header_index(ws)
        last = 4 + totals.centers + 1  # header, centers, then the total row
        assert ws[f"A{last}"].value == f"Total {dept}"
        total_cell = f"{cols['Total caja chica (Q)']}{last}"
        assert ws[total_cell].value.startswith("=SUM(")
        assert ev.value(dept, total_cell) == pytest.approx(quetzales(totals.total), abs=1e-6)
        food = f"{cols['Alimentos (Q)']}{last}"
        assert ev.value(dept, food) == pytest.approx(quetzales(totals.food_entitlement))
        assert ev.value(dept, f"{cols['Inscritos']}{last}") == totals.enrolled
        # each center's row total is a live formula too
        assert ws[f"{cols['Total caja chica (Q)']}5"].value.startswith("=SUM(")


def test_the_national_sheet_refers_to_the_department_sheets(book, report):
    ev = Evaluator(book)
    ws = book[SUMMARY_SHEET]
    cols = header_index(ws)
    assert ws["B5"].value.startswith("=COUNTA('Alta Verapaz'!")
    assert ws[f"{cols['Total caja chica (Q)']}5"].value.startswith("='Alta Verapaz'!")
    national_row = 5 + len(report.departments)
    assert ws[f"A{national_row}"].value == "Total nacional"
    total = f"{cols['Total caja chica (Q)']}{national_row}"
    assert ws[total].value == f"=SUM({cols['Total caja chica (Q)']}5:"\
                              f"{cols['Total caja chica (Q)']}{national_row - 1})"
    assert ev.value(SUMMARY_SHEET, total) == pytest.approx(quetzales(report.national.total))
    assert ev.value(SUMMARY_SHEET, f"B{national_row}") == report.national.centers == 671
    assert ev.value(SUMMARY_SHEET, f"C{national_row}") == report.national.enrolled
    assigned = f"{cols['Fondo asignado (Q)']}{national_row}"
    assert ev.value(SUMMARY_SHEET, assigned) == pytest.approx(39_845.00)
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any("2,678" in n for n in notes)
    assert "Reglas aplicadas: HC y CADI" in notes
    assert any("41-50: Q675.00" in n for n in notes)


def test_the_settlement_workbook_totals_match(tiny, tmp_path):
    result = settlement_month(CAJA / "receipts.csv", CAJA / "assigned.csv", Month(2026, 4),
                              centers_path=DEMO, dataset=tiny)
    path = tmp_path / "liq.xlsx"
    write_settlement_xlsx(result, path)
    wb = load_workbook(path)
    ws = wb["Liquidación"]
    assert ws["E7"].value == "=SUM(E5:E6)"
    assert sum(ws[f"E{r}"].value for r in (5, 6)) == pytest.approx(quetzales(
        result.national.spent))
    assert ws["G5"].value == "=D5-E5"
    assert [c.value for c in wb["Comprobantes"]["H"]][4:10] == ["sí", "sí", "no", "no", "sí",
                                                                 "sí"]
