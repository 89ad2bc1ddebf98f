"""`menu-planner purchases-sustituir`: the list is shown with what breaks, written only when
nothing breaks or with --aceptar; with --variant, the subgroups' people eat the variant."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner, Result

from menu_planner.cli import app

FIX = Path(__file__).parent / "fixtures" / "exchanges"
runner = CliRunner()


def run(out: Path, *extra: str, cycle: str = "cycle_cadi.json") -> Result:
    return runner.invoke(app, ["purchases-sustituir", "--cycle", str(FIX / cycle),
                               "--centers", str(FIX / "centers.csv"), "--data",
                               str(FIX / "data"), "--week", "1", "--out", str(out),
                               "--as-of", "2026-03-01", *extra])


def test_a_harmless_substitution_is_written_at_once(tmp_path: Path) -> None:
    out = tmp_path / "compras.json"
    res = run(out, "--unavailable", "huevo_gallina")
    assert res.exit_code == 0, res.output
    assert "Huevo de gallina -> Frijol negro cocido" in res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "menu_planner.purchases/1"
    (sub,) = doc["substitutions"]
    assert (sub["food_id"], sub["replacement_id"]) == ("huevo_gallina", "frijol_negro_cocido")
    foods = {i["food_id"] for c in doc["centers"] for i in c["items"]}
    assert "huevo_gallina" not in foods and "frijol_negro_cocido" in foods
    assert doc["breaches"] == [] and doc["budget_breaches"] == []


def test_a_substitution_that_breaks_the_budget_needs_accepting(tmp_path: Path) -> None:
    """Without eggs, beans or chicken, beef replaces the egg and day 1 costs a 4-6 y child
    Q8.07 > Q8.00: the breach is printed and nothing is written until --aceptar."""
    out = tmp_path / "compras.json"
    res = run(out, "--unavailable", "huevo_gallina,frijol_negro_cocido,pollo_pieza")
    assert res.exit_code == 3
    assert "El cambio incumple" in res.output and "presupuesto Q8.00" in res.output
    assert "--aceptar" in res.output and not out.exists()
    res = run(out, "--unavailable", "huevo_gallina,frijol_negro_cocido,pollo_pieza",
              "--aceptar")
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert any(b["kind"] == "budget" and b["age_group"] == "4-6y" for b in doc["breaches"])
    assert {s["replacement_id"] for s in doc["substitutions"]} == {"res"}


def test_the_list_can_be_written_as_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "compras.xlsx"
    res = run(out, "--unavailable", "huevo_gallina", "--format", "xlsx", "--center", "C-1")
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    names = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert any("Frijol negro cocido" in n for n in names)
    assert not any("Huevo de gallina" in n for n in names)


def test_a_variant_adds_what_the_subgroup_needs(tmp_path: Path) -> None:
    """M-1 has 5 people with hypertension; their day-2 soup is 0.9 portion: beef needed
    (attendance 1, waste of the shipped settings for carnes) falls by 0.1 x 5 x 60 g."""
    variant = tmp_path / "hipertension.json"
    res = runner.invoke(app, ["variante", "--cycle", str(FIX / "cycle_mad.json"), "--data",
                              str(FIX / "data"), "--subgroup", "hipertension", "--out",
                              str(variant)])
    assert res.exit_code == 0, res.output
    plain = tmp_path / "plain.json"
    with_variant = tmp_path / "variante.json"
    args = ("--unavailable", "zanahoria")
    assert run(plain, *args, cycle="cycle_mad.json").exit_code == 0
    res = run(with_variant, *args, "--variant", str(variant), cycle="cycle_mad.json")
    assert res.exit_code == 0, res.output
    assert "Variante 'hipertension': 5 persona(s) en 1 centro(s)" in res.output

    def beef(path: Path) -> tuple[float, float]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        item = next(i for i in doc["centers"][0]["items"] if i["food_id"] == "res")
        return item["needed_grams"], item["waste_factor"]

    (before, waste), (after, _) = beef(plain), beef(with_variant)
    assert abs((before - after) - 30 / 0.9 * (1 + waste)) < 0.011


def test_nothing_to_do_is_an_error(tmp_path: Path) -> None:
    res = run(tmp_path / "x.json")
    assert res.exit_code == 1 and "--unavailable" in res.output


def test_a_file_that_is_not_a_variant_is_refused(tmp_path: Path) -> None:
    res = run(tmp_path / "x.json", "--variant", str(FIX / "cycle_cadi.json"))
    assert res.exit_code == 1 and "no es una variante" in res.output
