"""The menu-quality check where people meet it: `menu-planner check-cycle` (report and
exit codes), `data check` on the rules file, the `quality` section `plan` writes, and the
"Calidad del menú" sheet of the cycle workbook (read back with openpyxl)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from quality_helpers import TINY, tiny_with_rules
from typer.testing import CliRunner

from menu_planner.cli import app
from menu_planner.domain import Meal, MenuCycle, MenuDay, MenuItem, cycle_from_dict, cycle_to_dict
from menu_planner.export.cycle_xlsx import write_cycle_xlsx
from menu_planner.quality import quality_of
from menu_planner.quality.report import QUALITY_FORMAT
from menu_planner.reference_data import SHIPPED_DATA, load_dataset

TINY_RULES = Path(__file__).parent / "fixtures" / "optimizer" / "tiny_rules.csv"
RULES = """program,age_groups,rule,subject,value,min_grams,source,note
cadi,4-6y,group_each_day,frutas,,50,Guías Alimentarias para Guatemala (MSPAS 2012),
cadi,4-6y,max_per_cycle,almuerzo:plato_principal,1,,Regla de trabajo,
"""
runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The tiny data with a two-rule quality standard."""
    return tiny_with_rules(tmp_path / "datos", RULES)


def two_days(mains: Sequence[str], fruit: float = 1.0) -> MenuCycle:
    """Week 1, Monday on: each lunch main with tortillas, and a banana (100 g) a day."""
    days = tuple(MenuDay(1, i + 1, (
        Meal("almuerzo", (MenuItem(main, {"4-6y": 1.0}), MenuItem("tortillas", {"4-6y": 1.0}))),
        Meal("refaccion", (MenuItem("banano_fruta", {"4-6y": fruit}),))))
        for i, main in enumerate(mains))
    return MenuCycle("cadi", 1, 5, 30.0, "Nacional", ("4-6y",), days)


def write_cycle(path: Path, cycle: MenuCycle | dict[str, Any]) -> Path:
    doc = cycle if isinstance(cycle, dict) else cycle_to_dict(cycle)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def check(path: Path, data: Path | None) -> Any:
    args = ["check-cycle", str(path)] + (["--data", str(data)] if data else [])
    return runner.invoke(app, args)


# -- check-cycle ------------------------------------------------------------------------
def test_a_cycle_that_meets_every_rule_exits_0(data: Path, tmp_path: Path) -> None:
    path = write_cycle(tmp_path / "bueno.json", two_days(["pollo_guisado", "huevos_revueltos"]))
    result = check(path, data)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Cumple las 2 reglas de calidad del menú."
    assert "- [Cumple] Frutas todos los días (50 g o más): 2 de 2 días" in result.stdout


def test_a_cycle_that_misses_a_rule_exits_3_and_says_where(data: Path, tmp_path: Path) -> None:
    path = write_cycle(tmp_path / "repetido.json",
                       two_days(["pollo_guisado", "pollo_guisado"], fruit=0.4))
    result = check(path, data)
    assert result.exit_code == 3, result.output
    out = result.stdout
    assert out.splitlines()[0] == "No cumple 2 de las 2 reglas de calidad del menú."
    assert "4 a 6 años:" in out
    assert "Pollo guisado con güisquil: 2 veces (semana 1 (lunes, martes))" in out
    assert "Días por debajo: semana 1 (lunes 40 g, martes 40 g)" in out
    assert "4-6y" not in out and "max_per_cycle" not in out  # no internal codes


def test_a_missing_or_unreadable_file_exits_1_naming_it(data: Path, tmp_path: Path) -> None:
    result = check(tmp_path / "no_existe.json", data)
    assert result.exit_code == 1
    assert "no_existe.json: falta el archivo" in result.stderr
    bad = tmp_path / "roto.json"
    bad.write_text("{ no es json", encoding="utf-8")
    result = check(bad, data)
    assert result.exit_code == 1 and "roto.json: no es un JSON válido" in result.stderr


def test_an_unknown_dish_or_field_exits_1_naming_the_field(data: Path, tmp_path: Path) -> None:
    doc = cycle_to_dict(two_days(["pollo_guisado"]))
    doc["days"][0]["meals"][0]["items"][0]["recipe_id"] = "sopa_de_piedras"
    result = check(write_cycle(tmp_path / "ciclo.json", doc), data)
    assert result.exit_code == 1
    assert ("ciclo.json, columna 'days[0].meals[0].items[0].recipe_id': receta desconocida "
            "'sopa_de_piedras'") in result.stderr
    doc["weeks"] = "una"
    result = check(write_cycle(tmp_path / "ciclo.json", doc), data)
    assert result.exit_code == 1
    assert "ciclo.json, columna 'weeks': debe ser un entero positivo" in result.stderr


def test_a_wrong_rules_file_exits_1_naming_line_and_column(data: Path, tmp_path: Path) -> None:
    path = write_cycle(tmp_path / "ciclo.json", two_days(["pollo_guisado"]))
    rules = data / "menus" / "quality_rules.csv"
    rules.write_text(RULES.replace("almuerzo:plato_principal,1", "cena:plato_principal,1"),
                     encoding="utf-8")
    result = check(path, data)
    assert result.exit_code == 1
    assert ("menus/quality_rules.csv, línea 3, columna 'subject': el tiempo de comida "
            "'cena' no está en menus/meal_patterns.csv") in result.stderr


def test_the_shipped_cycles_are_checked_against_the_shipped_standard() -> None:
    ds = load_dataset(None)
    for name in ("cadi", "mad"):
        path = SHIPPED_DATA / "cycles" / f"{name}.json"
        report = quality_of(cycle_from_dict(json.loads(path.read_text(encoding="utf-8"))),
                            ds, None)
        result = check(path, None)
        assert result.exit_code == (0 if report.passed else 3), result.output
        assert result.stdout.splitlines() == report.lines_es()
        groups = {g.name_es for g in ds.age_groups_of(name)}
        assert {r.age_group_es for r in report.results} == groups
        assert len(report.results) >= 9  # rotation, caps, food groups, energy per group


# -- data check ---------------------------------------------------------------------------
def test_data_check_counts_the_rules_and_reports_wrong_ones(data: Path) -> None:
    result = runner.invoke(app, ["data", "check", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "Reglas de calidad del menú: 2 (menus/quality_rules.csv)" in result.stdout
    rules = data / "menus" / "quality_rules.csv"
    rules.write_text(RULES + "cadi,9-12y;4-6y,group_each_day,food:unicornio,,40,x,\n"
                     "cadi,4-6y,forbidden,tag:no_existe,,,x,\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "check", "--data", str(data)])
    assert result.exit_code == 1
    err = result.stderr
    assert ("menus/quality_rules.csv, línea 4, columna 'age_groups': el grupo de edad "
            "'9-12y' no existe") in err
    assert ("menus/quality_rules.csv, línea 4, columna 'subject': el alimento 'unicornio' no "
            "está en foods/foods.csv") in err
    assert ("menus/quality_rules.csv, línea 5, columna 'subject': ninguna receta de "
            "menus/recipes.csv lleva la etiqueta 'no_existe'") in err


def test_data_check_reports_unknown_kinds_and_bad_numbers(data: Path) -> None:
    rules = data / "menus" / "quality_rules.csv"
    rules.write_text(RULES + "cadi,4-6y,weekly_magic,frutas,,40,x,\n"
                     "cadi,4-6y,group_days_per_week,carnes,dos,20,x,\n"
                     "cadi,4-6y,energy_week_mean,105-98,1200,,x,\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "check", "--data", str(data)])
    assert result.exit_code == 1
    err = result.stderr
    assert "línea 4, columna 'rule': 'weekly_magic' no es un valor permitido" in err
    assert "línea 5, columna 'value': 'dos' no es un número" in err
    assert "línea 6, columna 'subject': use 'MÍNIMO-MÁXIMO' en por ciento" in err


def test_a_directory_without_rules_checks_nothing_and_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "check", "--data", str(TINY)])
    assert result.exit_code == 0
    assert "Reglas de calidad del menú: 0 (sin archivo de reglas)" in result.stdout
    path = write_cycle(tmp_path / "ciclo.json", two_days(["pollo_guisado"]))
    result = check(path, TINY)
    assert result.exit_code == 0
    assert "No hay reglas de calidad que revisar" in result.stdout


# -- plan writes the section ----------------------------------------------------------------
def test_plan_writes_the_quality_section_of_its_cycle(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "ciclo.json"
    # --no-quality: the tiny data cannot keep these rules; the section reports them
    result = runner.invoke(app, ["plan", "--program", "cadi", "--data", str(data), "--rules",
                                 str(TINY_RULES), "--weeks", "2", "--out", str(out),
                                 "--no-quality"])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    section = doc["quality"]
    assert section["format"] == QUALITY_FORMAT
    again = quality_of(cycle_from_dict(doc), load_dataset(data), data)
    assert section == json.loads(json.dumps(again.to_dict()))
    assert [(r["rule"], r["age_group"]) for r in section["results"]] == [
        ("group_each_day", "4-6y"), ("max_per_cycle", "4-6y")]
    assert f"Calidad del menú: {again.headline_es()}" in result.stdout


# -- the workbook sheet ---------------------------------------------------------------------
def test_the_workbook_has_a_quality_sheet_with_each_rule(data: Path, tmp_path: Path) -> None:
    menu = two_days(["pollo_guisado", "pollo_guisado"])
    path = tmp_path / "ciclo.xlsx"
    write_cycle_xlsx(menu, load_dataset(data), path, data_dir=data, generated=date(2026, 3, 5))
    ws = openpyxl.load_workbook(path)["Calidad del menú"]
    assert ws["A1"].value.startswith("Calidad del menú")
    assert ws["A2"].value == "No cumple 1 de las 2 reglas de calidad del menú."
    assert [c.value for c in ws[4]] == ["Grupo de edad", "Regla", "Resultado", "Cifras",
                                        "Detalle", "Fuente"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert len(rows) == 2
    fruit, cap = rows
    assert fruit[:3] == ["4 a 6 años", "Frutas todos los días (50 g o más)", "Cumple"]
    assert fruit[5] == "Guías Alimentarias para Guatemala (MSPAS 2012)"
    assert cap[0] is None and cap[2] == "No cumple"
    assert cap[4] == "Pollo guisado con güisquil: 2 veces (semana 1 (lunes, martes))"
    assert ws.cell(row=6, column=3).fill.fgColor.rgb.endswith("F8CBAD")  # red
    assert ws.cell(row=5, column=3).fill.fgColor.rgb in (None, "00000000")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"


def test_the_shipped_cycle_workbook_lists_every_rule_of_every_group(tmp_path: Path) -> None:
    ds = load_dataset(None)
    doc = json.loads((SHIPPED_DATA / "cycles" / "cadi.json").read_text(encoding="utf-8"))
    cycle = cycle_from_dict(doc)
    path = tmp_path / "cadi.xlsx"
    write_cycle_xlsx(cycle, ds, path)
    ws = openpyxl.load_workbook(path)["Calidad del menú"]
    report = quality_of(cycle, ds, None)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (r.title_es, r.verdict_es, r.summary_es) for r in report.results]
    assert {r[0] for r in rows} - {None} == {"6 a 11 meses", "1 a 3 años", "4 a 6 años"}
