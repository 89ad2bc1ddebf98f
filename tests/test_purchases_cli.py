"""`menu-planner purchases`: the JSON and CSV files read back, and bad inputs that leave
no file behind. Figures are those worked out in test_purchases.py (same fixture)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from menu_planner.cli import app
from menu_planner.procurement.formats import CSV_COLUMNS

FIX = Path(__file__).parent / "fixtures" / "purchases"
CONTRACT_ITEM_KEYS = {"food_id", "purchase_unit", "unit_grams", "needed_grams", "waste_factor",
                      "carried_in_grams", "quantity", "carried_out_grams", "unit_price_q",
                      "price_date", "cost_q"}
CONTRACT_CENTER_KEYS = {"center_id", "department", "attendance", "service_days", "items",
                        "total_q"}

runner = CliRunner()


def run(out: Path, *extra: str, cycle: Path | None = None, centers: Path | None = None,
        data: Path | None = None, week: str | None = "1", fmt: str = "json") -> Result:
    args = ["purchases", "--cycle", str(cycle or FIX / "cycle.json"),
            "--centers", str(centers or FIX / "centers.csv"), "--data", str(data or FIX / "data"),
            "--format", fmt, "--out", str(out), "--as-of", "2026-03-01", *extra]
    if week is not None:
        args += ["--week", week]
    return runner.invoke(app, args)


def test_json_follows_the_contract(tmp_path: Path) -> None:
    """C-1 week 1 = Q36.30 (frijol 16 + banano 4.50 + huevo 10.80 + arroz 5)."""
    out = tmp_path / "compras.json"
    res = run(out)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "menu_planner.purchases/1" and doc["week"] == 1
    c1, c2 = doc["centers"]
    assert CONTRACT_CENTER_KEYS <= set(c1)
    assert (c1["center_id"], c1["department"], c1["attendance"], c1["service_days"]) == (
        "C-1", "Guatemala", 0.5, 2)
    assert c1["total_q"] == 36.3 and c2["total_q"] == 68.6
    assert c1["budget_q"] == 200.0
    for c in doc["centers"]:
        assert round(sum(i["cost_q"] for i in c["items"]), 2) == c["total_q"]
        for item in c["items"]:
            assert CONTRACT_ITEM_KEYS <= set(item)
            assert (item["quantity"] * item["unit_grams"] + item["carried_in_grams"]
                    >= item["needed_grams"] - 1e-6)
    frijol = next(i for i in c1["items"] if i["food_id"] == "frijol")
    assert (frijol["quantity"], frijol["unit_price_q"], frijol["price_date"]) == (
        2, 8.0, "2025-09-01")
    arroz = next(i for i in c1["items"] if i["food_id"] == "arroz")
    assert arroz["price_age_days"] == 776  # 2024-01-15 -> 2026-03-01
    assert any("365 días" in w for w in c1["warnings"])  # the arroz price is old


def test_carry_in_file_threads_leftovers_into_the_next_week(tmp_path: Path) -> None:
    """Week 1's file carries 119.7 g of frijol for C-1: week 2 buys 1.5 libras (Q12)."""
    first, second = tmp_path / "s1.json", tmp_path / "s2.json"
    assert run(first).exit_code == 0
    res = run(second, "--carry-in", str(first), week="2")
    assert res.exit_code == 0, res.output
    c1 = json.loads(second.read_text("utf-8"))["centers"][0]
    frijol = next(i for i in c1["items"] if i["food_id"] == "frijol")
    assert (frijol["carried_in_grams"], frijol["quantity"], frijol["cost_q"]) == (
        119.7, 1.5, 12.0)
    assert c1["total_q"] == 22.5


def test_all_weeks_json_holds_one_document_per_week(tmp_path: Path) -> None:
    out = tmp_path / "ciclo.json"
    res = run(out, "--all-weeks", week=None)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text("utf-8"))
    assert doc["format"] == "menu_planner.purchases_cycle/1"
    assert [w["week"] for w in doc["weeks"]] == [1, 2]
    assert doc["weeks"][1]["centers"][0]["total_q"] == 22.5


def test_csv_has_one_row_per_center_and_food(tmp_path: Path) -> None:
    """C-1: 4 foods, C-2: 4 foods -> 8 rows; the costs per center add to the totals."""
    out = tmp_path / "compras.csv"
    res = run(out, fmt="csv")
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 8
    totals: dict[str, float] = {}
    for r in rows:
        totals[r["center_id"]] = totals.get(r["center_id"], 0.0) + float(r["cost_q"])
    assert {k: round(v, 2) for k, v in totals.items()} == {"C-1": 36.3, "C-2": 68.6}
    huevo = next(r for r in rows if r["center_id"] == "C-2" and r["food_id"] == "huevo")
    assert (huevo["purchase_unit"], float(huevo["quantity"]), huevo["price_region"]) == (
        "docena", 2.0, "Nacional")


def test_center_filter_and_attendance_option(tmp_path: Path) -> None:
    """Only C-2, attendance default 0.5: 10 people -> frijol 10 x 100 x 1.05 = 1050 g ->
    2.31 -> 2.5 libras."""
    out = tmp_path / "c2.json"
    res = run(out, "--center", "C-2", "--attendance", "0.5")
    assert res.exit_code == 0, res.output
    centers = json.loads(out.read_text("utf-8"))["centers"]
    assert [c["center_id"] for c in centers] == ["C-2"]
    frijol = next(i for i in centers[0]["items"] if i["food_id"] == "frijol")
    assert (frijol["needed_grams"], frijol["quantity"]) == (1050.0, 2.5)


def _copy(tmp_path: Path) -> tuple[Path, Path, Path]:
    shutil.copytree(FIX, tmp_path / "fx")
    root = tmp_path / "fx"
    return root / "cycle.json", root / "centers.csv", root / "data"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("negative", "centers.csv, línea 2, columna 'enrolled_1-3y': la inscripción no puede "
                     "ser negativa"),
        ("text", "centers.csv, línea 3, columna 'enrolled_4-6y': 'veinte' no es un número"),
        ("department", "centers.csv, línea 2, columna 'department': 'Atlántida' no es un "
                       "valor permitido"),
        ("attendance", "centers.csv, línea 2, columna 'attendance': el valor 1.5 debe ser "
                       "<= 1"),
        ("price", "el alimento 'huevo' no tiene precio 'Nacional'"),
        ("empty_cycle", "cycle.json, columna 'days': el ciclo no tiene días"),
        ("no_dishes", "el ciclo está vacío"),
        ("week", "cycle.json, columna 'week': el ciclo no tiene la semana 7"),
        ("no_centers", "ningún centro del archivo es del programa 'cadi'"),
        ("recipe", "receta desconocida 'tamal_de_chipilin'"),
        ("unknown_center", "el centro 'X-9' no está en el archivo"),
        ("bad_json", "cycle.json: no es un JSON válido"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_bad_input_writes_nothing(tmp_path: Path, case: str, expected: str, fmt: str) -> None:
    cycle, centers, data = _copy(tmp_path)
    week, extra = "1", []
    if case == "negative":
        _edit(centers, "Mixco,10,10", "Mixco,-3,10")
    elif case == "text":
        _edit(centers, "Rabinal,0,20", "Rabinal,0,veinte")
    elif case == "department":
        _edit(centers, "Guatemala,Mixco", "Atlántida,Mixco")
    elif case == "attendance":
        _edit(centers, ",,0.5", ",,1.5")
    elif case == "price":
        _edit(data / "foods" / "prices.csv", "huevo,Nacional,docena,600,10.80,2025-06-01,fixture\n",
              "")
        _edit(data / "foods" / "prices.csv", "huevo,Nacional,unidad", "huevo,Guatemala,unidad")
    elif case == "empty_cycle":
        doc = json.loads(cycle.read_text("utf-8"))
        doc["days"] = []
        cycle.write_text(json.dumps(doc), encoding="utf-8")
    elif case == "no_dishes":
        doc = json.loads(cycle.read_text("utf-8"))
        for d in doc["days"]:
            d["meals"] = []
        cycle.write_text(json.dumps(doc), encoding="utf-8")
    elif case == "week":
        week = "7"
    elif case == "no_centers":
        centers.write_text(centers.read_text("utf-8").splitlines()[0] + "\n"
                           "M-1,Centro Diurno,mad,diurno,Chimaltenango,Parramos,,,30,\n",
                           encoding="utf-8")
    elif case == "recipe":
        _edit(cycle, '"recipe_id": "huevo_duro"', '"recipe_id": "tamal_de_chipilin"')
    elif case == "unknown_center":
        extra = ["--center", "X-9"]
    elif case == "bad_json":
        cycle.write_text("{ no es json", encoding="utf-8")
    out = tmp_path / f"compras.{fmt}"
    res = run(out, *extra, cycle=cycle, centers=centers, data=data, week=week, fmt=fmt)
    assert res.exit_code == 1
    assert expected in res.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["fx"]  # no temporary file left either


def test_an_existing_file_is_left_untouched_on_error(tmp_path: Path) -> None:
    out = tmp_path / "compras.json"
    out.write_text("anterior", encoding="utf-8")
    res = run(out, week="9")
    assert res.exit_code == 1
    assert out.read_text(encoding="utf-8") == "anterior"


def test_missing_week_option_is_explained(tmp_path: Path) -> None:
    res = run(tmp_path / "x.json", week=None)
    assert res.exit_code == 1
    assert "indique --week N" in res.stderr


# -- calendar weeks (tiny data: a Monday-to-Friday cycle) -------------------------------------
TINY = Path(__file__).parent / "fixtures" / "tiny"


def run_tiny(out: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    res = runner.invoke(app, [
        "purchases", "--cycle", str(TINY / "cycle_cadi.json"),
        "--centers", str(TINY / "centers" / "centers.csv"), "--data", str(TINY),
        "--format", "json", "--out", str(out), "--as-of", "2026-12-01", *extra])
    assert res.exit_code == 0, res.output
    doc: dict = json.loads(out.read_text("utf-8"))  # type: ignore[type-arg]
    return doc


def test_week_start_buys_the_christmas_week_for_its_service_days(tmp_path: Path) -> None:
    """21 December 2026 (Christmas on Friday): 4 days bought and funded, as with
    --weekdays 1,2,3,4, and 4/5 of the full week's budget."""
    out = tmp_path / "navidad.json"
    doc = run_tiny(out, "--week", "1", "--week-start", "2026-12-21")
    full = run_tiny(tmp_path / "normal.json", "--week", "1")
    four = run_tiny(tmp_path / "cuatro.json", "--week", "1", "--weekdays", "1,2,3,4")
    for c, f, k in zip(doc["centers"], full["centers"], four["centers"], strict=True):
        assert c["service_days"] == 4 and f["service_days"] == 5
        assert c["days_off"] == [{"date": "2026-12-25", "reason": "Navidad"}]
        assert [i["needed_grams"] for i in c["items"]] == [i["needed_grams"] for i in k["items"]]
        assert c["total_q"] == k["total_q"] and c["budget_q"] == k["budget_q"]
        assert c["budget_q"] == round(f["budget_q"] * 4 / 5, 2)
    # the cycle week found from the date week 1 started
    later = run_tiny(tmp_path / "s4.json", "--week-start", "2026-12-21",
                     "--start-date", "2026-11-30")
    assert later["week"] == 4 and later["centers"][0]["service_days"] == 4


def test_closures_and_half_days_off_take_more_days_away(tmp_path: Path) -> None:
    closures = tmp_path / "cierres.csv"
    closures.write_text("center_id,date,reason\n2420-20,2026-12-22,fiesta patronal\n",
                        encoding="utf-8")
    doc = run_tiny(tmp_path / "c.json", "--week", "1", "--week-start", "2026-12-21",
                   "--closures", str(closures), "--half-days-off")
    first, second = doc["centers"]
    assert first["service_days"] == 2 and second["service_days"] == 3
    assert [d["reason"] for d in first["days_off"]] == [
        "cierre del centro (fiesta patronal)", "Nochebuena (medio día)", "Navidad"]


def test_a_bad_week_start_or_closures_file_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "no.json"
    args = ["purchases", "--cycle", str(TINY / "cycle_cadi.json"),
            "--centers", str(TINY / "centers" / "centers.csv"), "--data", str(TINY),
            "--out", str(out)]
    res = runner.invoke(app, [*args, "--week-start", "21/12/2026"])
    assert res.exit_code == 1 and "--week-start" in res.output and not out.exists()
    bad = tmp_path / "cierres.csv"
    bad.write_text("center_id,date,reason\nNO-EXISTE,2026-12-22,x\n", encoding="utf-8")
    res = runner.invoke(app, [*args, "--week", "1", "--week-start", "2026-12-21",
                              "--closures", str(bad)])
    assert res.exit_code == 1 and "cierres.csv" in res.output and not out.exists()
