"""The printable shopping list (xlsx) read back with openpyxl (`data_only=True`: what a
program reading the file gets). Every amount is a stored value, the very figure of the
purchase list computed by the core (figures of test_purchases.py), and each sheet's rows
add up to its total to the centavo."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
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
    return openpyxl.load_workbook(path, data_only=True)


def value(wb: openpyxl.Workbook, ws: Worksheet, ref: str) -> float:
    """The stored value of a cell (a formula would come back as text and fail here)."""
    v = ws[ref].value
    assert not (isinstance(v, str) and v.startswith("=")), f"{ref} es una fórmula: {v}"
    return float(v or 0)


def row_of(ws: Worksheet, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if isinstance(row[0].value, str) and row[0].value.startswith(label):
            return row[0].row
    raise AssertionError(label)


def test_one_sheet_per_center_after_the_summary(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Resumen", "C-1", "C-2"]


def test_subtotals_are_stored_values_equal_to_the_computed_costs(
    book: openpyxl.Workbook, weeks: list[WeekPurchases],
) -> None:
    """Each item row: quantity x unit price rounded to cents = the line's cost_q."""
    ws = book["C-1"]
    lines = {ln.food.name_es: ln for ln in weeks[0].lines(0)}
    seen = 0
    for r in range(1, ws.max_row + 1):
        name = str(ws.cell(r, 1).value)
        if name in lines:
            assert ws.cell(r, 5).value == lines[name].cost_q
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
    assert value(book, ws, f"E{total}") == 36.3
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


def test_half_centavos_round_up_and_the_rows_add_to_the_total_exactly(
    tmp_path: Path,
) -> None:
    """Prices ending in 5 centavos bought by the half libra or the unit give costs with a
    half centavo (0.5 x Q2.05 = Q1.025): each is rounded half up on the decimal amount
    (Q1.03, as Excel's ROUND and a calculator do; binary rounding gives Q1.02), and the
    workbook's rows, read back as values, add up to the sheet's and the summary's total."""
    ds = load_dataset(FIX / "data")
    odd = {"frijol": 2.05, "arroz": 5.15, "huevo": 1.05, "banano": 0.55}
    ds = replace(ds, prices=tuple(replace(p, price_q=odd[p.food_id] + (0.10 if
                                          p.purchase_unit == "docena" else 0.0))
                                  for p in ds.prices))
    cyc = cycle_from_dict(json.loads((FIX / "cycle.json").read_text("utf-8")))
    centers = load_centers(FIX / "centers.csv", ds)
    weeks = cycle_purchase_lists(ds, cyc, centers, settings=load_purchase_settings(FIX / "data"),
                                 attendance=load_attendance(FIX / "centers.csv"),
                                 as_of=date(2026, 3, 1))
    halves = 0
    for wk in weeks:
        for i in range(len(wk.centers)):
            for ln in wk.lines(i):
                exact = Decimal(str(ln.quantity)) * Decimal(str(ln.unit_price_q))
                halves += (exact * 100) % 1 == Decimal("0.5")
                assert ln.cost_q == float(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))
    assert halves >= 2  # the case is really exercised
    path = tmp_path / "compras.xlsx"
    write_purchases_xlsx(weeks, path)
    book = openpyxl.load_workbook(path, data_only=True)
    grand = 0
    for wk in weeks:
        for i, c in enumerate(wk.centers):
            ws = book[f"S{wk.week} {c.center_id}"]
            total = row_of(ws, "Total de la compra")
            first = row_of(ws, "Alimento") + 1
            rows = [ws.cell(r, 5).value for r in range(first, total)
                    if isinstance(ws.cell(r, 5).value, float | int)]
            cents = sum(round(v * 100) for v in rows)
            assert cents == round(ws.cell(total, 5).value * 100)
            assert ws.cell(total, 5).value == float(wk.total_q[i])
            grand += cents
    summary = book["Resumen"]
    last = summary.max_row
    assert summary.cell(last, 8).value * 100 == pytest.approx(grand, abs=1e-6)
    assert all(not (isinstance(c.value, str) and c.value.startswith("="))
               for ws in book.worksheets for row in ws.iter_rows() for c in row)
