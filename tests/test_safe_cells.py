"""The pieces under issue 15's fixes, on tiny inputs: formula-looking text, money at any
size, enrollment bounds, and the cap on listed problems."""

from __future__ import annotations

import ast
import io
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from menu_planner.enrollment_bounds import bounds_of, load_enrollment_bounds
from menu_planner.export.safe_cells import Formula, csv_frame, csv_rows, csv_text
from menu_planner.export.xlsx_style import put
from menu_planner.procurement.money import quetzales, to_cents
from menu_planner.services.errors import MAX_DETAILS, Invalid

EXPORT = Path(__file__).resolve().parent.parent / "menu_planner" / "export"


@pytest.mark.parametrize("text", ["=1+1", "+502", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe_in_csv(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("value", ["CADI Rabinal", "", -12.5, 3, None, Formula("=SUM(A1)")])
def test_other_values_and_our_own_formulas_are_left_alone_in_csv(value):
    assert csv_text(value) == value


def test_csv_rows_and_frames_escape_text_cells_and_keep_numbers():
    assert list(csv_rows([["=x", -1.5, "ok"]])) == [["'=x", -1.5, "ok"]]
    frame = pd.DataFrame({"name": ["@a", "b"], "amount": [-1.0, 2.0]})
    out = csv_frame(frame)
    assert out["name"].tolist() == ["'@a", "b"] and out["amount"].tolist() == [-1.0, 2.0]
    assert frame["name"].tolist() == ["@a", "b"]  # the caller's frame is not changed


def test_put_writes_formula_looking_text_as_text_and_keeps_our_formulas():
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    put(ws, 1, 1, '=HYPERLINK("http://x","y")')
    put(ws, 2, 1, Formula("=SUM(B1:B2)"))
    put(ws, 3, 1, 12.5)
    buf = io.BytesIO()
    wb.save(buf)
    back = load_workbook(buf).active
    assert back is not None
    a1, a2, a3 = back["A1"], back["A2"], back["A3"]
    assert (a1.data_type, a1.value, a1.quotePrefix) == ("s", '=HYPERLINK("http://x","y")',
                                                        True)
    assert (a2.data_type, a2.value) == ("f", "=SUM(B1:B2)")
    assert (a3.data_type, a3.value) == ("n", 12.5)


def test_no_exporter_writes_a_cell_value_except_through_put():
    """Every value reaches a sheet through xlsx_style.put: no `ws.cell(..., value)`, no
    `ws.append(...)`, and `.value =` only inside xlsx_style, so no writer can forget the
    formula rule."""
    for path in EXPORT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "cell":
                    assert len(node.args) < 3 and all(k.arg != "value" for k in
                                                      node.keywords), where
                assert node.func.attr != "append" or not (
                    isinstance(node.func.value, ast.Name) and node.func.value.id == "ws"), where
            if isinstance(node, ast.Assign) and any(getattr(t, "attr", "") == "value"
                                                    for t in node.targets):
                assert path.name == "xlsx_style.py", where


def test_money_is_exact_at_any_size_and_refuses_what_is_not_a_number():
    assert to_cents(1e30) == 10**32
    assert to_cents(Decimal("12.345")) == 1235 and to_cents(-0.005) == -1
    assert quetzales(10**40) == 1e38
    for bad in (math.nan, math.inf, Decimal("NaN")):
        with pytest.raises(ValueError, match="no es un monto"):
            to_cents(bad)


def test_the_shipped_bounds_say_where_each_type_ends():
    bounds = bounds_of(None)
    assert bounds.for_center("cadi", "HC").max_enrolled == 24
    assert bounds.for_center("cadi", "otro").max_enrolled == 150
    assert bounds.for_center("nuevo", "x").max_enrolled == 500
    problems = bounds.problems("cadi", "HC", {"1-3y": 20, "4-6y": 20})
    assert problems == [("total", "en total, 40 personas es más de lo posible en un "
                                  "centro de tipo HC (máximo 24); revise la cifra")]
    cadi = bounds.for_center("cadi", "CADI")
    assert cadi.is_large_change(25, 70) and not cadi.is_large_change(25, 34)
    assert not cadi.is_large_change(4, 12)  # +200 %, but fewer than 10 people
    assert cadi.is_large_change(0, 10)


def test_a_bounds_file_without_the_catch_all_row_is_refused(tmp_path):
    path = tmp_path / "enrollment_bounds.csv"
    path.write_text("program,center_type,max_enrolled,confirm_change_people,"
                    "confirm_change_percent,justification,source\n"
                    "cadi,HC,24,4,25,x,y\n", encoding="utf-8")
    with pytest.raises(Exception, match="falta la fila"):
        load_enrollment_bounds(path)


def test_a_refusal_lists_fifty_problems_and_counts_the_rest():
    err = Invalid("muchos", [{"line": i, "message": "mal"} for i in range(1, 1001)])
    assert len(err.details) == MAX_DETAILS + 1
    assert err.details[-1] == {"message": "y 950 problema(s) más", "more": 950}
    assert len(Invalid("pocos", [{"message": "mal"}] * MAX_DETAILS).details) == MAX_DETAILS
