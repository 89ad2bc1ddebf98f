"""The printable shopping list (xlsx) read back with openpyxl.

openpyxl reads formulas as text and does not compute them, so this test evaluates the few
formula shapes the writer uses (ROUND(B*D,2), SUM of a column range, differences, a ratio
and references to another sheet) from the cell values, and compares the results with the
purchase list computed by the core (figures of test_purchases.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from menu_planner.centers import load_centers
from menu_planner.domain import cycle_from_dict
from menu_planner.export.purchases_xlsx import write_purchases_xlsx
from menu_planner.procurement import (
    WeekPurchases,
    cycle_purchase_lists,
    load_attendance,
    load_purchase_settings,
)
from menu_planner.reference_data import load_dataset

FIX = Path(__file__).parent / "fixtures" / "purchases"


@pytest.fixture(scope="module")
def weeks() -> list[WeekPurchases]:
    ds = load_dataset(FIX / "data")
    cyc = cycle_from_dict(json.loads((FIX / "cycle.json").read_text("utf-8")))
    centers = load_centers(FIX / "centers.csv", ds)
    return cycle_purchase_lists(ds, cyc, centers, settings=load_purchase_settings(FIX / "data"),
                                attendance=load_attendance(FIX / "centers.csv"),
                                as_of=date(2026, 3, 1))


@pytest.fixture(scope="module")
def book(weeks: list[WeekPurchases], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("xlsx") / "compras.xlsx"
    wk = weeks[0]
    write_purchases_xlsx([wk], path)
    return openpyxl.load_workbook(path)


def value(wb: openpyxl.Workbook, ws: Worksheet, ref: str) -> float:
    """The value of a cell, evaluating the writer's formula shapes."""
    v = ws[ref].value
    if not isinstance(v, str) or not v.startswith("="):
        return float(v or 0)
    f = v[1:]
    if m := re.fullmatch(r"ROUND\(([A-Z]+\d+)\*([A-Z]+\d+),2\)", f):
        return round(value(wb, ws, m[1]) * value(wb, ws, m[2]), 2)
    if m := re.fullmatch(r"SUM\(([A-Z]+)(\d+):\1(\d+)\)", f):
        return sum(value(wb, ws, f"{m[1]}{r}") for r in range(int(m[2]), int(m[3]) + 1))
    if m := re.fullmatch(r"([A-Z]+\d+)-([A-Z]+\d+)", f):
        return value(wb, ws, m[1]) - value(wb, ws, m[2])
    if m := re.fullmatch(r"IF\(([A-Z]+\d+)>0,([A-Z]+\d+)/\1,0\)", f):
        den = value(wb, ws, m[1])
        return value(wb, ws, m[2]) / den if den > 0 else 0.0
    if m := re.fullmatch(r"'?([^'!]+)'?!([A-Z]+\d+)", f):
        return value(wb, wb[m[1]], m[2])
    raise AssertionError(f"fórmula inesperada {v}")


def row_of(ws: Worksheet, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if isinstance(row[0].value, str) and row[0].value.startswith(label):
            return row[0].row
    raise AssertionError(label)


def test_one_sheet_per_center_after_the_summary(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Resumen", "C-1", "C-2"]


def test_subtotals_are_live_formulas_equal_to_the_computed_costs(
    book: openpyxl.Workbook, weeks: list[WeekPurchases],
) -> None:
    """Each item row: quantity x unit price rounded to cents = the line's cost_q."""
    ws = book["C-1"]
    lines = {ln.food.name_es: ln for ln in weeks[0].lines(0)}
    seen = 0
    for r in range(1, ws.max_row + 1):
        name = str(ws.cell(r, 1).value)
        if name in lines:
            assert ws.cell(r, 5).value == f"=ROUND(B{r}*D{r},2)"
            assert ws.cell(r, 2).value == lines[name].quantity
            assert ws.cell(r, 3).value == lines[name].purchase_unit
            assert value(book, ws, f"E{r}") == lines[name].cost_q
            seen += 1
    assert seen == 4


def test_total_budget_difference_and_share_read_back(book: openpyxl.Workbook) -> None:
    """C-1: total Q36.30, budget Q10 x 10 people x 2 days = Q200, difference Q163.70,
    18.15% used. C-2: Q68.60 of Q320."""
    ws = book["C-1"]
    total = row_of(ws, "Total de la compra")
    assert ws[f"E{total}"].value.startswith("=SUM(E")
    assert value(book, ws, f"E{total}") == pytest.approx(36.3)
    assert ws[f"E{total + 1}"].value == 200
    assert value(book, ws, f"E{total + 2}") == pytest.approx(163.7)
    assert value(book, ws, f"E{total + 3}") == pytest.approx(0.1815)
    c2 = book["C-2"]
    assert value(book, c2, f"E{row_of(c2, 'Total de la compra')}") == pytest.approx(68.6)


def test_summary_sheet_sums_the_center_sheets(book: openpyxl.Workbook) -> None:
    """Budget 200 + 320 = 520; purchases 36.30 + 68.60 = 104.90."""
    ws = book["Resumen"]
    assert ws["B4"].value == "C-1" and ws["B5"].value == "C-2"
    assert value(book, ws, "H4") == pytest.approx(36.3)
    assert value(book, ws, "G6") == 520
    assert value(book, ws, "H6") == pytest.approx(104.9)


def test_sheet_is_in_spanish_grouped_by_market_section_and_signed(
    book: openpyxl.Workbook,
) -> None:
    ws = book["C-1"]
    col_a = [c.value for c in ws["A"] if c.value is not None]
    sections = [v for v in col_a if v in {"Frutas", "Granos básicos y abarrotes",
                                          "Lácteos y huevos"}]
    assert sections == ["Frutas", "Granos básicos y abarrotes", "Lácteos y huevos"]
    assert col_a.index("Granos básicos y abarrotes") < col_a.index("Arroz blanco") < \
        col_a.index("Frijol negro") < col_a.index("Lácteos y huevos")
    text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)
    for needed in ("Lista de compras semanal", "Código: C-1", "Departamento: Guatemala",
                   "Semana 1 del ciclo", "Elaborado por", "Revisado por",
                   "Recibido conforme", "Presupuesto de la semana (Q10.00 por persona al día"
                   " × 10.0 personas × 2 días)"):
        assert needed in text
    assert "ATENCIÓN: 1 precio(s) tienen más de 12 meses" in text  # arroz, 2024-01-15


def test_print_setup_is_letter_fit_to_width_with_titles(book: openpyxl.Workbook) -> None:
    ws = book["C-1"]
    assert int(str(ws.page_setup.paperSize)) == 1  # letter
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    props = ws.sheet_properties.pageSetUpPr
    assert props is not None and props.fitToPage
    header = row_of(ws, "Alimento")
    assert ws.print_title_rows == f"${header}:${header}"


def test_several_weeks_get_one_sheet_per_center_and_week(
    weeks: list[WeekPurchases], tmp_path: Path,
) -> None:
    path = tmp_path / "ciclo.xlsx"
    write_purchases_xlsx(weeks, path, rows=[0])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Resumen", "S1 C-1", "S2 C-1"]
    ws = wb["S2 C-1"]
    assert value(wb, ws, f"E{row_of(ws, 'Total de la compra')}") == pytest.approx(22.5)
