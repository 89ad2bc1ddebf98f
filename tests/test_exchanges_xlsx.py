"""The exchange list as a workbook and as a print page: it opens, is set up for letter
paper, and every amount and cost in it re-derives from the food table, the prices and the
kitchen-measure table (recomputed here without the exchange code)."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from menu_planner.cli import app
from menu_planner.domain import NUTRIENTS, Dataset
from menu_planner.domain.constants import NUTRIENT_LABELS_ES
from menu_planner.reference_data import SHIPPED_DATA, load_dataset

FIX = Path(__file__).parent / "fixtures" / "exchanges"
runner = CliRunner()
SINGULAR = {"unidades": "unidad", "tazas": "taza", "cucharadas": "cucharada",
            "cucharaditas": "cucharadita", "onzas": "onza", "libras": "libra",
            "rodajas": "rodaja"}
DEFAULT_MEASURES = {("", "*", "onza"): 28.35, ("", "*", "libra"): 453.6,
                    ("", "grasas", "cucharada"): 13.6, ("", "grasas", "cucharadita"): 4.5,
                    ("", "azucares", "cucharada"): 12.5, ("", "azucares", "cucharadita"): 4.2,
                    ("", "leguminosas", "taza"): 172.0, ("", "verduras", "taza"): 130.0,
                    ("", "frutas", "taza"): 150.0, ("huevo_gallina", "", "unidad"): 50.0,
                    ("leche_fluida", "", "taza"): 244.0, ("tortilla_maiz", "", "unidad"): 30.0}


def kitchen_table(data_dir: Path) -> dict[tuple[str, str, str], float]:
    path = data_dir / "menus" / "kitchen_measures.csv"
    if not path.is_file():
        return DEFAULT_MEASURES
    with path.open(encoding="utf-8") as fh:
        return {(r["food_id"], r["food_group"], r["measure"]): float(r["grams"])
                for r in csv.DictReader(fh)}


def measure_grams(table: dict[tuple[str, str, str], float], food_id: str, group: str,
                  measure: str) -> float:
    for key in ((food_id, "", measure), ("", group, measure), ("", "*", measure)):
        if key in table:
            return table[key]
    raise AssertionError(f"no measure {measure} for {food_id}")


def parse_measure(text: str) -> tuple[float, str]:
    """"1 ½ tazas" -> (1.5, "taza")."""
    *numbers, word = text.split()
    count = sum(0.5 if n == "½" else float(n) for n in numbers)
    return count, SINGULAR.get(word, word)


def rederive(path: Path, ds: Dataset, data_dir: Path) -> int:
    """Check every row of the `Intercambios` sheet against the tables; the options seen."""
    ws = openpyxl.load_workbook(path)["Intercambios"]
    region = str(ws["A2"].value).split("Precios de ")[1].split(".")[0]
    by_name = {f.name_es: f for f in ds.foods.values()}
    assert len(by_name) == len(ds.foods)
    nutrient_of = {NUTRIENT_LABELS_ES[n].split(" (")[0]: n for n in NUTRIENTS}
    table = kitchen_table(data_dir)
    recipes_by_name = {r.name_es: r for r in ds.recipes.values()}
    original: Any = None
    nutrient = ""
    grams = 0.0
    checked = 0
    for row in ws.iter_rows(min_row=5, values_only=True):
        cells: list[Any] = list(row)
        name, label, _, g, recipe, repl, measure, repl_g, diff, _ = cells
        if name is not None and label is None:  # a food-group heading
            continue
        if name is not None:
            original, nutrient, grams = by_name[name], nutrient_of[label], float(g)
            used = {i.food_id: i.grams for i in recipes_by_name[recipe].ingredients}
            assert used[original.food_id] == pytest.approx(grams, abs=0.05)
        if repl is None:
            continue
        food = by_name[repl]
        exact = grams * original.nutrients[nutrient] / food.nutrients[nutrient]
        assert repl_g == pytest.approx(round(exact, 1), abs=0.051)
        cost = (exact * ds.cost_per_edible_gram(food.food_id, region)
                - grams * ds.cost_per_edible_gram(original.food_id, region))
        assert diff == pytest.approx(cost, abs=0.006)
        if measure != "—":
            count, unit = parse_measure(measure)
            per = measure_grams(table, food.food_id, food.food_group, unit)
            assert count == math.floor(exact / per * 2 + 0.5) / 2 and count >= 0.5
        checked += 1
    return checked


def test_the_exchange_list_workbook_opens_and_rederives(tmp_path: Path) -> None:
    out = tmp_path / "intercambios.xlsx"
    res = runner.invoke(app, ["intercambios", "--cycle", str(FIX / "cycle_cadi.json"),
                              "--data", str(FIX / "data"), "--format", "xlsx", "--out",
                              str(out)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Intercambios", "No se intercambian", "Cómo leer"]
    ws = wb["Intercambios"]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_LETTER
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    assert rederive(out, load_dataset(FIX / "data"), FIX / "data") >= 8
    flagged = [r for r in ws.iter_rows(min_row=5, values_only=True)
               if r[5] == "Carne de res"]
    assert "presupuesto Q8.00" in str(flagged[0][9])


def test_the_print_view_is_html_with_every_food(tmp_path: Path) -> None:
    out = tmp_path / "intercambios.html"
    res = runner.invoke(app, ["intercambios", "--cycle", str(FIX / "cycle_cadi.json"),
                              "--data", str(FIX / "data"), "--format", "html", "--out",
                              str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "size: letter landscape" in page
    assert "Huevo de gallina" in page and "½ taza (70.8 g)" in page
    assert "Sal yodada" in page  # listed among the foods that are not exchanged
    assert "presupuesto Q8.00" in page


def test_the_json_list_holds_every_option(tmp_path: Path) -> None:
    import json

    out = tmp_path / "intercambios.json"
    res = runner.invoke(app, ["intercambios", "--cycle", str(FIX / "cycle_cadi.json"),
                              "--data", str(FIX / "data"), "--out", str(out),
                              "--department", "Guatemala"])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "menu_planner.exchanges/1" and doc["price_region"] == "Guatemala"
    egg = next(f for f in doc["foods"] if f["food_id"] == "huevo_gallina")
    assert [o["food_id"] for o in egg["options"]] == ["frijol_negro_cocido", "pollo_pieza",
                                                      "res"]
    assert egg["options"][2]["ok"] is False


def test_an_unknown_department_is_refused(tmp_path: Path) -> None:
    res = runner.invoke(app, ["intercambios", "--cycle", str(FIX / "cycle_cadi.json"),
                              "--data", str(FIX / "data"), "--out", str(tmp_path / "x.json"),
                              "--department", "Narnia"])
    assert res.exit_code == 1 and "departamento desconocido" in res.output
    assert not (tmp_path / "x.json").exists()


SHIPPED_CYCLES = SHIPPED_DATA / "cycles"


@pytest.mark.parametrize("program", ["cadi", "mad"])
def test_the_shipped_cycles_exchange_lists_rederive(tmp_path: Path, program: str) -> None:
    cycle = SHIPPED_CYCLES / f"{program}.json"
    out = tmp_path / f"{program}.xlsx"
    res = runner.invoke(app, ["intercambios", "--cycle", str(cycle), "--format", "xlsx",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert rederive(out, load_dataset(None), SHIPPED_DATA) >= 50
