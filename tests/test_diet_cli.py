"""`menu-planner diet`: JSON out, exit codes, and line-by-line checks of the input files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from menu_planner.cli import app

DIET = Path(__file__).parent / "fixtures" / "diet"
runner = CliRunner()


def run(foods: Path, reqs: Path) -> tuple[int, str, str]:
    res = runner.invoke(app, ["diet", "--foods", str(foods), "--requirements", str(reqs)])
    return res.exit_code, res.stdout, res.stderr


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_diet_command_prints_stigler_optimum_as_json() -> None:
    code, out, _ = run(DIET / "stigler_foods.csv", DIET / "stigler_requirements.csv")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["total_cost"] == pytest.approx(0.1086623, abs=5e-8)
    assert set(data["quantities"]) == {"wheat_flour_enriched", "liver_beef", "cabbage",
                                       "spinach", "navy_beans_dried"}
    assert {b["nutrient"] for b in data["binding"]} >= {"calcium_g", "riboflavin_mg"}
    assert data["shadow_prices"]["protein_g"] == 0.0


def test_infeasible_diet_exits_2_with_a_spanish_diagnosis() -> None:
    code, out, err = run(DIET / "infeasible_foods.csv", DIET / "infeasible_requirements.csv")
    assert code == 2
    data = json.loads(out)
    assert data["status"] == "infeasible"
    assert {v["nutrient"] for v in data["violations"]} == {"protein_g", "vitamin_c_mg"}
    assert data["message"].startswith("No existe ninguna dieta")
    assert "No existe ninguna dieta" in err


def test_every_input_problem_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    foods = write(tmp_path / "F.csv",
                  "food_id,cost,protein_g,vitamin_c_mg,max_units\n"
                  "a,1,4,0,1\n"
                  "b,-2,x,0,\n"
                  "a,1,4,ND,-1\n")
    reqs = write(tmp_path / "R.csv",
                 "nutrient,min,max\n"
                 "protein_g,10,\n"
                 "vit_x,1,\n"
                 "cost,1,\n"
                 "protein_g,,\n"
                 "vitamin_c_mg,5,2\n")
    code, out, err = run(foods, reqs)
    assert code == 1
    assert out == ""
    expected = [
        f"{reqs}, línea 3, columna 'nutrient': nutriente desconocido 'vit_x'",
        f"{reqs}, línea 4, columna 'nutrient': 'cost' no es un nutriente",
        f"{reqs}, línea 5, columna 'nutrient': nutriente repetido 'protein_g'",
        f"{reqs}, línea 5, columna 'min': el requerimiento no tiene mínimo ni máximo",
        f"{reqs}, línea 6, columna 'min': el mínimo es mayor que el máximo",
        f"{foods}, línea 3, columna 'cost': el valor -2 debe ser >= 0",
        f"{foods}, línea 3, columna 'protein_g': 'x' no es un número",
        f"{foods}, línea 4, columna 'vitamin_c_mg': 'ND' no es un número",
        f"{foods}, línea 4, columna 'max_units': el valor -1 debe ser >= 0",
    ]
    for line in expected:
        assert line in err
    assert "Se encontraron" in err


def test_a_repeated_food_id_is_reported(tmp_path: Path) -> None:
    foods = write(tmp_path / "F.csv", "food_id,cost,n\na,1,1\na,2,1\n")
    reqs = write(tmp_path / "R.csv", "nutrient,min,max\nn,1,\n")
    code, _, err = run(foods, reqs)
    assert code == 1
    assert f"{foods}, línea 3, columna 'food_id': food_id repetido 'a'" in err


def test_a_blank_nutrient_amount_is_an_error_not_a_zero(tmp_path: Path) -> None:
    foods = write(tmp_path / "F.csv", "food_id,cost,n\na,1,\nb,1,2\n")
    reqs = write(tmp_path / "R.csv", "nutrient,min,max\nn,1,\n")
    code, _, err = run(foods, reqs)
    assert code == 1
    assert f"{foods}, línea 2, columna 'n': celda vacía" in err


def test_missing_files_and_columns_are_reported(tmp_path: Path) -> None:
    foods = write(tmp_path / "F.csv", "food_id,n\na,1\n")
    code, _, err = run(foods, tmp_path / "nope.csv")
    assert code == 1
    assert f"{tmp_path / 'nope.csv'}: falta el archivo" in err
    assert f"{foods}, línea 1, columna 'cost': falta la columna en el encabezado" in err


def test_extra_columns_in_the_food_file_are_allowed(tmp_path: Path) -> None:
    foods = write(tmp_path / "F.csv", "food_id,name_es,cost,n,source\na,Arroz,2,1,INCAP\n")
    reqs = write(tmp_path / "R.csv", "nutrient,min,max\nn,3,\n")
    code, out, _ = run(foods, reqs)
    assert code == 0
    assert json.loads(out)["quantities"] == pytest.approx({"a": 3.0})
