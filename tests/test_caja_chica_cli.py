import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from menu_planner.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "centers" / "centers.csv"
CAJA = ROOT / "tests" / "fixtures" / "caja"
TINY = ROOT / "tests" / "fixtures" / "tiny"

runner = CliRunner()


def caja(out, *extra, centers=DEMO, month="2026-04", fmt="json", data=TINY):
    args = ["caja-chica", "--centers", str(centers), "--month", month, "--format", fmt,
            "--out", str(out), *extra]
    if data is not None:
        args += ["--data", str(data)]
    return runner.invoke(app, args)


def test_the_shipped_demo_centers_and_data_give_a_contract_file(tmp_path):
    out = tmp_path / "caja.json"
    result = caja(out, data=None)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "menu_planner.caja_chica/1" and doc["month"] == "2026-04"
    first = doc["centers"][0]
    for key in ("center_id", "program", "department", "enrolled", "service_days",
                "food_entitlement_q", "planned_food_q", "allowances", "total_q", "flags"):
        assert key in first
    assert first["service_days"] == 20
    assert first["total_q"] == pytest.approx(first["food_entitlement_q"]
                                             + sum(first["allowances"].values()))
    assert doc["national"]["centers"] == 671
    assert set(doc["departments"]) == {c["department"] for c in doc["centers"]}
    assert "671 centros" in result.output


def test_with_the_tiny_cycle_child_centers_get_planned_food(tmp_path):
    out = tmp_path / "caja.json"
    result = caja(out, "--cycle", str(TINY / "cycle_cadi.json"), "--start-date", "2026-03-02")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    planned = {c["program"]: c["planned_food_q"] for c in doc["centers"]}
    assert planned["mad"] is None and planned["cadi"] > 0
    assert doc["cycle_start"] == "2026-03-02"
    assert doc["national"]["planned_food_q"] == pytest.approx(
        sum(c["planned_food_q"] or 0 for c in doc["centers"]))
    assert doc["notes"][0].startswith("Gasto planificado")


def test_assigned_previous_and_closures_are_checked(tmp_path):
    previous = tmp_path / "previous.csv"
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    previous.write_text("\n".join([lines[0], lines[1].replace(",1,8,22,", ",1,8,20,"),
                                   *lines[3:]]) + "\n", encoding="utf-8")
    out = tmp_path / "caja.json"
    result = caja(out, "--assigned", str(CAJA / "assigned.csv"), "--previous", str(previous),
                  "--closures", str(CAJA / "closures.csv"))
    assert result.exit_code == 0, result.output
    by_id = {c["center_id"]: c for c in json.loads(out.read_text())["centers"]}
    first = by_id["1601-01"]
    assert first["service_days"] == 19 and first["previous_enrolled"] == 29
    assert first["assigned_q"] == 19845.0
    assert first["assigned_difference_q"] == pytest.approx(19845.0 - first["total_q"])
    assert any("cambió de 29 a 31" in f for f in first["flags"])
    assert any(f.startswith("Centro nuevo") for f in by_id["1601-02"]["flags"])
    assert "Cierre(s) declarado(s): 17/04 (fiesta patronal)." in first["flags"]


def test_csv_has_one_row_per_center(tmp_path):
    out = tmp_path / "caja.csv"
    assert caja(out, fmt="csv").exit_code == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 671
    assert rows[0]["total_q"] == "19845.00" and rows[0]["propane_gas_q"] == "540.00"


def test_xlsx_is_written_with_a_sheet_per_department(tmp_path):
    out = tmp_path / "caja.xlsx"
    assert caja(out, fmt="xlsx").exit_code == 0
    assert len(load_workbook(out).sheetnames) == 23


@pytest.mark.parametrize("kwargs, extra, messages", [
    ({"month": "2026-4"}, [], ["--month", "mes inválido '2026-4'"]),
    ({"month": "abril"}, [], ["mes inválido"]),
    ({"centers": CAJA / "bad_centers.csv"}, [],
     ["bad_centers.csv, línea 2, columna 'enrolled_1-3y': la inscripción no puede ser "
      "negativa", "línea 3, columna 'department': 'Guatemla' no es un valor permitido",
      "línea 4, columna 'enrolled_6-11m': 'dos' no es un número de personas"]),
    ({}, ["--assigned", str(CAJA / "bad_assigned.csv")],
     ["bad_assigned.csv, línea 3, columna 'center_id': centro desconocido '9999-99'",
      "línea 5, columna 'assigned_q': '12.345' tiene más de dos decimales"]),
    ({}, ["--start-date", "2026-02-30"], ["'2026-02-30' no es una fecha"]),
    ({}, ["--cycle", str(CAJA / "missing.json")], ["missing.json: falta el archivo"]),
])
def test_bad_input_is_reported_in_spanish_and_nothing_is_written(tmp_path, kwargs, extra,
                                                                 messages):
    out = tmp_path / "caja.json"
    out.write_text("previous content", encoding="utf-8")
    result = caja(out, *extra, **kwargs)
    assert result.exit_code == 1
    for m in messages:
        assert m in result.output, result.output
    assert out.read_text(encoding="utf-8") == "previous content"
    assert list(tmp_path.iterdir()) == [out]


def liquidacion(out, *extra, fmt="json", receipts=CAJA / "receipts.csv"):
    return runner.invoke(app, [
        "liquidacion", "--receipts", str(receipts), "--assigned", str(CAJA / "assigned.csv"),
        "--month", "2026-04", "--centers", str(DEMO), "--data", str(TINY),
        "--format", fmt, "--out", str(out), *extra])


def test_the_settlement_command_writes_every_format(tmp_path):
    out = tmp_path / "liq.json"
    result = liquidacion(out)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "menu_planner.liquidacion/1"
    assert doc["national"]["spent_q"] == 30540.5
    assert doc["centers"][0]["to_return_q"] == 10304.5
    assert [r["accepted"] for r in doc["centers"][0]["receipts"]] == [True, True, False, False,
                                                                      True]
    assert liquidacion(tmp_path / "liq.csv", fmt="csv").exit_code == 0
    assert liquidacion(tmp_path / "liq.xlsx", fmt="xlsx").exit_code == 0
    assert "a devolver Q10,304.50" in result.output


def test_bad_receipts_stop_the_settlement(tmp_path):
    out = tmp_path / "liq.json"
    result = liquidacion(out, receipts=CAJA / "bad_receipts.csv")
    assert result.exit_code == 1
    assert "bad_receipts.csv, línea 2, columna 'date'" in result.output
    assert not out.exists()


SHIPPED_CADI_CYCLE = ROOT / "data" / "cycles" / "cadi.json"


def test_a_shipped_cycle_plans_the_food_of_the_demo_centers(tmp_path):
    out = tmp_path / "caja.json"
    result = caja(out, "--cycle", str(SHIPPED_CADI_CYCLE), data=None)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert all(c["planned_food_q"] > 0 for c in doc["centers"] if c["program"] == "cadi")
