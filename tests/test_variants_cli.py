"""`menu-planner variante`: the variant file (a cycle with a variant section) and its
workbook, and what the command prints."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from menu_planner.cli import app
from menu_planner.domain import cycle_from_dict

FIX = Path(__file__).parent / "fixtures" / "exchanges"
runner = CliRunner()


def test_the_variant_command_writes_json_and_a_workbook(tmp_path: Path) -> None:
    out, xlsx = tmp_path / "bajo_peso.json", tmp_path / "bajo_peso.xlsx"
    res = runner.invoke(app, ["variante", "--cycle", str(FIX / "cycle_cadi.json"), "--data",
                              str(FIX / "data"), "--subgroup", "bajo_peso", "--out", str(out),
                              "--xlsx", str(xlsx)])
    assert res.exit_code == 0, res.output
    assert "100.0% de los platos del ciclo se conservan" in res.output
    assert "Menú especial de bajo peso para la talla o la edad" in res.output
    assert "4 a 6 años: Q6.33 → Q6." in res.output  # base cost (the variant: a few cents more)
    assert "4-6y" not in res.output  # (the file name bajo_peso.json is printed)
    doc = json.loads(out.read_text(encoding="utf-8"))
    cycle = cycle_from_dict(doc)
    assert cycle.program == "cadi" and len(cycle.days) == 2
    assert doc["variant"]["subgroup"] == "bajo_peso" and doc["variant"]["ok"] is True
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Resumen", "Cambios", "Menú"]
    summary = {r[0]: r[1] for r in wb["Resumen"].iter_rows(values_only=True) if r[0]}
    assert summary["Platos del ciclo base que se conservan"] == 1.0
    changes = [str(r[3]) for r in wb["Cambios"].iter_rows(min_row=5, values_only=True) if r[3]]
    assert any(c.startswith(("Desayuno: ", "Almuerzo: ")) and "porción" in c for c in changes)
    assert str(wb["Menú"].page_setup.paperSize) == wb["Menú"].PAPERSIZE_LETTER


def test_an_unknown_subgroup_exits_with_the_known_ones(tmp_path: Path) -> None:
    res = runner.invoke(app, ["variante", "--cycle", str(FIX / "cycle_cadi.json"), "--data",
                              str(FIX / "data"), "--subgroup", "diabetes", "--out",
                              str(tmp_path / "v.json")])
    assert res.exit_code == 1 and "hay: bajo_peso" in res.output
    assert not (tmp_path / "v.json").exists()
