"""The money workbooks the service produces, read back with openpyxl (`data_only=True`,
what a program reading the file gets), against the API's JSON figures: a week's purchase
list and caja chica per center, department and nation. Every amount is a stored value
(none is a formula saved without its value) and equals the API's to the centavo.
SQLite and PostgreSQL; tiny data and its fixture cycle."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from service_fixtures import *  # noqa: F403
from service_fixtures import sign_fixture_cycle

MONTH = "2026-12"


@pytest.fixture
def signed(client, auth):
    return sign_fixture_cycle(client, auth["nutri"], start_date="2026-11-30")


def get(client, headers, path, **params):
    r = client.get(path, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r


def workbook(client, headers, path, **params):
    book = load_workbook(io.BytesIO(get(client, headers, path, format="xlsx",
                                        **params).content), data_only=True)
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   for ws in book.worksheets for row in ws.iter_rows() for c in row)
    return book


def cents(value) -> int:
    return round(float(value) * 100)


def column(ws, header: str, row: int = 4) -> int:
    return next(c.column for c in ws[row] if c.value == header)


def test_the_purchase_workbook_of_every_week_adds_up_to_the_api_total(client, auth, people,
                                                                      signed):
    center = people["centro"].centers[0]
    path = f"/centers/{center}/purchases"
    for week in ("2026-11-30", "2026-12-21", "2026-12-28"):
        doc = get(client, auth["centro"], path, week_start=week).json()["centers"][0]
        book = workbook(client, auth["centro"], path, week_start=week)
        ws = book[center]
        labels = {str(c.value): c.row for c in ws["A"] if c.value}
        total_row = next(r for t, r in labels.items() if t.startswith("Total de la compra"))
        rows = [ws.cell(r, 5).value for r in range(labels["Alimento"] + 1, total_row)
                if isinstance(ws.cell(r, 5).value, int | float)]
        assert len(rows) == len(doc["items"])
        assert sum(cents(v) for v in rows) == cents(doc["total_q"])
        assert ws.cell(total_row, 5).value == doc["total_q"]
        assert ws.cell(total_row + 1, 5).value == doc["budget_q"]
        assert cents(ws.cell(total_row + 2, 5).value) == cents(doc["budget_q"]) - cents(
            doc["total_q"])
        summary = book["Resumen"]
        assert (summary["G4"].value, summary["H4"].value) == (doc["budget_q"], doc["total_q"])


def test_caja_chica_workbooks_match_the_api_per_center_department_and_nation(
        client, auth, people, signed):
    center = people["centro"].centers[0]
    finance = auth["finanzas"]
    doc = get(client, finance, f"/centers/{center}/caja-chica", month=MONTH).json()
    mine = doc["centers"][0]
    book = workbook(client, finance, f"/centers/{center}/caja-chica", month=MONTH)
    ws = book[mine["department"][:31]]
    row = next(c.row for c in ws["A"] if c.value == center)
    assert ws.cell(row, column(ws, "Total caja chica (Q)")).value == mine["total_q"]
    assert ws.cell(row, column(ws, "Gasto planificado en alimentos (Q)")).value == \
        mine["planned_food_q"]
    assert ws.cell(row, column(ws, "Días de servicio")).value == mine["service_days"] == 22

    national = get(client, finance, "/caja-chica/national", month=MONTH).json()
    book = workbook(client, finance, "/caja-chica/national", month=MONTH)
    summary = book["Resumen nacional"]
    total_col = column(summary, "Total caja chica (Q)")
    planned_col = column(summary, "Gasto planificado en alimentos (Q)")
    for r, (dept, totals) in enumerate(national["departments"].items(), start=5):
        assert summary.cell(r, 1).value == dept
        assert summary.cell(r, total_col).value == totals["total_q"]
        assert summary.cell(r, 2).value == totals["centers"]
        sheet = book[dept[:31]]
        rows = [sheet.cell(i, column(sheet, "Total caja chica (Q)")).value
                for i in range(5, 5 + totals["centers"])]
        assert sum(cents(v) for v in rows) == cents(totals["total_q"])
    last = 5 + len(national["departments"])
    assert summary.cell(last, total_col).value == national["national"]["total_q"]
    assert summary.cell(last, planned_col).value == national["national"]["planned_food_q"]
    dept = mine["department"]
    one = get(client, finance, f"/caja-chica/departments/{dept}", month=MONTH).json()
    book = workbook(client, finance, f"/caja-chica/departments/{dept}", month=MONTH)
    assert book["Resumen nacional"].cell(5, total_col).value == one["national"]["total_q"]
